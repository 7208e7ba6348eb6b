"""The clear signing secrets go (0003 encrypted them); in a migration of its own so that no
table is altered after its rows were written in the same transaction."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0003_webhookendpoint_secret_encrypted"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="webhookendpoint",
            name="secret",
        ),
    ]
