from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "pencet.delivery"
    verbose_name = _("Dokumen dan pengiriman")
