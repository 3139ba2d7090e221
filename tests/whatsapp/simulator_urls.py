"""The project's URLs with the simulator mounted, as PENCET_SIMULATOR=1 does."""

from django.urls import include, path

from pencet.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("simulator/", include("pencet.whatsapp.simulator_urls")), *project_urlpatterns]
