from django.urls import path

from .views import supply as views

app_name = "supply"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("needs/<int:pk>/draft-product/", views.need_draft_product, name="need_draft_product"),
    path("records/", views.records, name="records"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("purchases/", views.purchases, name="purchases"),
    path("reports/needs/", views.report_needs, name="report_needs"),
    path("reports/sales/", views.report_sales, name="report_sales"),
    path("reports/distributor/", views.report_distributor, name="report_distributor"),
]
