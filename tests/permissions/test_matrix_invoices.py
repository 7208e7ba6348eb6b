# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Who gets what on the invoice pages and actions: the PDF, the export, the staff import, and
the invoices shown on an order's page. The same cast and the same way of writing the answers
as tests/permissions/test_matrix.py."""

import re

import pytest

from .helpers import CAST, CUSTOMER_USERS, DENY, GONE, LOGIN, OK, assert_matrix, outcome

NOT_ALLOWED = 405  # a GET where only a POST is taken
MISSING = 999999

# fmt: off
#  columns:                                                superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    # The list: finance and administrators; the orderer and HR have no invoices.
    ("/portal/invoice/",                                   (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/?status=overdue&o=6",                (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    # «Last ned PDF»: whoever may see the invoice; anyone else gets what a missing id gets.
    ("/portal/invoice/{w.tb_invoice.pk}/pdf/",             (OK,      OK,    OK,      DENY,   DENY, OK,     DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.bergen_invoice.pk}/pdf/",         (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/{w.ek_invoice.pk}/pdf/",             (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/999999/pdf/",                        (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/not-a-number/pdf/",                  (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Export of the list: customers who see invoices; staff with "Can export invoices".
    ("/portal/invoice/export/",                            (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    # Import from the accounting system: staff with "Can import invoices", never a customer.
    ("/portal/invoice/import/",                            (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/invoice/import/confirm/",                     (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, LOGIN, LOGIN, LOGIN)),
    # The order page lists the order's invoices to those who see invoices (checked below).
    ("/portal/order/{w.approved_order.pk}/change/",        (OK,      OK,    OK,      OK,     OK,   OK,     GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.fixture
def invoice_of_an_order(world):
    """A Testbedriften invoice with a line for order 290467, so that the order page lists it."""
    line = world.tb_invoice.lines.first()
    line.order = world.approved_order
    line.save()
    return world.tb_invoice


@pytest.mark.parametrize("member", CAST)
def test_invoice_permission_matrix(member, cast, world, invoice_of_an_order, client):
    """Given the cast, when `member` opens every invoice URL, then each answers as the table
    says, and no customer user reads another customer's names."""
    assert_matrix(client, cast, member, MATRIX, world=world)


@pytest.mark.parametrize(
    ("member", "sees"),
    [
        ("superuser", True),
        ("kam", True),
        ("testweb", True),
        ("finance", True),
        ("orderer", False),
        ("hr", False),
        ("bergen", False),  # Bergen TEST only; this invoice is Testbedriften AS's
    ],
)
def test_the_order_page_lists_its_invoices_only_to_those_who_see_them(
    member, sees, cast, world, invoice_of_an_order, client
):
    client.force_login(getattr(cast, member))

    response = client.get(f"/portal/order/{world.approved_order.pk}/change/")

    link = f'href="/portal/invoice/{invoice_of_an_order.pk}/change/"'
    if response.status_code == 302:  # Bergen TEST's user does not see the order at all
        assert not sees
        return
    assert (link in response.text) is sees
    assert (invoice_of_an_order.number in response.text) is sees


@pytest.mark.parametrize("member", CUSTOMER_USERS)
def test_another_customers_invoice_pdf_answers_like_a_missing_one(member, cast, world, client):
    client.force_login(getattr(cast, member))
    other = world.tb_invoice if member == "annen" else world.ek_invoice

    def answer(url):
        response = client.get(url)
        return response.status_code, response.get("Location"), response.get("Content-Type")

    assert answer(f"/portal/invoice/{other.pk}/pdf/") == answer(f"/portal/invoice/{MISSING}/pdf/")


@pytest.mark.parametrize(
    ("member", "refusal"),
    [(member, DENY) for member in CUSTOMER_USERS]
    + [("no_grant", LOGIN), ("inactive", LOGIN), ("anonymous", LOGIN)],
)
def test_nobody_but_staff_confirms_an_import(member, refusal, cast, world, client):
    """Customer users are refused; whoever may not use the portal at all is sent to log in."""
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)

    response = client.post("/portal/invoice/import/confirm/", {"token": "x"})

    assert outcome(response) == refusal


@pytest.mark.parametrize(
    ("member", "tab"),
    [
        ("finance", True),
        ("testweb", True),
        ("hr", False),
        ("orderer", False),
    ],
)
def test_the_fakturaer_tab_shows_for_finance_and_not_for_hr(member, tab, cast, client):
    """An Økonomi user sees the Fakturaer tab and the list; an HR user, without
    `view_invoices`, sees neither."""
    client.force_login(getattr(cast, member))

    index = client.get("/").text
    listing = client.get("/portal/invoice/")

    assert ('href="/portal/invoice/"' in index) is tab
    assert listing.status_code == (200 if tab else 403)
    if tab:
        assert "2017-118350" in listing.text


def test_only_staff_see_the_import_button(cast, client):
    for member, button in (
        ("kam", True),
        ("superuser", True),
        ("testweb", False),
        ("finance", False),
    ):
        client.force_login(getattr(cast, member))
        text = client.get("/portal/invoice/").text
        assert bool(re.search(r'href="/portal/invoice/import/"', text)) is button, member
