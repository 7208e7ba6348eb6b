# AuditEvent now belongs to the `audit` app (audit/migrations/0001_initial.py), which keeps
# this app's table: the model leaves portal's state, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('portal', '0013_open_invoice_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEvent')],
            database_operations=[],
        ),
    ]
