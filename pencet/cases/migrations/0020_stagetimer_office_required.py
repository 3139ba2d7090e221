"""Stage timers' office required, and the running timers indexed by office and due moment (see 0019)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_stagetimer_office"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stagetimer",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="stage_timers", to="accounts.office"
            ),
        ),
        migrations.AddIndex(
            model_name="stagetimer",
            index=models.Index(
                condition=models.Q(("ended_at__isnull", True)),
                fields=["office", "due_at"],
                name="cases_timer_running",
            ),
        ),
    ]
