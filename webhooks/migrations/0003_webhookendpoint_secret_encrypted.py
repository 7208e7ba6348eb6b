"""The endpoints' signing secrets encrypted at rest: a column for the token, each clear secret
encrypted into it (0004 then drops the clear column). Going back decrypts them again."""

from django.db import migrations, models

from portal.crypto import keyring

SETTING = "NATIONAL_ID_KEYS"  # as webhooks.crypto, written out: a migration keeps its own


def secrets_encrypt(apps, schema_editor):
    WebhookEndpoint = apps.get_model("webhooks", "WebhookEndpoint")
    endpoints = list(WebhookEndpoint.objects.filter(secret_encrypted="").only("pk", "secret"))
    for endpoint in endpoints:
        endpoint.secret_encrypted = keyring(SETTING).encrypt(endpoint.secret.encode()).decode()
    WebhookEndpoint.objects.bulk_update(endpoints, ["secret_encrypted"], batch_size=500)


def secrets_decrypt(apps, schema_editor):
    WebhookEndpoint = apps.get_model("webhooks", "WebhookEndpoint")
    endpoints = list(
        WebhookEndpoint.objects.exclude(secret_encrypted="").only("pk", "secret_encrypted")
    )
    for endpoint in endpoints:
        endpoint.secret = keyring(SETTING).decrypt(endpoint.secret_encrypted.encode()).decode()
    WebhookEndpoint.objects.bulk_update(endpoints, ["secret"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_order_message_posted"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_encrypted",
            field=models.TextField(
                default="", editable=False, verbose_name="signing secret"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(secrets_encrypt, secrets_decrypt, elidable=False),
    ]
