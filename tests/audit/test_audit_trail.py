"""The audit trail page: staff read every kind of event in one list, filter it by kind, actor
and time; nobody edits it; a customer cannot reach it; a national id never shows in clear."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from audit.trail import KINDS
from health.services import QuestionDraft, questionnaire_save
from permissions.capabilities import Role
from permissions.models import Grant
from permissions.services import grant_create, grant_revoke
from portal.models import Employee, Invoice, Order
from portal.services import (
    booking_create,
    employee_deactivate,
    employee_update,
    national_id_reveal,
    order_confirm_as_seller,
)
from portal.services.invoices import InvoiceData, invoices_import
from tests.factories import AppointmentFactory, UserFactory
from tests.portal.helpers import NUMBER, leaked_runs

pytestmark = pytest.mark.django_db

URL = "/revisjonslogg/"


@pytest.fixture
def events(cast, give_second_factor):
    """One event of each kind, written the way the portal writes them."""
    kam, admin, testweb = cast.kam, cast.superuser, cast.testweb
    order = Order.objects.get(number=204334)
    order_confirm_as_seller(order=order, actor=kam)  # an OrderEvent
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    employee_update(employee=donald, actor=testweb, mobile="98765432", national_id=NUMBER)
    national_id_reveal(employee=donald, actor=admin)
    booking_create(
        appointment=AppointmentFactory(order=Order.objects.get(number=290467)),
        employee=donald,
        actor=testweb,
    )
    invoices_import(
        invoices=[InvoiceData(number="2017-118350", fields={"kid": "12345678903"})], actor=kam
    )
    invoice = Invoice.objects.get(number="2017-118350")
    newcomer = UserFactory(username="ny.kontakt")
    grant = grant_create(
        user=newcomer, customer=donald.department.customer, role=Role.HR, actor=kam
    )
    grant_revoke(grant=grant, actor=kam)
    give_second_factor(newcomer)
    questionnaire_save(
        actor=cast.health,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=[QuestionDraft(key="smokes", text="Røyker du?")],
    )
    return {"order": order, "donald": donald, "invoice": invoice}


def _kinds(response) -> list[str]:
    return re.findall(r'data-testid="audit-kind">([^<]+)<', response.content.decode())


def test_the_page_lists_each_kind_of_event(cast, events, client):
    client.force_login(cast.kam)

    response = client.get(URL)

    assert response.status_code == 200
    kinds = set(_kinds(response))
    assert {str(kind.label) for kind in KINDS.values()} <= kinds
    text = response.content.decode()
    assert "204334" in text  # the order's number
    assert "Donald Duck" in text
    # The wide table scrolls in a box the keyboard reaches (axe: scrollable-region-focusable).
    assert '<div class="overflow-x-auto" tabindex="0" role="region" aria-label="' in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_kind_filter_shows_only_that_kind(kind, cast, events, client):
    client.force_login(cast.kam)

    response = client.get(URL, {"kind": kind})

    assert set(_kinds(response)) == {str(KINDS[kind].label)}


def test_the_actor_filter(cast, events, client):
    client.force_login(cast.kam)

    response = client.get(URL, {"actor": "Kari Kundeansvarlig"})

    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows
    assert {row.actor for row in rows} == {cast.kam}


def test_the_time_filter(cast, events, client):
    client.force_login(cast.kam)
    AuditEvent.objects.filter(action="national_id_revealed").update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    today = timezone.localdate()

    recent = client.get(URL, {"date_from": (today - datetime.timedelta(days=7)).isoformat()})
    old = client.get(
        URL,
        {
            "date_from": (today - datetime.timedelta(days=41)).isoformat(),
            "date_to": (today - datetime.timedelta(days=39)).isoformat(),
        },
    )

    assert str(KINDS["national_ids"].label) not in _kinds(recent)
    assert _kinds(old) == [str(KINDS["national_ids"].label)]


def test_a_national_id_never_shows_in_clear(cast, events, client):
    # given a careless writer put a number into an event's text
    audit_record(
        actor=cast.kam,
        action="changed",
        obj=events["donald"],
        changes={"note": [None, f"fnr {NUMBER}"], "mobile": [None, NUMBER[:6] + " " + NUMBER[6:]]},
    )
    AuditEvent.objects.filter(action="changed").update(object_repr=f"Donald Duck {NUMBER}")
    client.force_login(cast.superuser)

    text = client.get(URL).content.decode()

    assert leaked_runs(text) == []
    assert "***********" in text


def test_a_change_reads_as_the_user_saw_it(cast, events, client):
    """A yes/no field says Ja/Nei, and every field its name, not what the database stores."""
    cancelled = employee_deactivate(employee=events["donald"], actor=cast.testweb)
    client.force_login(cast.kam)

    rows = client.get(URL, {"kind": "employees"}).context["rows"]

    [row] = [row for row in rows if row.action == "Deaktivert"]
    assert cancelled
    assert row.summary == f"aktiv: Ja → Nei; avbestilte bookinger: {len(cancelled)} → 0"


def test_nothing_on_the_page_changes_the_trail(cast, events, client):
    client.force_login(cast.superuser)
    before = AuditEvent.objects.count()

    assert client.post(URL, {"kind": "orders"}).status_code == 405
    assert client.delete(URL).status_code == 405
    page = client.get(URL).content.decode()

    assert '<form method="post"' not in page.split('id="audit-filters"')[1].split("</main>")[0]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("username", ["testweb", "annen"])
def test_a_customer_cannot_reach_it(username, cast, events, client):
    client.force_login(getattr(cast, username))

    response = client.get(URL)

    assert response.status_code == 403
    assert "204334" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(events, client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_page_costs_a_few_queries_however_long_the_trail(
    cast, events, client, django_assert_max_num_queries
):
    for n in range(120):
        audit_record(
            actor=cast.kam, action="changed", obj=events["invoice"], changes={"n": [n, n + 1]}
        )
    client.force_login(cast.kam)
    client.get(URL)

    with django_assert_max_num_queries(20):
        response = client.get(URL, {"p": 2})

    assert len(response.context["rows"]) == 50


def test_granting_what_is_already_granted_writes_no_second_event(cast):
    testweb = cast.testweb
    grant = Grant.objects.get(user=testweb)
    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Grant))
    before = events.count()

    grant_create(user=testweb, customer=grant.customer, role=grant.role, actor=cast.kam)

    assert events.count() == before
