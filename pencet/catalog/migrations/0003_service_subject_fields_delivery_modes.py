import pencet.catalog.models
from django.db import migrations, models

# Copied here (not imported from seed_data) so this migration keeps meaning what it meant when written.
BIRTH = ["child_name", "child_sex", "child_birth_date", "child_birth_place", "father_name", "mother_name"]
DEATH = ["deceased_name", "deceased_nik", "death_date", "death_place"]
SUBJECT = {"akta-kelahiran": BIRTH, "one-three": BIRTH, "akta-kematian": DEATH, "kematian-kk": DEATH}
PICKUP_ONLY = ["ktp-baru", "ktp-perubahan", "ktp-hilang-rusak", "kia", "one-three"]


def seeded_services_fill(apps, schema_editor):
    Service = apps.get_model("catalog", "Service")
    for code, fields in SUBJECT.items():
        Service.objects.filter(code=code, subject_fields=[]).update(subject_fields=fields)
    Service.objects.filter(code__in=PICKUP_ONLY).update(delivery_modes=["pickup"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_stage_targets"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="subject_fields",
            field=models.JSONField(blank=True, default=list, verbose_name="data yang ditanyakan"),
        ),
        migrations.AddField(
            model_name="service",
            name="delivery_modes",
            field=models.JSONField(
                blank=True,
                default=pencet.catalog.models.delivery_modes_default,
                verbose_name="cara penyerahan yang tersedia",
            ),
        ),
        migrations.RunPython(seeded_services_fill, migrations.RunPython.noop),
    ]
