from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("readyz/", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
