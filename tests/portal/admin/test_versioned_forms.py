"""Every edit form of the portal, opened by two people: the second save is refused, names
what the first changed with its value now, and writes nothing over it."""

import datetime
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.models import (
    Appointment,
    Contract,
    Customer,
    Department,
    Invoice,
    Order,
    ProductGroup,
    StaffProfile,
)
from tests.factories import AppointmentFactory
from tests.portal.two_browsers import browser, errors_of, opened

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def race(url: str, first: dict, second: dict, users=("kam", "admin")):
    """Both open `url`; the first saves `first`, then the second saves `second`."""
    one, two = browser(users[0]), browser(users[1])
    one_form, two_form = opened(one, url), opened(two, url)
    one_form.update(first)
    saved = one.post(url, one_form)
    assert saved.status_code == 302, errors_of(saved)
    two_form.update(second)
    return two.post(url, two_form)


def appointment_in_ten_days() -> Appointment:
    """Three seats in ten days at 14:00 Oslo time, as staff would set one up."""
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=OSLO)
    return cast(
        Appointment,
        AppointmentFactory(
            order=Order.objects.get(number=204334),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=20),
            capacity=3,
        ),
    )


def test_order_as_staff(demo):
    order = Order.objects.get(number=204334)

    refused = race(
        f"/portal/order/{order.pk}/change/",
        {"customer_reference": "ref-fra-kam"},
        {"description": "Endret av admin"},
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "customer_reference"}
    assert "nå står det: ref-fra-kam" in errors["customer_reference"]
    order.refresh_from_db()
    assert order.customer_reference == "ref-fra-kam"
    assert order.description != "Endret av admin"


def test_appointment(demo, frozen_clock):
    appointment = appointment_in_ten_days()

    refused = race(
        f"/portal/appointment/{appointment.pk}/change/",
        {"location": "Storgata 1, Bergen"},
        {"capacity": "5"},
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "location"}
    assert "nå står det: Storgata 1, Bergen" in errors["location"]
    appointment.refresh_from_db()
    assert (appointment.location, appointment.capacity) == ("Storgata 1, Bergen", 3)


def test_appointment_moved_in_between_names_the_time(demo, frozen_clock):
    appointment = appointment_in_ten_days()

    refused = race(
        f"/portal/appointment/{appointment.pk}/change/",
        {"starts_at_1": "09:00", "ends_at_1": "09:20"},
        {"location": "Et annet sted"},
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "starts_at", "ends_at"}
    assert "09:00" in errors["starts_at"]
    appointment.refresh_from_db()
    assert appointment.location == "Bergen"


def test_invoice(demo):
    invoice = Invoice.objects.get(number="2017-118350")

    refused = race(
        f"/portal/invoice/{invoice.pk}/change/",
        {"outstanding": "0.00"},
        {"due_date": "2017-12-31"},
        users=("admin", "admin"),
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "outstanding"}
    assert "nå står det: 0,00" in errors["outstanding"]
    invoice.refresh_from_db()
    assert invoice.outstanding == Decimal("0")
    assert str(invoice.due_date) != "2017-12-31"


def test_a_refused_appointment_save_does_not_count_as_written(demo, frozen_clock):
    appointment = appointment_in_ten_days()
    race(
        f"/portal/appointment/{appointment.pk}/change/",
        {"location": "A"},
        {"location": "B"},
    )

    assert Appointment.objects.get(pk=appointment.pk).version == 1


def test_customer(demo):
    customer = Customer.objects.get(name="Testbedriften AS")

    refused = race(
        f"/portal/customer/{customer.pk}/change/",
        {"customer_number": "77777"},
        {"name": "Testbedriften ASA"},
        users=("admin", "admin"),
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "customer_number"}
    assert "nå står det: 77777" in errors["customer_number"]
    customer.refresh_from_db()
    assert (customer.name, customer.customer_number) == ("Testbedriften AS", "77777")


@pytest.mark.parametrize("model", [Department, Contract, ProductGroup])
def test_department_contract_and_product_group(demo, model):
    row = model.objects.order_by("pk").first()
    url = f"/portal/{model._meta.model_name}/{row.pk}/change/"

    refused = race(url, {"name": "Nytt navn"}, {"name": "Et annet navn"}, users=("admin", "admin"))

    assert refused.status_code == 200
    assert "nå står det: Nytt navn" in errors_of(refused)["name"]
    row.refresh_from_db()
    assert row.name == "Nytt navn"


def test_user_and_staff_profile(demo):
    """Django's User has no version: the fields the form showed are the check, and the row
    is locked while it is saved."""
    kam = get_user_model().objects.get(username="kam")

    refused = race(
        f"/auth/user/{kam.pk}/change/",
        {"email": "kari@example.no", "staff_profile-0-phone": "22334455"},
        {"last_name": "Kundeansvarlig-Berg"},
        users=("admin", "admin"),
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "email"}
    assert "nå står det: kari@example.no" in errors["email"]
    kam.refresh_from_db()
    assert (kam.email, kam.last_name) == ("kari@example.no", "Kundeansvarlig")
    assert kam.staff_profile.phone == "22334455"


def test_staff_profile_changed_in_between(demo):
    kam = get_user_model().objects.get(username="kam")

    refused = race(
        f"/auth/user/{kam.pk}/change/",
        {"staff_profile-0-phone": "22334455"},
        {"staff_profile-0-phone": "99999999"},
        users=("admin", "admin"),
    )

    assert refused.status_code == 200
    [inline] = refused.context["inline_admin_formsets"]
    [profile_form] = inline.formset.forms
    assert "nå står det: 223 34 455" in " ".join(profile_form.errors["phone"])
    assert StaffProfile.objects.get(user=kam).phone == "22334455"


def test_group(demo):
    group = Group.objects.order_by("pk").first()

    refused = race(
        f"/auth/group/{group.pk}/change/",
        {"name": "Nytt gruppenavn"},
        {"name": "Et annet gruppenavn"},
        users=("admin", "admin"),
    )

    assert refused.status_code == 200
    assert "nå står det: Nytt gruppenavn" in errors_of(refused)["name"]
    group.refresh_from_db()
    assert group.name == "Nytt gruppenavn"
