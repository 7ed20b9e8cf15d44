from django.urls import path

from . import views

app_name = "catalog_sync"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sync/", views.sync_now, name="sync_now"),
    path("sync/status/", views.sync_status, name="sync_status"),
    path("retry-failed/", views.retry_failed, name="retry_failed"),
    path("preview/", views.preview, name="preview"),
    path("candidates/", views.candidates, name="candidates"),
    path("products/<int:product_id>/", views.profile_edit, name="profile"),
    path("products/<int:product_id>/suggest-prices/", views.profile_suggest_prices, name="suggest_prices"),
    path("products/<int:product_id>/confirm-prices/", views.profile_confirm_prices, name="confirm_prices"),
    path("products/<int:product_id>/take-shop/<str:field>/", views.profile_take_shop_value, name="take_shop_value"),
    path("products/<int:product_id>/history/", views.listing_history, name="history"),
    path("products/<int:product_id>/history/<int:snapshot_id>/rollback/", views.listing_rollback,
         name="listing_rollback"),
    path("products/<int:product_id>/release/", views.listing_restore_release, name="restore_release"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/rollback/", views.run_rollback, name="run_rollback"),
    path("rates/", views.rates, name="rates"),
    path("inquiries/", views.inquiries, name="inquiries"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_new"),
    path("inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry"),
    path("htx/<int:coop_id>/yeu-cau-bao-gia/", views.cooperative_inquiries, name="cooperative_inquiries"),
    path("htx/<int:coop_id>/yeu-cau-bao-gia/<int:inquiry_id>/", views.cooperative_inquiry,
         name="cooperative_inquiry"),
]
