from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from pencet.whatsapp.views import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("", include("pencet.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("whatsapp/", include("pencet.whatsapp.urls")),
    path("api/v1/", include("pencet.api.urls")),
    path("admin/", admin.site.urls),
    path("status/", include("pencet.delivery.urls")),
    path("", include("pencet.console.urls")),
]
if settings.SIMULATOR:
    urlpatterns.insert(0, path("simulator/", include("pencet.whatsapp.simulator_urls")))
