"""Each stage timer names its application's office, with an index of the running ones by office and due moment.

The dashboard's "overdue now" and the overdue queue counted an office's running timers by joining them to every
application of the office: at 1,000,000 applications PostgreSQL hashed the whole office (128 ms) to keep the
few thousand running timers. Existing timers take their application's office; 0020 then makes the column
required and adds the index (on PostgreSQL, a column cannot be altered in the transaction that filled it while
its deferred foreign-key checks are pending).
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = (
    "UPDATE cases_stagetimer SET office_id = "
    "(SELECT a.office_id FROM cases_application a WHERE a.id = cases_stagetimer.application_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0018_consolec_name_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="stagetimer",
            name="office",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stage_timers",
                to="accounts.office",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
