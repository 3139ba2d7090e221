from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pencet.cases"
    verbose_name = _("Permohonan")

    def ready(self) -> None:
        from .events import event_saved

        # A signal rather than a call in each service: every Event, whichever cases module writes it (transitions,
        # notes, drafts), must reach the subscribers, and a forgotten call would only show up a sweep later.
        post_save.connect(event_saved, sender="cases.Event", dispatch_uid="pencet.cases.events.event_saved")

        from .planner import planner_after_migrate

        # Sent once per app migrated; the dispatch_uid keeps it one ANALYZE per migrate, from this app's signal.
        post_migrate.connect(planner_after_migrate, sender=self, dispatch_uid="pencet.cases.planner")

        # The consumer autoloads only "tasks" modules; the clock jobs live beside their services.
        from . import tasks_clocks  # noqa: F401
