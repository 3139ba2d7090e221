from django.db import models
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    """Where one contact is in the conversation; survives restarts so a citizen can resume hours later."""

    contact = models.OneToOneField("whatsapp.Contact", on_delete=models.CASCADE, related_name="conversation")
    state = models.CharField(_("tahap"), max_length=30, default="new")
    # Step data: current requirement slot, options last offered, pending media, answers being edited …
    data = models.JSONField(default=dict, blank=True)
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")

    def __str__(self) -> str:
        return f"{self.contact} ({self.state})"
