from django.db import migrations, models

import pencet.cases.models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_application_status_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="status_token",
            field=models.CharField(
                default=pencet.cases.models.status_token_new, editable=False, max_length=32, unique=True
            ),
        ),
    ]
