"""The employee register's services: e-mail rules, mobile numbers, access, deactivation and
the audit trail, as the customer meets them."""

import datetime
import json
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from portal import services
from portal.models import Employee, Order
from portal.models.appointments import Attendance
from tests.factories import AppointmentFactory, BookingFactory
from tests.portal.helpers import NUMBER, OTHER_NUMBER, leaked_runs

pytestmark = pytest.mark.django_db


def _new(actor, department, **fields):
    """employee_create with the fields a user must fill in, overridable."""
    values = {"first_name": "Fetter", "last_name": "Anton", "email": "fetter@testikkeibruk.no"}
    return services.employee_create(actor=actor, department=department, **(values | fields))


def _events(employee, action=None):
    events = AuditEvent.objects.filter(
        content_type__model="employee", object_id=str(employee.pk)
    ).order_by("pk")
    return list(events.filter(action=action) if action else events)


# -- e-mail: required, and unique among the customer's active employees ----------------------


@pytest.mark.parametrize("email", ["", "   "])
def test_an_employee_without_an_email_address_is_refused(cast, email):
    # given a new employee without an e-mail address
    count = Employee.objects.count()

    # when testweb saves them
    with pytest.raises(ValidationError) as refused:
        _new(cast.testweb, cast.tb_main, email=email)

    # then the address is asked for and nobody is added
    assert refused.value.message_dict["email"] == ["E-postadresse er påkrevd."]
    assert Employee.objects.count() == count


@pytest.mark.parametrize("department", ["tb_main", "tb_bergen"])
@pytest.mark.parametrize(
    "email", ["Duck@testikkeibruk.no", "duck@testikkeibruk.no", "DUCK@TESTIKKEIBRUK.NO "]
)
def test_an_address_of_an_active_colleague_is_refused_in_any_letter_case(cast, department, email):
    # given Donald Duck, active at Testbedriften AS with Duck@testikkeibruk.no
    count = Employee.objects.count()

    # when testweb adds someone with the same address, in either department of the customer
    with pytest.raises(ValidationError) as refused:
        _new(cast.testweb, getattr(cast, department), email=email)

    # then the message names the address, and nobody is added
    assert refused.value.message_dict["email"] == [
        f"En aktiv ansatt hos denne kunden har allerede e-postadressen {email.strip()}."
    ]
    assert Employee.objects.count() == count


def test_the_same_address_is_accepted_at_another_customer(cast):
    employee = _new(cast.annen, cast.ek_main, email="Duck@testikkeibruk.no")

    assert employee.is_active
    assert employee.customer.name == "Eksempel Industri AS"


def test_changing_to_a_colleagues_address_is_refused_and_changes_nothing(cast):
    with pytest.raises(ValidationError) as refused:
        services.employee_update(
            employee=cast.dolly,
            actor=cast.testweb,
            email="DUCK@testikkeibruk.no",
            mobile="99999999",
        )

    assert refused.value.message_dict["email"] == [
        "En aktiv ansatt hos denne kunden har allerede e-postadressen DUCK@testikkeibruk.no."
    ]
    cast.dolly.refresh_from_db()
    assert (cast.dolly.email, cast.dolly.mobile) == ("dolly@testikkeibruk.no", "23456789")
    assert _events(cast.dolly) == []


def test_an_employee_may_change_the_case_of_their_own_address(cast):
    services.employee_update(
        employee=cast.donald, actor=cast.testweb, email="duck@testikkeibruk.no"
    )

    cast.donald.refresh_from_db()
    assert cast.donald.email == "duck@testikkeibruk.no"


def test_the_database_refuses_a_second_active_employee_with_the_address(cast):
    # given an active employee, written past the services
    Employee.objects.create(
        department=cast.tb_main, first_name="A", last_name="A", email="samme@testikkeibruk.no"
    )

    # when a second active one with the same address in another case is written past them too
    # then the database itself refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.create(
            department=cast.tb_bergen, first_name="B", last_name="B", email="SAMME@testikkeibruk.no"
        )


def test_a_race_past_the_check_still_ends_as_a_message_and_adds_nobody(cast):
    # given two users saving the same address at once: the service's look-up finds nothing
    count = Employee.objects.count()
    # when the second one reaches the database
    with (
        mock.patch("portal.services.employees.employee_email_taken", return_value=False),
        pytest.raises(ValidationError) as refused,
    ):
        _new(cast.testweb, cast.tb_main, email="duck@testikkeibruk.no")

    # then the database's refusal is told as the rule, and nothing is added or audited
    assert refused.value.message_dict["email"] == [
        "En aktiv ansatt hos denne kunden har allerede denne e-postadressen."
    ]
    assert Employee.objects.count() == count
    assert not AuditEvent.objects.filter(action="created").exists()


# -- deactivation and reactivation -----------------------------------------------------------


def test_deactivating_records_who_and_when_and_frees_the_address(cast):
    # given Donald Duck, active
    before = timezone.now()

    # when testweb deactivates him
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    # then he is deactivated, by testweb, just now
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is False
    assert cast.donald.deactivated_by == cast.testweb
    assert before <= cast.donald.deactivated_at <= timezone.now()
    event = _events(cast.donald, "deactivated")[-1]
    assert (event.actor, event.changes["is_active"]) == (cast.testweb, [True, False])
    # and a new colleague may take his address
    successor = _new(cast.testweb, cast.tb_main, first_name="Donald", last_name="Duck jr.",
                     email="duck@testikkeibruk.no")  # fmt: skip
    assert successor.is_active


def test_deactivating_twice_is_refused_with_a_message(cast):
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    with pytest.raises(ValidationError) as refused:
        services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    assert refused.value.messages == ["Donald Duck er allerede deaktivert."]
    assert len(_events(cast.donald, "deactivated")) == 1


def test_deactivating_cancels_future_bookings_only_and_says_which(cast):
    # given Donald on a health check in ten days and on one he attended ten days ago
    order = Order.objects.get(number=290467)
    now = timezone.now()
    future = BookingFactory(
        employee=cast.donald,
        appointment=AppointmentFactory(order=order, starts_at=now + datetime.timedelta(days=10)),
    )
    past = BookingFactory(
        employee=cast.donald,
        attendance=Attendance.ATTENDED,
        appointment=AppointmentFactory(order=order, starts_at=now - datetime.timedelta(days=10)),
    )

    # when he is deactivated
    cancelled = services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    # then the future booking is cancelled and reported; the past one is left as it was
    assert [booking.pk for booking in cancelled] == [future.pk]
    future.refresh_from_db()
    past.refresh_from_db()
    assert future.attendance == Attendance.CANCELLED
    assert past.attendance == Attendance.ATTENDED


def test_reactivating_is_refused_while_an_active_colleague_has_the_address(cast):
    # given Donald deactivated, and a new colleague who took his address
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)
    _new(
        cast.testweb,
        cast.tb_main,
        first_name="Fetter",
        last_name="Anton",
        email="DUCK@testikkeibruk.no",
    )

    # when testweb reactivates Donald
    with pytest.raises(ValidationError) as refused:
        services.employee_reactivate(employee=cast.donald, actor=cast.testweb)

    # then the message says which address is taken and what to do; Donald stays deactivated
    assert refused.value.messages == [
        "Duck@testikkeibruk.no brukes nå av en aktiv kollega. "
        "Gi Donald Duck en annen e-postadresse først."
    ]
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is False
    assert _events(cast.donald, "reactivated") == []


def test_reactivating_makes_the_employee_active_again_and_forgets_the_deactivation(cast):
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    services.employee_reactivate(employee=cast.donald, actor=cast.testweb)

    cast.donald.refresh_from_db()
    assert cast.donald.is_active is True
    assert (cast.donald.deactivated_by, cast.donald.deactivated_at) == (None, None)
    event = _events(cast.donald, "reactivated")[-1]
    assert (event.actor, event.changes) == (cast.testweb, {"is_active": [False, True]})


def test_reactivating_an_active_employee_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.employee_reactivate(employee=cast.donald, actor=cast.testweb)

    assert refused.value.messages == ["Donald Duck er allerede aktiv."]


# -- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12345678", "12345678"),
        ("123 45 678", "12345678"),
        ("+47 123 45 678", "12345678"),
        ("0047 12345678", "12345678"),
        ("+46 70 123 45 67", "+46701234567"),
        ("", ""),
    ],
)
def test_mobile_numbers_are_stored_in_one_form(cast, typed, stored):
    # when a new employee is added with the number as typed, and Dolly is given it
    employee = _new(cast.testweb, cast.tb_main, mobile=typed)
    services.employee_update(employee=cast.dolly, actor=cast.testweb, mobile=typed)

    # then both hold it in one form
    employee.refresh_from_db()
    cast.dolly.refresh_from_db()
    assert (employee.mobile, cast.dolly.mobile) == (stored, stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("tolv34", "Et mobilnummer har bare siffer (mellomrom og + først er greit)."),
        ("+47 12345", "Et norsk mobilnummer har 8 siffer."),
        ("1234567890", "Et norsk mobilnummer har 8 siffer."),
        ("+46 70", "Et utenlandsk mobilnummer har 8 til 15 siffer etter +."),
    ],
)
def test_a_mobile_number_that_is_not_one_is_refused_with_a_message(cast, typed, message):
    count = Employee.objects.count()

    with pytest.raises(ValidationError) as refused_new:
        _new(cast.testweb, cast.tb_main, mobile=typed)
    with pytest.raises(ValidationError) as refused_change:
        services.employee_update(employee=cast.dolly, actor=cast.testweb, mobile=typed)

    assert refused_new.value.message_dict["mobile"] == [message]
    assert refused_change.value.message_dict["mobile"] == [message]
    assert Employee.objects.count() == count
    cast.dolly.refresh_from_db()
    assert cast.dolly.mobile == "23456789"


# -- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "department"),
    [
        ("testweb", "ek_main"),  # another customer's department
        ("annen", "tb_main"),
        ("bergen", "tb_main"),  # their own customer, not their department
        ("finance", "tb_main"),  # their department, without manage_employees
    ],
)
def test_adding_where_the_user_may_not_manage_employees_is_refused(cast, actor, department):
    user = getattr(cast, actor)
    count = Employee.objects.count()

    with pytest.raises(PermissionDenied):
        _new(user, getattr(cast, department), email="ny@example.no")

    assert Employee.objects.count() == count


def test_another_customers_employee_cannot_be_changed_moved_or_deactivated(cast):
    with pytest.raises(PermissionDenied):
        services.employee_update(employee=cast.ola, actor=cast.testweb, mobile="11111111")
    with pytest.raises(PermissionDenied):
        services.employee_update(employee=cast.ola, actor=cast.testweb, department=cast.tb_main)
    with pytest.raises(PermissionDenied):
        services.employee_update(employee=cast.donald, actor=cast.testweb, department=cast.ek_main)
    with pytest.raises(PermissionDenied):
        services.employee_deactivate(employee=cast.ola, actor=cast.testweb)

    cast.ola.refresh_from_db()
    cast.donald.refresh_from_db()
    assert (cast.ola.mobile, cast.ola.is_active) == ("98765432", True)
    assert cast.donald.department == cast.tb_main
    assert _events(cast.ola) == []
    assert _events(cast.donald) == []


# -- the audit trail -------------------------------------------------------------------------


def test_every_change_leaves_an_audit_event_with_the_national_id_only_as_changed(cast):
    # given a new employee with a national id
    employee = _new(cast.testweb, cast.tb_main, mobile="+47 123 45 678", national_id=NUMBER)

    # when testweb changes the mobile, then the number, then nothing, then deactivates
    services.employee_update(employee=employee, actor=cast.testweb, mobile="87654321")
    services.employee_update(employee=employee, actor=cast.testweb, national_id=OTHER_NUMBER)
    services.employee_update(employee=employee, actor=cast.testweb, mobile="87654321")
    services.employee_deactivate(employee=employee, actor=cast.testweb)
    services.employee_reactivate(employee=employee, actor=cast.testweb)

    # then each change is one event by testweb, in order, and an unchanged save is none
    events = _events(employee)
    assert [(e.action, e.actor) for e in events] == [
        ("created", cast.testweb),
        ("changed", cast.testweb),
        ("changed", cast.testweb),
        ("deactivated", cast.testweb),
        ("reactivated", cast.testweb),
    ]
    created, mobile, number = (e.changes for e in events[:3])
    assert created["national_id"] == [None, "changed"]
    assert created["mobile"] == [None, "12345678"]
    assert created["email"] == [None, "fetter@testikkeibruk.no"]
    assert mobile == {"mobile": ["12345678", "87654321"]}
    assert number == {"national_id": ["changed", "changed"]}
    # and no event holds any part of either number
    for event in events:
        text = json.dumps(event.changes) + event.object_repr
        assert not leaked_runs(text, NUMBER), event
        assert not leaked_runs(text, OTHER_NUMBER), event


def test_removing_the_national_id_is_audited_as_changed(cast, donald_with_number):
    services.employee_update(employee=donald_with_number, actor=cast.testweb, national_id="")

    donald_with_number.refresh_from_db()
    assert not donald_with_number.has_national_id
    assert _events(donald_with_number)[-1].changes == {"national_id": ["changed", "changed"]}


def test_typing_the_registered_national_id_again_is_no_change(cast, donald_with_number):
    events = len(_events(donald_with_number))

    services.employee_update(employee=donald_with_number, actor=cast.testweb, national_id=NUMBER)

    assert len(_events(donald_with_number)) == events


# -- the national id through the services ----------------------------------------------------


def test_an_invalid_national_id_is_refused_and_nothing_is_stored(cast):
    with pytest.raises(ValidationError) as refused:
        services.employee_update(
            employee=cast.donald, actor=cast.testweb, national_id="31129956716"
        )

    assert refused.value.message_dict["national_id"] == [
        "Kontrollsifrene i fødselsnummeret er feil."
    ]
    cast.donald.refresh_from_db()
    assert (cast.donald.national_id_encrypted, cast.donald.national_id_digest) == ("", "")


def test_a_national_id_registered_on_a_colleague_is_refused_without_echoing_it(
    cast, donald_with_number
):
    with pytest.raises(ValidationError) as refused:
        # (without a birth date of her own, which would contradict Donald's number first)
        services.employee_update(
            employee=cast.dolly, actor=cast.testweb, national_id=NUMBER, birth_date=None
        )

    assert refused.value.message_dict["national_id"] == [
        "En annen ansatt hos denne kunden har dette fødselsnummeret."
    ]
    assert not leaked_runs(" ".join(refused.value.messages))
    cast.dolly.refresh_from_db()
    assert not cast.dolly.has_national_id
