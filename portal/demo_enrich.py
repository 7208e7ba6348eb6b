"""The living part of the demo: what makes every page show something on the day it is loaded.

The seed world (`portal.demo.demo_load`) is a copy of the seed documents, dated 2017–2021. On
top of it this adds, relative to `today`: upcoming appointments on the seed's health-check
orders (one with free seats, one full, one whose booking deadline has passed, one empty),
past ones with attendance, a few more employees in both of Testbedriften's departments, an
order for Bergen with its own appointments, the seed's departments' postal addresses, invoices
of this year in every status (an overdue one is of last year on 1 January) with lines linked
to the orders, notifications waiting for testweb, kam and hr.bergen, and hr.bergen itself: an
HR user of the department Bergen only; a health questionnaire for «Helsekontroll (HK)» sent
with the upcoming bookings of the approved order, Dolly's received for `helse` to read.

Every row has a fixed key (an order number, an invoice number's serial, an e-mail address, a
location on an order), so that loading again brings the same world back: what a visitor has
booked, read or changed on these rows is put back as it was.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.easter import easter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from health.models import QuestionKind, Questionnaire
from health.services import (
    QuestionDraft,
    declaration_answer,
    declaration_send,
    questionnaire_save,
)
from permissions.capabilities import Role
from permissions.policies import ORDERS
from permissions.services import grant_create
from portal.demo import HK, _employees, _user
from portal.models import (
    Contract,
    Customer,
    Department,
    Employee,
    Exposure,
    ExposureType,
    Invoice,
    InvoiceLine,
    Notification,
    Order,
    ProductGroup,
)
from portal.models.appointments import Appointment, Attendance, Booking
from portal.models.employees import Gender
from portal.models.messages import OrderMessage, OrderMessageRead
from portal.models.orders import OrderState, OrderStatus
from portal.models.sequences import sequence_advance_to
from portal.selectors.periods import months_add
from portal.services.booking_months import booking_months_refresh
from portal.services.messages import order_thread_link
from portal.services.surveillance import exposures_recheck
from portal.validators import kid_make

MAIN = "Testbedriften AS"
BERGEN = "Bergen TEST"
HR_BERGEN = "hr.bergen"

#: The seed's health-check orders that get appointments, and the order added for Bergen.
APPROVED_ORDER = 290467
DELIVERED_ORDER = 282207
AWAITING_CUSTOMER_ORDER = 306990
BERGEN_ORDER = 307000
BERGEN_ORDER_DESCRIPTION = "HELSEKONTROLL Bergen - HK arbeidshelse"

OSLO = "Avonova Oslo, Storgata 10"
OSLO_ROOM_2 = "Avonova Oslo, Storgata 10, rom 2"
BERGEN_PLACE = "Avonova Bergen, Kaigaten 4"

EKSEMPEL = "Eksempel Industri AS"

#: The health questionnaire of «Helsekontroll (HK)», as health personnel would write it.
HEALTH_QUESTIONNAIRE = "Egenerklæring helsekontroll"
HEALTH_QUESTIONS = [
    QuestionDraft(key="smokes", order=1, text="Røyker du?"),
    QuestionDraft(
        key="how_many",
        order=2,
        text="Hvor mange sigaretter om dagen?",
        kind=QuestionKind.NUMBER,
        unit="stk",
        parent="smokes",
        shown_on="yes",
    ),
    QuestionDraft(
        key="hearing",
        order=3,
        text="Merker du noe til hørselen?",
        kind=QuestionKind.SEVERAL_OF,
        choices="Ingenting\nSus eller ringing i ørene\nVanskelig å høre i støy",
    ),
    QuestionDraft(
        key="illness",
        order=4,
        text="Har du sykdommer eller bruker du faste medisiner?",
        kind=QuestionKind.LONG_TEXT,
        required=False,
    ),
]
#: Dolly's answers (by question order): the one declaration received in the demo.
DOLLYS_ANSWERS = {1: "no", 3: ["Sus eller ringing i ørene"], 4: "Astma, bruker inhalator."}

#: The seed's departments' postal addresses (customer, department): street, postal code, city.
ADDRESSES = {
    (MAIN, MAIN): ("Storgata 10", "0155", "Oslo"),
    (MAIN, BERGEN): ("Strandkaien 2", "5013", "Bergen"),
    (EKSEMPEL, EKSEMPEL): ("Postboks 123 Sentrum", "0102", "Oslo"),
    (EKSEMPEL, "Eksempel Industri Trondheim"): ("Kjøpmannsgata 5", "7013", "Trondheim"),
}

# first, last, e-mail, mobile, birth date, gender, department
EMPLOYEES = [
    ("Ingrid", "Hansen", "ingrid.hansen@testikkeibruk.no", "41234567", "1988-03-14",
     Gender.FEMALE, MAIN),
    ("Lars", "Johansen", "lars.johansen@testikkeibruk.no", "41234568", "1975-10-02",
     Gender.MALE, MAIN),
    ("Silje", "Berg", "silje.berg@testikkeibruk.no", "41234569", "1993-06-21",
     Gender.FEMALE, MAIN),
    ("Magnus", "Olsen", "magnus.olsen@testikkeibruk.no", "41234570", "1982-12-09",
     Gender.MALE, MAIN),
    ("Øyvind", "Larsen", "oyvind.larsen@testikkeibruk.no", "41234571", "1969-08-30",
     Gender.MALE, BERGEN),
    ("Hanne", "Solberg", "hanne.solberg@testikkeibruk.no", "41234572", "1990-02-11",
     Gender.FEMALE, BERGEN),
    ("Sigrid", "Nilsen", "sigrid.nilsen@testikkeibruk.no", "41234573", "1985-05-27",
     Gender.FEMALE, BERGEN),
]  # fmt: skip


@dataclass(frozen=True)
class Slot:
    """An appointment: its order and place (its key), its day counted in working days from
    today (negative: past), its capacity, how many days before it booking closes, and who
    is on it with their attendance."""

    order: int
    location: str
    workdays: int
    capacity: int
    people: tuple[tuple[str, str], ...]  # (e-mail, attendance)
    deadline_days: int = 2
    hour: int = 9


def _a(email: str, attendance: str = Attendance.BOOKED) -> tuple[str, str]:
    return (email, attendance)


DONALD, DOLLY = "Duck@testikkeibruk.no", "dolly@testikkeibruk.no"
ANTON, SKRUE = "anton@testikkeibruk.no", "skrue@testikkeibruk.no"
INGRID, LARS, SILJE, MAGNUS = (row[2] for row in EMPLOYEES[:4])
OYVIND, HANNE, SIGRID = (row[2] for row in EMPLOYEES[4:])

SLOTS = [
    # Upcoming, on the approved order: free seats, full, booking closed, empty.
    Slot(APPROVED_ORDER, OSLO, 8, 6, (_a(DOLLY), _a(INGRID))),
    Slot(APPROVED_ORDER, OSLO_ROOM_2, 6, 2, (_a(LARS), _a(SILJE))),
    # Starts on the next working day, booking closed two days before.
    Slot(APPROVED_ORDER, "Avonova Oslo, Bedriftshelse 3. etg.", 1, 4, (_a(MAGNUS),), 2, 13),
    Slot(APPROVED_ORDER, "Avonova Oslo, Storgata 10, rom 3", 15, 8, ()),
    # Past, on the delivered order: who came and who did not.
    Slot(
        DELIVERED_ORDER,
        OSLO,
        -20,
        4,
        (
            _a(DONALD, Attendance.ATTENDED),
            _a(DOLLY, Attendance.ATTENDED),
            _a(LARS, Attendance.NO_SHOW),
        ),
    ),
    Slot(
        DELIVERED_ORDER,
        OSLO_ROOM_2,
        -45,
        4,
        (
            _a(INGRID, Attendance.ATTENDED),
            _a(MAGNUS, Attendance.NO_SHOW),
            _a(SILJE, Attendance.CANCELLED),
        ),
    ),
    # Bergen: one past with attendance, one upcoming with free seats.
    Slot(
        BERGEN_ORDER,
        BERGEN_PLACE,
        -10,
        4,
        (_a(ANTON, Attendance.ATTENDED), _a(SKRUE, Attendance.NO_SHOW)),
    ),
    Slot(BERGEN_ORDER, BERGEN_PLACE, 10, 5, (_a(OYVIND),)),
]

# Exposure types: name, the check's product group, first check within (months), interval
# (months; None: offer only), explanation, regulation.
HEARING, LUNGS = "Hørselskontroll", "Lungefunksjon"
AML_CHAPTER_14 = "Forskrift om organisering, ledelse og medvirkning § 14-1"
EXPOSURE_TYPES = [
    ("Støy over 80 dB", HEARING, 6, 36,
     "Daglig støy over 80 dB(A) eller toppnivå over 130 dB(C) krever hørselskontroll.",
     AML_CHAPTER_14),
    ("Vibrasjon", HK, 6, 36,
     "Hånd-arm- eller helkroppsvibrasjon over tiltaksverdien krever helseundersøkelse.",
     AML_CHAPTER_14),
    ("Isocyanater", LUNGS, 6, 12,
     "Arbeid med isocyanater (herdere, lim, skum) krever lungefunksjonsmåling.",
     AML_CHAPTER_14),
    ("Løsemidler", HK, 6, 36,
     "Arbeid med organiske løsemidler krever helseundersøkelse.", AML_CHAPTER_14),
    ("Asbest", LUNGS, 3, 36,
     "Arbeid med asbest krever helseundersøkelse før arbeidet og jevnlig etter.",
     AML_CHAPTER_14),
    ("Ioniserende stråling", HK, 6, 12,
     "Arbeid med ioniserende stråling krever helseundersøkelse.", AML_CHAPTER_14),
    ("Dykking", HK, 1, 12,
     "Dykkere skal ha gyldig helseerklæring fra godkjent lege.", AML_CHAPTER_14),
    ("Nattarbeid", HK, 1, None,
     "Arbeidstakere som arbeider om natten skal tilbys helsekontroll.",
     "Arbeidsmiljøloven § 10-11"),
]  # fmt: skip

# e-mail, exposure, months since it began: the due list shows every status. The checks the
# statuses follow from are the bookings of SLOTS (Donald came 20 working days ago, Lars did
# not, Magnus is booked on the next working day).
EXPOSURES = [
    (DONALD, "Løsemidler", 30),  # attended a health check 20 working days ago: «I orden»
    (LARS, "Løsemidler", 48),  # a no-show, never checked: «Forfalt», booked again
    (MAGNUS, "Vibrasjon", 12),  # never checked: «Forfalt», booked on the next working day
    (INGRID, "Nattarbeid", 14),  # offered and attended 45 working days ago: «I orden»
    (SILJE, "Støy over 80 dB", 4),  # the first check within 6 months: «Forfaller innen 90 dager»
    (OYVIND, "Støy over 80 dB", 36),  # never checked: «Forfalt»
    (HANNE, "Isocyanater", 1),  # «Ikke undersøkt»
    (SIGRID, "Løsemidler", 24),  # «Forfalt»
    (SKRUE, "Støy over 80 dB", 5),  # «Forfaller innen 90 dager»
    # Rapporter's coverage turns with these: overdue for a year (Dolly) and for months (Anton),
    # until their checks 20 and 10 working days ago made them «I orden».
    (DOLLY, "Vibrasjon", 20),
    (ANTON, "Løsemidler", 9),
    (INGRID, "Støy over 80 dB", 2),  # «Ikke undersøkt»: the first check is months away
]

#: The orders the enrichment speaks of; the appointments of those in SLOTS are its own.
# Threads on orders (order, author's user name, days ago, text), oldest first: the last message of
# each is unread by the other side.
MESSAGES = [
    (
        BERGEN_ORDER,
        HR_BERGEN,
        9,
        "Kan timene legges tidlig på dagen? Mange hos oss begynner på skift kl. 07.",
    ),
    (
        BERGEN_ORDER,
        "kam",
        8,
        "Ja, vi setter opp timer fra kl. 07.30 i Kaigaten 4. Dere får beskjed når de er lagt inn.",
    ),
    (
        AWAITING_CUSTOMER_ORDER,
        "kam",
        1,
        "Bestillingen er satt opp med 12 deltakere, som avtalt på telefon. Bekreft den gjerne "
        "innen fredag, så setter vi opp timene.",
    ),
]

ENRICHED_ORDERS = (APPROVED_ORDER, DELIVERED_ORDER, BERGEN_ORDER, AWAITING_CUSTOMER_ORDER)

# serial, payer, invoice date (days before today), terms (days), order, lines, paid, credit
# Each line: description, quantity, unit price.
INVOICES = [
    (120101, MAIN, 50, 20, DELIVERED_ORDER, [("Helsekontroll", 3, "1500")], True, False),
    (120102, MAIN, 40, 14, APPROVED_ORDER, [("Helsekontroll", 2, "1500")], False, False),
    (
        120103,
        MAIN,
        5,
        20,
        APPROVED_ORDER,
        [("Helsekontroll", 2, "1500"), ("Syn- og hørselstest", 2, "450")],
        False,
        False,
    ),
    (120104, MAIN, 25, 0, DELIVERED_ORDER, [("Kreditert: Helsekontroll", 1, "-1500")], True, True),
    (120105, BERGEN, 8, 20, BERGEN_ORDER, [("Helsekontroll", 2, "1500")], False, False),
]


def _is_workday(day: datetime.date) -> bool:
    """Monday to Friday, and not a Norwegian public holiday (nor Christmas or New Year's Eve,
    when no one books a health check)."""
    if day.weekday() >= 5 or (day.month, day.day) in {
        (1, 1), (5, 1), (5, 17), (12, 24), (12, 25), (12, 26), (12, 31)
    }:  # fmt: skip
        return False
    # Maundy Thursday, Good Friday, Easter Monday, Ascension Day, Whit Monday.
    return (day - easter(day.year)).days not in {-3, -2, 1, 39, 50}


def _workday(today: datetime.date, workdays: int) -> datetime.date:
    """The day `workdays` working days after today, or before when negative."""
    step = 1 if workdays > 0 else -1
    day, left = today, abs(workdays)
    while left:
        day += datetime.timedelta(days=step)
        if _is_workday(day):
            left -= 1
    return day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _addresses() -> None:
    """The seed's departments, where their invoices go: set again on every load."""
    for (customer, name), (street, postal_code, city) in ADDRESSES.items():
        Department.objects.filter(customer__name=customer, name=name).update(
            postal_address=street, postal_code=postal_code, city=city
        )


def _bergen_order(*, today, departments, product_group, contract, submitted_by) -> Order:
    order, _created = Order.objects.update_or_create(
        number=BERGEN_ORDER,
        defaults={
            "order_date": _this_year(today, 30),
            "product_group": product_group,
            "description": BERGEN_ORDER_DESCRIPTION,
            "department": departments[BERGEN],
            "contract": contract,
            "customer_reference": contract.default_customer_reference,
            "state": OrderState.ACTIVE,
            "status": OrderStatus.APPROVED,
            "submitted_by": submitted_by,
        },
    )
    sequence_advance_to(name="order", value=BERGEN_ORDER)
    return order


def _appointments(*, today, orders, employees, booked_by) -> None:
    """Put the orders' appointments back as the slots say: every visitor's bookings on them
    and any appointment added to these orders since go first."""
    own = [orders[number] for number in {slot.order for slot in SLOTS}]
    # Whoever was booked on them before (a visitor may have booked anyone) is recounted too.
    recount = set(
        Booking.objects.filter(appointment__order__in=own).values_list("employee_id", flat=True)
    )
    Booking.objects.filter(appointment__order__in=own).delete()
    Appointment.objects.filter(order__in=own).delete()
    now = timezone.now()
    for slot in SLOTS:
        day = _workday(today, slot.workdays)
        starts = _at(day, slot.hour)
        if slot.workdays > 0:
            deadline = _at(day - datetime.timedelta(days=slot.deadline_days), 12)
            # Booking open: the deadline is after now. Closed (the slot of the next working
            # day): before now, whatever the hour the demo is loaded at.
            if slot.workdays == 1:
                deadline = min(deadline, now - datetime.timedelta(hours=1))
        else:
            deadline = starts - datetime.timedelta(days=slot.deadline_days)
        order = orders[slot.order]
        appointment = Appointment.objects.create(
            order=order,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=30),
            location=slot.location,
            capacity=slot.capacity,
            booking_deadline=deadline,
            instructions="Ta med briller og liste over faste medisiner.",
        )
        booker = booked_by[order.department.name]
        for email, attendance in slot.people:
            Booking.objects.create(
                appointment=appointment,
                employee=employees[email.lower()],
                booked_by=booker,
                booked_at=min(deadline, now) - datetime.timedelta(days=3),
                attendance=attendance,
                cancelled_by=booker if attendance == Attendance.CANCELLED else None,
                cancelled_at=(
                    deadline - datetime.timedelta(days=1)
                    if attendance == Attendance.CANCELLED
                    else None
                ),
            )
            recount.add(employees[email.lower()].pk)
    booking_months_refresh(employee_ids=recount)


def _health_declarations(*, order: Order, health) -> None:
    """The questionnaire of «Helsekontroll (HK)» (made once; a version staff made since is
    kept), sent with every upcoming booking of `order`; Dolly has answered hers, for `helse`
    to read. The bookings are made anew on each load, and their declarations with them."""
    if not Questionnaire.objects.offered().filter(name=HEALTH_QUESTIONNAIRE).exists():
        questionnaire_save(
            actor=health,
            name=HEALTH_QUESTIONNAIRE,
            product_groups=[ProductGroup.objects.get(name=HK)],
            questions=HEALTH_QUESTIONS,
        )
    upcoming = Booking.objects.filter(
        appointment__order=order, appointment__starts_at__gt=timezone.now()
    ).select_related("employee", "appointment__order__product_group")
    for booking in upcoming:
        declaration = declaration_send(booking=booking)
        if declaration is None or booking.employee.email.lower() != DOLLY:
            continue
        by_order = {q.order: str(q.pk) for q in declaration.questionnaire.questions.all()}
        answers = {by_order[n]: value for n, value in DOLLYS_ANSWERS.items() if n in by_order}
        declaration_answer(answer_set=declaration, answers=answers, submit=True)


def _this_year(today: datetime.date, days_ago: int) -> datetime.date:
    """`days_ago` days before today, but not before 1 January."""
    return max(today - datetime.timedelta(days=days_ago), today.replace(month=1, day=1))


def _invoice_dates(today, days_ago, terms, *, overdue) -> tuple[datetime.date, datetime.date]:
    """Invoice and due date, of this year where the status allows it: an invoice overdue today
    fell due yesterday at the latest, so on 1 January it is of last year."""
    invoice_date = _this_year(today, days_ago)
    due_date = invoice_date + datetime.timedelta(days=terms)
    if overdue:
        due_date = min(due_date, today - datetime.timedelta(days=1))
        invoice_date = min(invoice_date, due_date)
    return invoice_date, due_date


def _invoices(*, today, departments, orders) -> None:
    for serial, payer, days_ago, terms, order_number, lines, paid, credit in INVOICES:
        overdue = not (paid or credit) and days_ago > terms
        invoice_date, due_date = _invoice_dates(today, days_ago, terms, overdue=overdue)
        number = f"{invoice_date.year}-{serial}"
        # Loaded in another year, the same invoice had another year in its number.
        Invoice.objects.filter(number__endswith=f"-{serial}").exclude(number=number).delete()
        amounts = [
            (description, Decimal(quantity), Decimal(price), Decimal(quantity) * Decimal(price))
            for description, quantity, price in lines
        ]
        total = sum((amount for *_rest, amount in amounts), Decimal("0"))
        order = orders[order_number]
        invoice, _created = Invoice.objects.update_or_create(
            number=number,
            defaults={
                "payer": departments[payer],
                "order": order,
                "invoice_date": invoice_date,
                "due_date": due_date,
                "total": total,
                "outstanding": Decimal("0") if paid else total,
                "is_credit_note": credit,
                "kid": kid_make(reference=number.replace("-", "")),
            },
        )
        invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                order=order,
                description=description,
                quantity=quantity,
                unit_price=price,
                amount=amount,
            )
            for description, quantity, price, amount in amounts
        )


def _notifications(*, testweb, kam, hr_bergen, customer, orders, today) -> None:
    """Unread notifications: the services' own texts, in the language they are sent in, and
    two written for the demo (no service tells of a new invoice or of appointments yet)."""
    invoice = Invoice.objects.get(number__endswith=f"-{INVOICES[2][0]}")
    with translation.override(settings.LANGUAGE_CODE):
        waiting = [
            (
                testweb,
                _("Order %(number)s is waiting for your approval")
                % {"number": AWAITING_CUSTOMER_ORDER},
                orders[AWAITING_CUSTOMER_ORDER].get_absolute_url(),
                2,
            ),
            (
                testweb,
                _("New invoice %(number)s") % {"number": invoice.number},
                invoice.get_absolute_url(),
                5,
            ),
            (
                kam,
                _("New order %(number)s from %(customer)s")
                % {"number": BERGEN_ORDER, "customer": customer.name},
                orders[BERGEN_ORDER].get_absolute_url(),
                30,
            ),
            (
                kam,
                _("%(customer)s confirmed order %(number)s")
                % {"customer": customer.name, "number": APPROVED_ORDER},
                orders[APPROVED_ORDER].get_absolute_url(),
                3,
            ),
            (
                hr_bergen,
                _("Appointments have been added to order %(number)s") % {"number": BERGEN_ORDER},
                orders[BERGEN_ORDER].get_absolute_url(),
                20,
            ),
        ]
        # kam's answers in `MESSAGES`, to the order's submitter and the customer's approvers
        for number, author, days, _text in MESSAGES:
            if author == "kam":
                readers = [testweb, hr_bergen] if number == BERGEN_ORDER else [testweb]
                waiting.extend(
                    (
                        reader,
                        _("New message on order %(number)s") % {"number": number},
                        order_thread_link(orders[number]),
                        days,
                    )
                    for reader in readers
                )
    Notification.objects.filter(recipient__in=[testweb, kam, hr_bergen]).delete()
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            text=text,
            link=link,
            created_at=min(now, _at(today - datetime.timedelta(days=days), 10)),
        )
        for recipient, text, link, days in waiting
    )


def _messages(*, orders, today) -> None:
    """Threads on two orders, as people wrote them: each author has read the thread up to their
    own message, and the other side is told (`_notifications`); loading again writes them
    anew."""
    threads = [orders[number] for number in dict.fromkeys(n for n, *_rest in MESSAGES)]
    OrderMessage.objects.filter(order__in=threads).delete()
    OrderMessageRead.objects.filter(order__in=threads).delete()
    users = {user.username: user for user in get_user_model().objects.all()}
    now = timezone.now()
    for number, author, days, text in MESSAGES:
        message = OrderMessage.objects.create(
            order=orders[number],
            author=users[author],
            from_staff=ORDERS.writes_as_staff(users[author]),
            text=text,
            created_at=min(now, _at(today - datetime.timedelta(days=days), 9)),
        )
        OrderMessageRead.objects.update_or_create(
            user=users[author], order=orders[number], defaults={"last_read_id": message.pk}
        )


def exposure_types_ensure() -> dict[str, ExposureType]:
    """The demo's exposure types (and their checks' product groups), by name."""
    for name, group, first, interval, explanation, regulation in EXPOSURE_TYPES:
        ExposureType.objects.update_or_create(
            name=name,
            defaults={
                "product_group": ProductGroup.objects.get_or_create(name=group)[0],
                "first_check_months": first,
                "interval_months": interval,
                "explanation": explanation,
                "regulation": regulation,
            },
        )
    return {kind.name: kind for kind in ExposureType.objects.all()}


def _exposures(*, today, employees, actor) -> None:
    kinds = exposure_types_ensure()
    Exposure.objects.filter(employee__in=employees.values()).delete()
    for email, name, months in EXPOSURES:
        Exposure.objects.create(
            employee=employees[email.lower()],
            exposure_type=kinds[name],
            starts_on=months_add(today, -months),
            created_by=actor,
        )
    exposures_recheck(employee_ids=[e.pk for e in employees.values()])


@transaction.atomic
def demo_enrich(today: datetime.date | None = None) -> None:
    """Add the living part of the demo to the seed world (`demo_load` first), dated from
    `today`; loading again brings it back."""
    today = today or timezone.localdate()
    customer = Customer.objects.get(name=MAIN)
    departments = {d.name: d for d in Department.objects.filter(customer=customer)}
    users = get_user_model().objects
    testweb, kam = users.get(username="testweb"), users.get(username="kam")
    hr_bergen = _user(
        HR_BERGEN, first_name="Hege", last_name="Haugland", email="hr.bergen@testikkeibruk.no"
    )
    grant_create(user=hr_bergen, customer=customer, role=Role.HR, departments=[departments[BERGEN]])

    _addresses()
    _employees(EMPLOYEES, departments=departments)
    employees = {
        e.email.lower(): e for e in Employee.objects.filter(customer=customer, is_active=True)
    }
    contract = Contract.objects.get(customer=customer, name="Abonnement Testbedriften")
    # Testbedriften's agreement allows SMS reminders: the demo's reminders go to var/sms/ too.
    Contract.objects.filter(pk=contract.pk).update(allows_sms=True)
    orders = {o.number: o for o in Order.objects.filter(number__in=ENRICHED_ORDERS)}
    orders[BERGEN_ORDER] = _bergen_order(
        today=today,
        departments=departments,
        product_group=ProductGroup.objects.get(name=HK),
        contract=contract,
        submitted_by=hr_bergen,
    )
    _appointments(
        today=today,
        orders=orders,
        employees=employees,
        booked_by={MAIN: testweb, BERGEN: hr_bergen},
    )
    _health_declarations(order=orders[APPROVED_ORDER], health=users.get(username="helse"))
    # The demo's own employees as loaded (moved, deactivated or back again) in the reports.
    booking_months_refresh(
        employee_ids=Employee.objects.filter(customer__name__in=[MAIN, EKSEMPEL]).values_list(
            "pk", flat=True
        )
    )
    _invoices(today=today, departments=departments, orders=orders)
    _exposures(today=today, employees=employees, actor=testweb)
    _messages(orders=orders, today=today)
    _notifications(
        testweb=testweb, kam=kam, hr_bergen=hr_bergen, customer=customer, orders=orders, today=today
    )
