from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class BotConfig(AppConfig):
    name = "pencet.bot"
    verbose_name = _("Percakapan warga")

    def ready(self) -> None:
        from pencet.accounts.models import RoleGrant, User

        from .flows.staff import staff_role_saved, staff_user_saved

        post_save.connect(staff_user_saved, sender=User, dispatch_uid="pencet.bot.staff_user_saved")
        post_save.connect(staff_role_saved, sender=RoleGrant, dispatch_uid="pencet.bot.staff_role_saved")
