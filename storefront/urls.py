from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from storefront.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", include("storefront.graphql.urls")),
    path("dashboard/", include("storefront.dashboard.urls")),
    path("trade/", include("catalog_sync.urls")),
    path("supply/", include("storefront.dashboard.supply_urls")),
    path("", include("storefront.web.urls")),
]
handler400 = "storefront.web.views.errors.bad_request"
handler403 = "storefront.web.views.errors.permission_denied"
handler404 = "storefront.web.views.errors.page_not_found"
handler500 = "storefront.web.views.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
