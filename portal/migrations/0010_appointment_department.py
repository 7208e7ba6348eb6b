import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def department_of_the_order(apps, schema_editor):
    Appointment = apps.get_model("portal", "Appointment")
    Order = apps.get_model("portal", "Order")
    Appointment.objects.update(
        department=Subquery(Order.objects.filter(pk=OuterRef("order")).values("department")[:1])
    )


class Migration(migrations.Migration):
    """The field, filled from each appointment's order; made required in 0011 (on PostgreSQL
    a table cannot be altered in the transaction that updated its rows)."""

    dependencies = [
        ("portal", "0009_staff_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="department",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="portal.department",
                verbose_name="company/department",
            ),
        ),
        migrations.RunPython(department_of_the_order, migrations.RunPython.noop),
    ]
