# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Who reaches the webhooks (endpoints, their secrets and delivery log): the superuser, and
staff given the webhook permissions; not the KA/KAM nor customer service, customers never.

The expected answers are written out here, not worked out from the code under test.
"""

import pytest

from tests.webhooks.conftest import integrator  # noqa: F401 -- the staff who manage webhooks
from webhooks.events import emit
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import webhook_endpoint_create

from .helpers import CAST, DENY, GONE, LOGIN, OK, assert_matrix, hidden_names, outcome, readable


@pytest.fixture
def hooks(cast, integrator):  # noqa: F811
    endpoint = webhook_endpoint_create(
        actor=integrator,
        name="CRM-integrasjon",
        url="http://127.0.0.1:9/hooks",
        events=["order.submitted"],
    )
    [delivery] = emit("order.submitted", {"id": 1})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DELIVERED)
    return {"endpoint": endpoint, "delivery": delivery, "secret": endpoint.reveal_secret()}


# fmt: off
#  columns:                                                       superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    ("/webhooks/webhookendpoint/",                                (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookendpoint/add/",                            (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookendpoint/{endpoint.pk}/change/",           (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookendpoint/{endpoint.pk}/delete/",           (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookendpoint/{endpoint.pk}/rotate-secret/",    (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookendpoint/999999/change/",                  (GONE,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookdelivery/",                                (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookdelivery/?endpoint__id__exact={endpoint.pk}", (OK,   DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookdelivery/{delivery.pk}/change/",           (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookdelivery/{delivery.pk}/send-again/",       (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookdelivery/add/",                            (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/webhooks/webhookdelivery/{delivery.pk}/delete/",           (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
]
# The staff the cast's columns leave out: the one given the webhook permissions sees all the
# superuser sees; customer service and health personnel nothing.
OTHER_STAFF = {
    "integrator":       (OK, OK, OK, OK, OK, GONE, OK, OK, OK, OK, DENY, DENY),
    "customer_service": (DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY),
    "health":           (DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY),
}
# fmt: on


@pytest.mark.parametrize("member", CAST)
def test_webhook_pages(client, cast, world, hooks, member):
    hidden = [*hidden_names(member, cast), hooks["secret"], "CRM-integrasjon"]
    assert_matrix(client, cast, member, MATRIX, world=world, fill=hooks, hidden=hidden)
    if member != "superuser":  # staff too: assert_matrix searches the customers' answers only
        for template, _row in MATRIX:
            text = readable(client.get(template.format(**hooks)))
            assert hooks["secret"] not in text, template
            assert "CRM-integrasjon" not in text, template


@pytest.mark.parametrize("member", OTHER_STAFF)
def test_webhook_pages_for_the_other_staff(client, cast, hooks, integrator, member):  # noqa: F811
    user = integrator if member == "integrator" else getattr(cast, member)
    client.force_login(user)

    got = tuple(outcome(client.get(template.format(**hooks))) for template, _row in MATRIX)

    assert got == OTHER_STAFF[member]


def test_the_sidebar_offers_webhooks_only_to_those_who_manage_them(client, cast, integrator):  # noqa: F811
    seen = {}
    for member in ("superuser", "kam", "customer_service", "testweb", "integrator"):
        user = integrator if member == "integrator" else getattr(cast, member)
        client.force_login(user)
        seen[member] = 'href="/webhooks/webhookendpoint/"' in client.get("/").content.decode()

    assert seen == {
        "superuser": True,
        "kam": False,
        "customer_service": False,
        "testweb": False,
        "integrator": True,
    }
