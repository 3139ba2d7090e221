from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_application_status_token_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="subject",
            field=models.JSONField(blank=True, default=dict, verbose_name="data yang dimohonkan"),
        ),
    ]
