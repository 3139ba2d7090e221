"""Village officers' numbers were linked on the first message seen after the account had them; they are now linked
when a conversation starts or when the account is saved (pencet/bot/flows/staff.py). A contact that wrote before
its officer's account had the number and has not written since is linked here, once."""

from django.db import migrations

from pencet.lib.phone import phone_variants


def link(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    Contact = apps.get_model("whatsapp", "Contact")
    officers = User.objects.filter(is_active=True, role_grants__role="aparat_desa", office__isnull=False).exclude(
        whatsapp_number=""
    )
    for user in officers.distinct():
        Contact.objects.filter(
            office_id=user.office_id, phone__in=phone_variants(user.whatsapp_number), staff_user__isnull=True
        ).update(staff_user=user)


class Migration(migrations.Migration):
    dependencies = [
        ("bot", "0002_help_handoff_assignment"),
        ("accounts", "0004_signing_passphrase_lockout"),
        ("whatsapp", "0004_webhookdelivery_queue"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
