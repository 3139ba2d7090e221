from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pencet.cases"
    verbose_name = _("Permohonan")

    def ready(self) -> None:
        from .events import event_saved

        # A signal rather than a call in each service: every Event, whichever cases module writes it (transitions,
        # notes, drafts), must reach the subscribers, and a forgotten call would only show up a sweep later.
        post_save.connect(event_saved, sender="cases.Event", dispatch_uid="pencet.cases.events.event_saved")

        # The consumer autoloads only "tasks" modules; the clock jobs live beside their services.
        from . import tasks_clocks  # noqa: F401
