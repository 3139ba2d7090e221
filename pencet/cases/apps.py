from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pencet.cases"
    verbose_name = _("Permohonan")

    def ready(self) -> None:
        # The consumer autoloads only "tasks" modules; the clock jobs live beside their services.
        from . import tasks_clocks  # noqa: F401
