# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Who reaches the questionnaires (Egenerklæringer): staff who define them — health personnel,
the KA/KAM and the superuser — and nobody else; customers never. No page shows an answer.

The expected answers are written out here, not worked out from the code under test.
"""

import pytest

from health.services import declaration_answer, declaration_send, questionnaire_save
from portal.services.booking_links import booking_link_token
from tests.factories import AppointmentFactory, BookingFactory
from tests.health.conftest import MARKER, SMOKING

from .helpers import (
    CAST,
    DENY,
    GONE,
    LOGIN,
    OK,
    PDF,
    assert_matrix,
    hidden_names,
    outcome,
    readable,
)

pytestmark = pytest.mark.usefixtures("fresh_rate_limit")


@pytest.fixture
def forms(world, cast):
    """A questionnaire for «Helsekontroll (HK)» with Donald's answers (the marker among them)
    on version 1, and its version 2."""
    first = questionnaire_save(
        actor=cast.health,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=SMOKING,
    )
    booking = BookingFactory(
        appointment=AppointmentFactory(order=world.approved_order), employee=cast.donald
    )
    sent = declaration_send(booking=booking)
    questions = {q.order: str(q.pk) for q in first.questions.all()}
    declaration_answer(
        answer_set=sent, answers={questions[1]: "no", questions[3]: MARKER}, submit=True
    )
    second = questionnaire_save(
        actor=cast.health,
        questionnaire=first,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=SMOKING,
    )
    token = booking_link_token(booking)
    return {
        "first": first,
        "second": second,
        "booking": booking,
        "token": token,
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
    }


# fmt: off
#  columns:                                      superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    ("/health/questionnaire/",                   (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/health/questionnaire/add/",               (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/health/questionnaire/{first.pk}/change/", (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/health/questionnaire/{second.pk}/change/", (OK,     OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/health/questionnaire/999999/change/",     (GONE,    GONE,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/health/questionnaire/{first.pk}/history/", (OK,     OK,    GONE,    GONE,   GONE, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/health/questionnaire/{first.pk}/delete/", (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Reading a declaration's answers: health personnel only, the superuser not.
    ("/egenerklaering/{booking.pk}/",            (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/egenerklaering/999999/",                  (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # The PDF for the health record and «Merk som overført til journal» are POSTs; a GET of
    # them sends health personnel back to the reading page and changes nothing.
    ("/egenerklaering/{booking.pk}/pdf/",        (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/egenerklaering/999999/pdf/",              (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/egenerklaering/{booking.pk}/journal/",    (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/egenerklaering/999999/journal/",          (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # The employee's form from the booking's link: the token is the only authority, and once
    # submitted it shows only when it was received, to whoever holds the link.
    ("/timeavtale/{token}/egenerklaering/",      (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    OK,      OK,      OK)),
    ("/timeavtale/{tampered}/egenerklaering/",   (404,     404,   404,     404,    404,  404,    404,   404,   404,     404,     404)),
    ("/timeavtale/{token}/",                     (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    OK,      OK,      OK)),
]
# The staff the cast's columns leave out: health personnel define them too; customer service not.
BACK_TO_PAGE = "302 → /egenerklaering/{booking.pk}/"
OTHER_STAFF = {
    "health":           (OK, OK, OK, OK, GONE, OK, DENY, OK, 404, BACK_TO_PAGE, 404, BACK_TO_PAGE, 404, OK, 404, OK),
    "customer_service": (DENY, DENY, DENY, DENY, DENY, GONE, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OK, 404, OK),
}
# Every POST of the reading page: read, download the PDF, mark transferred.
POSTS = (
    "/egenerklaering/{booking.pk}/",
    "/egenerklaering/{booking.pk}/pdf/",
    "/egenerklaering/{booking.pk}/journal/",
)
# fmt: on


@pytest.mark.parametrize("member", CAST)
def test_questionnaire_pages(client, cast, world, forms, member):
    hidden = [*hidden_names(member, cast), MARKER]
    assert_matrix(client, cast, member, MATRIX, world=world, fill=forms, hidden=hidden)


@pytest.mark.parametrize("member", OTHER_STAFF)
def test_questionnaire_pages_for_the_other_staff(client, cast, world, forms, member):
    client.force_login(getattr(cast, member))
    got = []
    for template, _row in MATRIX:
        response = client.get(template.format(**forms))
        got.append(outcome(response))
        assert MARKER not in readable(response), template

    expected = tuple(
        e.format(**forms) if isinstance(e, str) and "{" in e else e for e in OTHER_STAFF[member]
    )
    assert tuple(got) == expected


@pytest.mark.parametrize("member", ["superuser", "kam"])
def test_no_staff_page_of_the_questionnaires_shows_an_answer(client, cast, world, forms, member):
    client.force_login(getattr(cast, member))
    for template, _row in MATRIX:
        assert MARKER not in readable(client.get(template.format(**forms))), template


@pytest.mark.parametrize("member", [*CAST, "customer_service"])
def test_nobody_but_health_personnel_reads_by_posting(client, cast, forms, member):
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)

    for template in POSTS:
        response = client.post(template.format(**forms))

        assert response.status_code in (302, 403), template
        if response.status_code == 302:
            assert response["Location"].startswith("/login/"), template
        assert MARKER not in readable(response), template
    forms["booking"].health_declaration.refresh_from_db()
    assert forms["booking"].health_declaration.transferred_at is None


def test_health_personnel_read_by_posting(client, cast, forms):
    client.force_login(cast.health)

    response = client.post(f"/egenerklaering/{forms['booking'].pk}/")
    pdf = client.post(f"/egenerklaering/{forms['booking'].pk}/pdf/")
    transferred = client.post(f"/egenerklaering/{forms['booking'].pk}/journal/")

    assert MARKER in readable(response)
    assert pdf["Content-Type"] == PDF
    assert MARKER in readable(pdf)
    assert transferred["Location"] == f"/egenerklaering/{forms['booking'].pk}/"
    forms["booking"].health_declaration.refresh_from_db()
    assert forms["booking"].health_declaration.transferred_at is not None


def test_the_sidebar_offers_the_questionnaires_only_to_those_who_define_them(client, cast, forms):
    seen = {}
    for member in ("superuser", "kam", "health", "customer_service", "testweb"):
        client.force_login(getattr(cast, member))
        seen[member] = 'href="/health/questionnaire/"' in client.get("/").content.decode()

    assert seen == {
        "superuser": True,
        "kam": True,
        "health": True,
        "customer_service": False,
        "testweb": False,
    }
