"""A random status token per application for the receipt's QR code; existing applications get one each.

The unique constraint comes in the next migration: PostgreSQL refuses to alter a table with pending updates
in the same transaction."""

import secrets

from django.db import migrations, models


def backfill(apps, schema_editor):
    Application = apps.get_model("cases", "Application")
    for pk in Application.objects.filter(status_token__isnull=True).values_list("pk", flat=True).iterator():
        Application.objects.filter(pk=pk).update(status_token=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_accessrecord"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="status_token",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
