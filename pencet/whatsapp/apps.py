from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhatsappConfig(AppConfig):
    name = "pencet.whatsapp"
    verbose_name = _("WhatsApp")
