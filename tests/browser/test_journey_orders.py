"""An order from start to «Godkjent», as the seed tells it: testweb finds orders and places
one, the KA/KAM is told and confirms it as seller, testweb confirms it. Screenshots of every
step in var/screenshots/orders-*.png."""

import re

from playwright.sync_api import expect

from portal.models import Order

from .helpers import listed_numbers, open_orders, search

DESCRIPTION = "Helsekontroll for lageret, 12 ansatte, uke 42"


def _status(page):
    """The read-only «Status» of the order page."""
    label = page.locator("label", has_text=re.compile(r"^\s*Status\s*$"))
    return page.locator(".field-line").filter(has=label).locator(".readonly")


def _press_workflow_button(page, label):
    """A workflow button opens its confirmation dialog; the dialog's own button posts."""
    page.locator("a", has_text=label).first.click()
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    return dialog


def test_an_order_from_testweb_to_godkjent(page, login, logout, screenshot):
    # testweb finds orders by status and date.
    login(page, "testweb")
    results = open_orders(page)
    search(
        page,
        "Finn bestillinger",
        **{"Status": "Venter på selgers godkjenning", "Til dato": "30.06.2019"},
    )
    expect(page).to_have_url(re.compile(r"status=awaiting_seller"))
    expect(results.get_by_role("link", name="200400", exact=True)).to_be_visible()
    assert listed_numbers(results) == {"200400", "198279"}
    screenshot(page, "orders-01-testweb-search-status-and-date")

    # ... and places a new order.
    page.get_by_role("link", name="Ny bestilling").click()
    expect(page).to_have_url(re.compile(r"/portal/order/add/$"))
    expect(page.get_by_text("(Ikke skriv sensitive opplysninger her)")).to_have_count(1)
    # The one valid contract is chosen already, with its reference.
    expect(page.get_by_label("Kundebestillingsreferanse")).to_have_value("abonnement123")
    page.get_by_label("Bedrift/avdeling").select_option(label="Testbedriften AS")
    page.get_by_label("Produktgruppe").select_option(label="Helsekontroll (HK)")
    page.get_by_label("Kontrakt").select_option(label="Abonnement Testbedriften")
    page.get_by_label("Bestillingsbeskrivelse").fill(DESCRIPTION)
    screenshot(page, "orders-02-testweb-new-order")
    page.get_by_role("button", name="Send bestilling").click()

    expect(page).to_have_url(re.compile(r"/portal/order/\d+/change/$"))
    order = Order.objects.get(description=DESCRIPTION)
    body = page.locator("body")
    expect(body).to_contain_text(str(order.number))
    expect(_status(page)).to_contain_text("Venter på selgers godkjenning")
    expect(body).to_contain_text(
        "Bestillingen er sendt. Kundeansvarlig hos Avonova (Kari Kundeansvarlig (KAM)) har "
        "fått beskjed og bekrefter den."
    )
    # no «Bekreft bestilling» button while the seller has not confirmed (the status help names it)
    expect(page.locator("a", has_text="Bekreft bestilling")).to_have_count(0)
    screenshot(page, "orders-03-testweb-order-sent")
    logout(page)

    # kam sees the notification on Info and opens the order from it.
    login(page, "kam")
    info_tab = page.locator("#nav-sidebar-apps").get_by_role("link", name=re.compile("Info"))
    expect(info_tab).to_contain_text("1")
    notification = page.get_by_test_id("notification").filter(has_text=str(order.number))
    expect(notification).to_have_text(f"Ny bestilling {order.number} fra Testbedriften AS")
    screenshot(page, "orders-04-kam-notification")
    notification.click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    expect(_status(page)).to_contain_text("Venter på selgers godkjenning")
    screenshot(page, "orders-05-kam-order")

    # ... and confirms it as seller, through the dialog.
    dialog = _press_workflow_button(page, "Bekreft som selger")
    screenshot(page, "orders-06-kam-confirm-dialog")
    dialog.get_by_role("button", name="Bekreft som selger").click()
    expect(_status(page)).to_contain_text("Venter på kundens godkjenning")
    expect(page.get_by_test_id("notification")).to_have_count(0)  # not on this page
    screenshot(page, "orders-07-kam-confirmed-as-seller")
    page.goto("/")
    expect(page.get_by_test_id("notification").filter(has_text=str(order.number))).to_have_count(0)
    logout(page)

    # testweb opens the order, presses «Bekreft bestilling» and confirms in the dialog.
    login(page, "testweb")
    results = open_orders(page)
    results.get_by_role("link", name=str(order.number), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    expect(_status(page)).to_contain_text("Venter på kundens godkjenning")
    screenshot(page, "orders-08-testweb-order-awaiting-customer")
    dialog = _press_workflow_button(page, "Bekreft bestilling")
    screenshot(page, "orders-09-testweb-confirm-dialog")
    dialog.get_by_role("button", name="Bekreft bestilling").click()

    expect(_status(page)).to_contain_text("Godkjent")
    expect(page.locator("a", has_text="Bekreft bestilling")).to_have_count(0)
    screenshot(page, "orders-10-testweb-order-approved")
    order.refresh_from_db()
    assert order.status == "approved"
    assert order.seller_confirmed_by.username == "kam"
    assert order.customer_confirmed_by.username == "testweb"


def test_choosing_a_contract_fills_the_customer_reference(page, login, screenshot):
    """«Kundebestillingsreferanse (filled from the contract's reference and editable)»: the
    only contract is chosen when the page opens, with its reference; choosing it again after
    none brings the reference back."""
    login(page, "testweb")
    page.goto("/portal/order/add/")
    reference = page.get_by_label("Kundebestillingsreferanse")
    expect(reference).to_have_value("abonnement123")

    page.get_by_label("Kontrakt").select_option(label="Velg kontrakt")
    expect(reference).to_have_value("")
    page.get_by_label("Kontrakt").select_option(label="Abonnement Testbedriften")

    screenshot(page, "orders-11-contract-fills-reference")
    expect(reference).to_have_value("abonnement123")
    reference.fill("PO-4711")
    expect(reference).to_have_value("PO-4711")


def test_a_part_of_the_order_number_finds_the_order(page, login, screenshot):
    """testweb remembers «2904…» of an order: typed in «Bestillingsnummer», it finds 290467."""
    login(page, "testweb")
    results = open_orders(page)

    search(page, "Finn bestillinger", Bestillingsnummer="2904")

    expect(page).to_have_url(re.compile(r"number=2904"))
    expect(results.get_by_role("link", name="290467", exact=True)).to_be_visible()
    assert listed_numbers(results) == {"290467"}
    screenshot(page, "orders-12-testweb-number-part")
