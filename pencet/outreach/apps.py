from django.apps import AppConfig


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pencet.outreach"
    verbose_name = "Layanan jemput bola"
