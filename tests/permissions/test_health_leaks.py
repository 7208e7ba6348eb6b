"""An employee's answers are read in one place only: health personnel's reading page, after
«Les svarene». Every other page the cast reaches — the booking's own pages from its link, the
appointment, the order, the employee, the lists, the audit trail — and every mail about the
booking show at most the declaration's status; a draft's answers are on no page but the
employee's own form."""

import datetime

import pytest

from health.reminders import declaration_remind
from health.services import declaration_answer, declaration_read, questionnaire_save
from portal import services
from portal.services.booking_links import booking_link_token
from portal.services.booking_mail import BookingMail, booking_mail_render
from tests.factories import AppointmentFactory
from tests.health.conftest import MARKER, SMOKING

from .helpers import CAST, readable

pytestmark = pytest.mark.usefixtures("fresh_rate_limit")

DRAFT_MARKER = "Markør-utkast-5520"


@pytest.fixture
def declarations(cast, world):
    """Donald's declaration submitted (the marker in it) and Dolly's kept as a draft (the draft
    marker), both booked by HR on one appointment of «Helsekontroll (HK)»; health personnel
    have read Donald's once, so the audit trail has the read."""
    questionnaire = questionnaire_save(
        actor=cast.health,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=SMOKING,
    )
    # Two days after the world's own appointment, where Donald is booked already.
    appointment = AppointmentFactory(
        order=world.approved_order,
        capacity=5,
        starts_at=world.tb_appointment.starts_at + datetime.timedelta(days=2),
    )
    by_order = {q.order: str(q.pk) for q in questionnaire.questions.all()}
    booked = {}
    for employee, marker, submit in (
        (cast.donald, MARKER, True),
        (cast.dolly, DRAFT_MARKER, False),
    ):
        booking = services.booking_create(appointment=appointment, employee=employee, actor=cast.hr)
        declaration_answer(
            answer_set=booking.health_declaration,
            answers={by_order[1]: "no", by_order[3]: marker},
            submit=submit,
        )
        booked[employee.first_name] = booking
    declaration_read(answer_set=booked["Donald"].health_declaration, actor=cast.health)
    return {"appointment": appointment, **booked}


def pages(cast, declarations) -> list[str]:
    appointment, donald, dolly = (
        declarations["appointment"],
        declarations["Donald"],
        declarations["Dolly"],
    )
    return [
        f"/portal/appointment/{appointment.pk}/change/",
        "/portal/appointment/",
        f"/portal/order/{appointment.order_id}/change/",
        f"/portal/employee/{cast.donald.pk}/change/",
        f"/portal/employee/{cast.dolly.pk}/change/",
        "/revisjonslogg/",
        f"/egenerklaering/{donald.pk}/",
        f"/timeavtale/{booking_link_token(donald)}/",
        f"/timeavtale/{booking_link_token(donald)}/egenerklaering/",
        f"/timeavtale/{booking_link_token(dolly)}/",
    ]


@pytest.mark.parametrize("member", [*CAST, "health", "customer_service"])
def test_no_page_but_the_reading_page_shows_an_answer(client, cast, declarations, member):
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)

    shown = []
    for path in pages(cast, declarations):
        text = readable(client.get(path))
        shown += [f"{path}: {marker}" for marker in (MARKER, DRAFT_MARKER) if marker in text]
    read = client.post(f"/egenerklaering/{declarations['Donald'].pk}/")
    pdf = readable(client.post(f"/egenerklaering/{declarations['Donald'].pk}/pdf/"))
    client.post(f"/egenerklaering/{declarations['Donald'].pk}/journal/")
    after = [readable(client.get(path)) for path in pages(cast, declarations)]

    assert shown == []
    assert (MARKER in readable(read)) == (member == "health")
    assert (MARKER in pdf) == (member == "health")
    assert DRAFT_MARKER not in readable(read) + pdf
    assert not [text for text in after if MARKER in text or DRAFT_MARKER in text]


def test_the_employees_own_form_alone_shows_their_draft(client, declarations):
    dolly = declarations["Dolly"]

    form = client.get(f"/timeavtale/{booking_link_token(dolly)}/egenerklaering/")

    assert DRAFT_MARKER in form.content.decode()


@pytest.mark.parametrize("kind", list(BookingMail))
def test_no_mail_about_the_booking_carries_an_answer(declarations, kind):
    for name in ("Donald", "Dolly"):
        message = booking_mail_render(booking=declarations[name], kind=kind)
        text = f"{message.subject} {message.body} {message.attachments}"

        assert MARKER not in text
        assert DRAFT_MARKER not in text


def test_hr_s_reminder_carries_no_answer(
    cast, declarations, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        declaration_remind(booking=declarations["Dolly"], actor=cast.hr)

    [mail] = [m for m in mailoutbox if "egenerklæringen" in m.subject]
    text = f"{mail.subject} {mail.body} {mail.attachments}"
    assert "/egenerklaering/" in text
    assert MARKER not in text
    assert DRAFT_MARKER not in text
