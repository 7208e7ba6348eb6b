import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_appointment_department"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appointment",
            name="department",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="portal.department",
                verbose_name="company/department",
            ),
        ),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(fields=["department", "starts_at"], name="appointment_dept_start_idx"),
        ),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(fields=["department", "ends_at"], name="appointment_dept_end_idx"),
        ),
    ]
