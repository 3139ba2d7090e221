from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Conversation(models.Model):
    """Where one contact is in the conversation; survives restarts so a citizen can resume hours later."""

    contact = models.OneToOneField("whatsapp.Contact", on_delete=models.CASCADE, related_name="conversation")
    state = models.CharField(_("tahap"), max_length=30, default="new")
    # Step data: current requirement slot, options last offered, pending media, answers being edited …
    data = models.JSONField(default=dict, blank=True)
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # A chat handed to a person: the message that asked for one, and the officer who took it (pencet.bot.desk).
    handoff_message = models.ForeignKey(
        "whatsapp.InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_chats",
        verbose_name=_("ditangani oleh"),
    )
    assigned_at = models.DateTimeField(_("ditangani sejak"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")

    def __str__(self) -> str:
        return f"{self.contact} ({self.state})"


class HandoffEntry(models.Model):
    """One step of a chat handed to a person: asked, claimed, assigned, released, answered, closed. Never edited."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Warga meminta petugas")
        CLAIMED = "claimed", pgettext_lazy("chat", "Diambil")
        ASSIGNED = "assigned", _("Ditugaskan")
        RELEASED = "released", _("Dilepas")
        REPLIED = "replied", _("Dibalas")
        CLOSED = "closed", _("Selesai dilayani")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="handoff_entries")
    action = models.CharField(_("tindakan"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("oleh")
    )
    assignee = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("kepada")
    )
    # The canned reply an answer started from, if any.
    canned_reply = models.ForeignKey(
        "catalog.CannedReply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat penanganan chat")
        verbose_name_plural = _("riwayat penanganan chat")

    def __str__(self) -> str:
        return f"{self.conversation_id} {self.action}"
