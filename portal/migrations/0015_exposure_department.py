import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def department_of_employee(apps, schema_editor):
    Exposure = apps.get_model("portal", "Exposure")
    Employee = apps.get_model("portal", "Employee")
    Exposure.objects.update(
        department_id=Subquery(
            Employee.objects.filter(pk=OuterRef("employee_id")).values("department_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0014_order_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="exposure",
            name="department",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="portal.department",
                verbose_name="company/department",
            ),
        ),
        migrations.RunPython(department_of_employee, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exposure",
            name="department",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="portal.department",
                verbose_name="company/department",
            ),
        ),
    ]
