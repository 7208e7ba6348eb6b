"""Migrations 0003 and 0004: the clear secrets of endpoints registered before encrypt into the
new column and the clear column goes; going back gives each endpoint its own secret again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from webhooks.crypto import secret_decrypt

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("webhooks", "0002_order_message_posted")]
AFTER = [("webhooks", "0004_remove_webhookendpoint_secret")]
CLEAR = "whsec_" + "Q" * 43 + "="


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest():
    """Whatever the test did, the database ends at the latest migrations again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_existing_clear_secret_is_encrypted_and_still_signs_after_migrating(latest):
    # given an endpoint of the days of clear secrets
    apps = migrate(BEFORE)
    old = apps.get_model("webhooks", "WebhookEndpoint").objects.create(
        name="CRM", url="https://crm.example.no/hooks", events=["order.submitted"], secret=CLEAR
    )

    # when migrated
    apps = migrate(AFTER)

    # then its secret is the same, encrypted, and no column holds it in clear
    endpoint = apps.get_model("webhooks", "WebhookEndpoint").objects.get(pk=old.pk)
    assert secret_decrypt(endpoint.secret_encrypted) == CLEAR
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM webhooks_webhookendpoint")
        assert "whsec_" not in repr(cursor.fetchall())


def test_migrating_back_gives_each_endpoint_its_clear_secret_again(latest):
    apps = migrate(BEFORE)
    Endpoint = apps.get_model("webhooks", "WebhookEndpoint")
    other = "whsec_" + "R" * 43 + "="
    made = {
        Endpoint.objects.create(name=name, url="https://crm.example.no/", secret=secret).pk: secret
        for name, secret in (("CRM", CLEAR), ("Regnskap", other))
    }
    migrate(AFTER)

    apps = migrate(BEFORE)

    endpoints = apps.get_model("webhooks", "WebhookEndpoint").objects
    assert dict(endpoints.values_list("pk", "secret")) == made
