from django.urls import path

from .views import compliance
from .views import certificates as certs
from .views import cooperative as coop
from .views import discounts
from .views import program
from .views import returns

app_name = "dashboard"
urlpatterns = [
    path("", coop.home, name="home"),
    path("dang-ky-htx/", coop.register, name="register"),
    path("htx/<int:coop_id>/", coop.overview, name="overview"),
    path("htx/<int:coop_id>/san-pham/", coop.products, name="products"),
    path("htx/<int:coop_id>/san-pham/moi/", coop.product_new, name="product_new"),
    path("htx/<int:coop_id>/san-pham/<int:product_id>/", coop.product_edit, name="product_edit"),
    path("htx/<int:coop_id>/san-pham/<int:product_id>/dang-ban/", coop.product_publish, name="product_publish"),
    path("htx/<int:coop_id>/san-pham/<int:product_id>/loai/", coop.variant_add, name="variant_add"),
    path("htx/<int:coop_id>/loai/<int:variant_id>/", coop.variant_save, name="variant_save"),
    path("htx/<int:coop_id>/loai/<int:variant_id>/lo-hang/", coop.variant_lots, name="variant_lots"),
    path("htx/<int:coop_id>/san-pham/<int:product_id>/anh/", coop.media_upload, name="media_upload"),
    path("htx/<int:coop_id>/san-pham/<int:product_id>/anh/sap-xep/", coop.media_move, name="media_move"),
    path("htx/<int:coop_id>/san-pham/<int:product_id>/anh/<int:media_id>/xoa/", coop.media_delete,
         name="media_delete"),
    path("htx/<int:coop_id>/don-hang/", coop.orders, name="orders"),
    path("htx/<int:coop_id>/don-hang/<int:fulfillment_id>/", coop.order_part, name="order_part"),
    path("htx/<int:coop_id>/don-hang/<int:fulfillment_id>/phieu-dong-goi/", coop.packing_slip, name="packing_slip"),
    path("htx/<int:coop_id>/don-hang/<int:fulfillment_id>/<str:action>/", coop.fulfillment_action,
         name="fulfillment_action"),
    path("htx/<int:coop_id>/ho-so/", coop.profile, name="profile"),
    path("htx/<int:coop_id>/tra-hang/", returns.returns, name="returns"),
    path("htx/<int:coop_id>/tra-hang/<int:return_id>/<str:action>/", returns.return_action, name="return_action"),
    path("htx/<int:coop_id>/khuyen-mai/", discounts.cooperative_discounts, name="discounts"),
    path("program/", program.home, name="program_home"),
    path("htx/<int:coop_id>/chung-nhan/", certs.certifications, name="certifications"),
    path("htx/<int:coop_id>/chung-nhan/<int:certification_id>/", certs.certification_edit,
         name="certification_edit"),
    path("chung-nhan/", certs.certifications_all, name="certifications_all"),
    path("chung-nhan/<int:certification_id>/tep/", certs.certification_file, name="certification_file"),
    path("program/hop-tac-xa/", program.cooperatives, name="program_cooperatives"),
    path("program/hop-tac-xa/<int:coop_id>/<str:action>/", program.cooperative_status, name="program_coop_status"),
    path("program/don-hang/", program.orders, name="program_orders"),
    path("program/don-hang/<int:number>/", program.order_detail, name="program_order"),
    path("program/combo/", program.combo_new, name="program_combo"),
    path("program/bo-suu-tap/", program.collections, name="program_collections"),
    path("program/bo-suu-tap/<int:collection_id>/", program.collection_change, name="program_collection"),
    path("program/quyet-toan/", program.settlement, name="program_settlement"),
    path("program/khuyen-mai/", discounts.program_discounts, name="program_discounts"),
    path("program/quyet-toan/<int:coop_id>/", program.settlement_cooperative, name="program_settlement_coop"),
    path("program/du-lieu-ca-nhan/", compliance.data_requests, name="program_data_requests"),
    path("program/du-lieu-ca-nhan/<int:request_id>/<str:action>/", compliance.data_request_action,
         name="program_data_request_action"),
    path("program/nhat-ky/", compliance.audit_log, name="program_audit_log"),
]
