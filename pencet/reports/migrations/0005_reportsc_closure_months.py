from django.db import migrations, models


def closure_months_fill(apps, schema_editor):
    """Every month's rows summed from the day rows already kept, so the readers may rely on them at once."""
    table = apps.get_model("reports", "ClosureStat")._meta.db_table
    month = "date_trunc('month', day)::date" if schema_editor.connection.vendor == "postgresql" else "date(day, 'start of month')"
    schema_editor.execute(
        f"INSERT INTO {table} (office_id, grain, day, channel, service_id, village_id, how, count) "  # noqa: S608
        f"SELECT office_id, 'month', {month}, channel, service_id, village_id, how, SUM(count) FROM {table} "
        f"WHERE grain = 'day' GROUP BY office_id, {month}, channel, service_id, village_id, how"
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_bundles_documents")]

    operations = [
        migrations.AddField(model_name="closurestat", name="grain", field=models.CharField(default="day", max_length=5)),
        migrations.RemoveIndex(model_name="closurestat", name="reports_closurestat_office_day"),
        migrations.AddIndex(
            model_name="closurestat",
            index=models.Index(fields=["office", "grain", "day"], name="reports_closurestat_read"),
        ),
        migrations.RunPython(closure_months_fill, migrations.RunPython.noop),
    ]
