# AuditEvent moves from `portal` to this app. Its table stays where it is
# (portal_auditevent, created by portal's 0003_audit_trail): only Django's idea of which app
# owns it changes, so this migration and portal's 0014 touch no table.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('portal', '0013_open_invoice_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=40, verbose_name='action')),
                        ('object_id', models.CharField(max_length=40)),
                        ('object_repr', models.CharField(max_length=200, verbose_name='object')),
                        ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='time')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit trail',
                        'db_table': 'portal_auditevent',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['content_type', 'object_id', '-created_at'], name='audit_object_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
