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
    path("rates/", views.rates, name="rates"),
    path("inquiries/", views.inquiries, name="inquiries"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_new"),
    path("inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry"),
    path("htx/<int:coop_id>/yeu-cau-bao-gia/", views.cooperative_inquiries, name="cooperative_inquiries"),
    path("htx/<int:coop_id>/yeu-cau-bao-gia/<int:inquiry_id>/", views.cooperative_inquiry,
         name="cooperative_inquiry"),
]
