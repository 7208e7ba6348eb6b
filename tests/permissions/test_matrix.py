# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Who gets what on every admin URL: a permission matrix over the fixed cast.

In the style of Wagtail's `assertUserPermissionMatrix`: the expected answers are written out
here, not worked out from the code under test. Every customer user's response is also searched
for the other customer's names and numbers, and for the staff-only part of the sidebar.
"""

import json
import re

import pytest

from portal.models import Employee, Order

from .helpers import (
    CAST,
    CUSTOMER_USERS,
    DENY,
    GONE,
    LOGIN,
    OK,
    assert_matrix,
    staff_section_seen,
)

MISSING = 999999  # a primary key no row has

AC = "/autocomplete/?app_label={app}&model_name={model}&field_name={field}&term="

# fmt: off
#  columns:                                                superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    ("/",                                                  (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/",                                        (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    # Orders: customers see and place orders; only the superuser deletes.
    ("/portal/order/",                                     (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/add/",                                 (OK,      OK,    OK,      OK,     DENY, DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.tb_order.pk}/change/",              (OK,      OK,    OK,      OK,     OK,   OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.bergen_order.pk}/change/",          (OK,      OK,    OK,      OK,     OK,   OK,     OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.ek_order.pk}/change/",              (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/999999/change/",                       (GONE,    GONE,  GONE,    GONE,   GONE, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.tb_order.pk}/history/",             (OK,      OK,    OK,      OK,     OK,   OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.bergen_order.pk}/history/",         (OK,      OK,    OK,      OK,     OK,   OK,     OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.ek_order.pk}/history/",             (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/999999/history/",                      (GONE,    GONE,  GONE,    GONE,   GONE, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.tb_order.pk}/delete/",              (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.ek_order.pk}/delete/",              (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/999999/delete/",                       (GONE,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Order workflow actions (dialogs; a GET only shows the dialog): shown only where the step is
    # allowed. Customers confirm an order themselves; staff confirm it on the customer's behalf.
    ("/portal/order/{w.tb_order.pk}/confirm-seller/",      (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.awaiting_customer_order.pk}/confirm/", (DENY, DENY,  OK,      OK,     DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.awaiting_customer_order.pk}/confirm-on-behalf/", (OK, OK, DENY, DENY, DENY, DENY, DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.approved_order.pk}/delivered/",     (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.tb_order.pk}/state/",               (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/999999/confirm/",                      (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Employees: HR and administrators; the orderer and finance have no employees at all.
    ("/portal/employee/",                                  (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/add/",                              (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.donald.pk}/change/",             (OK,      OK,    OK,      DENY,   OK,   DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.anton.pk}/change/",              (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.ola.pk}/change/",                (OK,      OK,    GONE,    DENY,   GONE, DENY,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/999999/change/",                    (GONE,    GONE,  GONE,    DENY,   GONE, DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.donald.pk}/history/",            (OK,      OK,    OK,      GONE,   OK,   GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.anton.pk}/history/",             (OK,      OK,    OK,      GONE,   OK,   GONE,   OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.ola.pk}/history/",               (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/999999/history/",                   (GONE,    GONE,  GONE,    GONE,   GONE, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.donald.pk}/delete/",             (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{c.ola.pk}/delete/",                (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/999999/delete/",                    (GONE,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Invoices: finance and administrators, read-only; nobody but the superuser adds or deletes.
    ("/portal/invoice/",                                   (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/add/",                               (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.tb_invoice.pk}/change/",          (OK,      OK,    OK,      DENY,   DENY, OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.bergen_invoice.pk}/change/",      (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.ek_invoice.pk}/change/",          (OK,      OK,    GONE,    DENY,   DENY, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/999999/change/",                     (GONE,    GONE,  GONE,    DENY,   DENY, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.tb_invoice.pk}/history/",         (OK,      OK,    OK,      GONE,   GONE, OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.bergen_invoice.pk}/history/",     (OK,      OK,    OK,      GONE,   GONE, OK,     OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.ek_invoice.pk}/history/",         (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/999999/history/",                    (GONE,    GONE,  GONE,    GONE,   GONE, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.tb_invoice.pk}/delete/",          (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.ek_invoice.pk}/delete/",          (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/999999/delete/",                     (GONE,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Appointments: the rows of the orders a user may see; only staff create and change them.
    ("/portal/appointment/",                               (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/add/",                           (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{w.tb_appointment.pk}/change/",  (OK,      OK,    OK,      OK,     OK,   OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{w.ek_appointment.pk}/change/",  (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/999999/change/",                 (GONE,    GONE,  GONE,    GONE,   GONE, GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{w.tb_appointment.pk}/history/", (OK,      OK,    OK,      OK,     OK,   OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{w.ek_appointment.pk}/history/", (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{w.tb_appointment.pk}/delete/",  (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Staff only: customers, departments, contracts, product groups, bookings, portal access.
    ("/portal/customer/",                                  (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/customer/{c.testbedriften.pk}/change/",      (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/customer/{c.eksempel.pk}/change/",           (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/customer/{c.testbedriften.pk}/invite-contact/", (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/customer/{c.eksempel.pk}/invite-contact/",   (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/department/",                                (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/department/{c.tb_bergen.pk}/change/",        (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/department/{c.ek_main.pk}/change/",          (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/contract/",                                  (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/contract/{c.tb_contract.pk}/change/",        (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/contract/{c.ek_contract.pk}/change/",        (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/productgroup/",                              (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/productgroup/{c.product_group.pk}/change/",  (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/booking/",                                   (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/booking/{w.tb_booking.pk}/change/",          (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/booking/{w.ek_booking.pk}/change/",          (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/permissions/grant/",                                (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Outgoing e-mail: staff see every mail the portal sends, its attempts and errors.
    ("/background/outgoingmail/",                          (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/background/outgoingmail/{w.mail.pk}/change/",       (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/background/outgoingmail/add/",                      (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/background/outgoingmail/{w.mail.pk}/delete/",       (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/permissions/grant/{w.tb_grant.pk}/change/",         (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/permissions/grant/{w.ek_grant.pk}/change/",         (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Users and groups: the superuser only (KA/KAM holds no auth permissions).
    ("/auth/user/",                                        (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/auth/user/{w.tb_grant.user_id}/change/",            (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/auth/group/",                                       (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/auth/group/{w.kam_group.pk}/change/",               (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Autocomplete: answered by the admin of the model looked up, scoped like its list.
    (AC.format(app="portal", model="invoiceline", field="order"),    (OK, OK, OK,  OK,   OK,   OK,   OK,   OK,   LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="appointment", field="order"),    (OK, OK, OK,  OK,   OK,   OK,   OK,   OK,   LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="booking", field="employee"),     (OK, OK, OK,  DENY, OK,   DENY, OK,   OK,   LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="booking", field="appointment"),  (OK, OK, OK,  OK,   OK,   OK,   OK,   OK,   LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="order", field="department"),     (OK, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="employee", field="department"),  (OK, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="department", field="customer"),  (OK, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="order", field="contract"),       (OK, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="invoice", field="payer"),        (OK, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="permissions", model="grant", field="customer"),  (OK, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="permissions", model="grant", field="user"),      (OK, DENY, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    (AC.format(app="portal", model="customer", field="account_manager"), (OK, DENY, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
]
# fmt: on


@pytest.mark.parametrize("member", CAST)
def test_permission_matrix(member, cast, world, client):
    """Given the cast, when `member` opens every admin URL, then each answers as the table says,
    and no customer user's page shows another customer's names or the staff section."""
    assert_matrix(client, cast, member, MATRIX, world=world)


def _answer(client, url, object_id):
    """Status, redirect and messages of a URL, with the object's id written as <id>."""
    response = client.get(url)
    location = response.get("Location")
    messages = []
    if response.status_code == 302:
        followed = client.get(location)
        messages = [
            re.sub(rf"\b{object_id}\b", "<id>", str(message))
            for message in followed.context["messages"]
        ]
    return response.status_code, location, messages


OBJECT_ACTIONS = {
    "order": ("confirm-seller", "confirm", "confirm-on-behalf", "delivered", "state", "messages"),
    "employee": ("deactivate", "reactivate", "reveal"),
    "invoice": ("pdf",),
    "appointment": (
        "book-employee",
        "unbook-employee",
        "attendance",
        "declaration-reminder",
        "cancel",
    ),
    "customer": ("invite-contact",),
}
OTHER_CUSTOMERS_OBJECTS = {
    # the Testbedriften users look at Eksempel Industri's rows, annen at Testbedriften's
    # (w: the world's rows, c: the cast's)
    "order": ("w.ek_order", "w.tb_order"),
    "employee": ("c.ola", "c.donald"),
    "invoice": ("w.ek_invoice", "w.tb_invoice"),
    "customer": ("c.eksempel", "c.testbedriften"),
    "department": ("c.ek_main", "c.tb_main"),
    "contract": ("c.ek_contract", "c.tb_contract"),
    "appointment": ("w.ek_appointment", "w.tb_appointment"),
    "booking": ("w.ek_booking", "w.tb_booking"),
}


@pytest.mark.parametrize("member", CUSTOMER_USERS)
def test_another_customers_object_answers_like_one_that_does_not_exist(member, cast, world, client):
    """Given a customer user, when they open another customer's row on change, history, delete
    and its actions, then the answer (status, redirect, message) is that of an id no row has."""
    client.force_login(getattr(cast, member))
    side = 1 if member == "annen" else 0

    different = []
    for model, attributes in OTHER_CUSTOMERS_OBJECTS.items():
        source, name = attributes[side].split(".")
        other = getattr({"w": world, "c": cast}[source], name)
        for view in ("change", "history", "delete", *OBJECT_ACTIONS.get(model, ())):
            other_url = f"/portal/{model}/{other.pk}/{view}/"
            missing_url = f"/portal/{model}/{MISSING}/{view}/"
            got = _answer(client, other_url, other.pk)
            expected = _answer(client, missing_url, MISSING)
            if got != expected:
                different.append(f"{other_url} answers {got}; {missing_url} answers {expected}")

    assert not different, f"{member}:\n" + "\n".join(different)


@pytest.mark.parametrize(
    ("member", "own"),
    [("testweb", "testbedriften"), ("annen", "eksempel")],
)
def test_autocomplete_offers_only_the_users_own_rows(member, own, cast, world, client):
    """Given a customer user, when a form asks the autocomplete for orders and employees, then
    it offers exactly their own customer's rows."""

    client.force_login(getattr(cast, member))
    own_customer = getattr(cast, own)

    orders = client.get(AC.format(app="portal", model="invoiceline", field="order"))
    employees = client.get(AC.format(app="portal", model="booking", field="employee"))

    # An order is offered as «306990 – Testbedriften AS – Helsekontroll (HK)»: by its number.
    offered_orders = {
        item["text"].split(" – ")[0] for item in json.loads(orders.content)["results"]
    }
    offered_employees = {item["text"] for item in json.loads(employees.content)["results"]}
    assert offered_orders == {
        str(n)
        for n in Order.objects.filter(department__customer=own_customer).values_list(
            "number", flat=True
        )
    }
    assert offered_employees == {
        e.full_name for e in Employee.objects.filter(department__customer=own_customer)
    }


def test_customers_never_see_the_staff_section_and_staff_do(cast, world, client):
    """Given the index page, customer users get only their tabs; the KA/KAM gets the
    "Administrasjon" section too."""
    for member in CUSTOMER_USERS:
        client.force_login(getattr(cast, member))
        text = client.get("/").content.decode()
        assert staff_section_seen(text) == [], member

    client.force_login(cast.kam)
    text = client.get("/").content.decode()
    assert "Administrasjon" in text
    assert 'href="/portal/customer/"' in text


@pytest.mark.parametrize(
    ("member", "tabs", "not_tabs"),
    [
        ("orderer", ["/portal/order/", "/rapporter/"], ["/portal/employee/", "/portal/invoice/"]),
        ("hr", ["/portal/order/", "/portal/employee/"], ["/portal/invoice/"]),
        ("finance", ["/portal/order/", "/portal/invoice/"], ["/portal/employee/"]),
        ("testweb", ["/portal/order/", "/portal/employee/", "/portal/invoice/"], []),
    ],
)
def test_the_sidebar_shows_only_the_tabs_the_role_allows(member, tabs, not_tabs, cast, client):
    client.force_login(getattr(cast, member))

    text = client.get("/").content.decode()

    for tab in tabs:
        assert f'href="{tab}"' in text, tab
    for tab in not_tabs:
        assert f'href="{tab}"' not in text, tab
