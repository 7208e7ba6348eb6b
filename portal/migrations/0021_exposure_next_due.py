from django.db import migrations, models

from portal.services.surveillance import next_due_day


def next_due_of_each_exposure(apps, schema_editor):
    Exposure = apps.get_model("portal", "Exposure")
    ExposureType = apps.get_model("portal", "ExposureType")
    Exposure.objects.update(next_due_on=next_due_day(ExposureType.objects.all()))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0020_account_manager_not_a_service_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="exposure",
            name="next_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="next due"),
        ),
        migrations.RunPython(next_due_of_each_exposure, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(
                condition=models.Q(("is_active", False)),
                fields=["id"],
                name="employee_inactive_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="exposure",
            index=models.Index(fields=["next_due_on"], name="exposure_next_due_idx"),
        ),
    ]
