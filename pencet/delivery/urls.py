from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("", views.status_lookup, name="status_lookup"),
    path("<str:token>/", views.status_detail, name="status_detail"),
]
