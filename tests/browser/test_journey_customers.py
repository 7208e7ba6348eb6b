"""Customer users: each sees their own company's orders and nothing of the other's; a user
without portal access cannot sign in."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from .helpers import open_orders


def _order_link(results, number):
    return results.get_by_role("link", name=str(number), exact=True)


def test_each_customer_sees_only_their_own_orders(page, login, logout, screenshot):
    login(page, "testweb")
    results = open_orders(page)
    for number in (204334, 306990):
        expect(_order_link(results, number)).to_be_visible()
    # The list has rendered (above), so what is missing now is really missing.
    for number in (301122, 301188):
        expect(_order_link(results, number)).to_have_count(0)
    body = page.locator("body")
    expect(body).not_to_contain_text("301122")
    expect(body).not_to_contain_text("301188")
    expect(body).not_to_contain_text("Eksempel Industri")
    screenshot(page, "testweb-orders")

    logout(page)
    page.goto("/portal/order/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/portal/order/$"))

    login(page, "annen")
    results = open_orders(page)
    expect(_order_link(results, 301122)).to_be_visible()
    expect(_order_link(results, 204334)).to_have_count(0)
    body = page.locator("body")
    expect(body).not_to_contain_text("204334")
    expect(body).not_to_contain_text("Testbedriften")
    screenshot(page, "annen-orders")


def test_a_user_without_portal_access_cannot_log_in(page, screenshot):
    get_user_model().objects.create_user("utenfor", "utenfor@example.no", "demo")

    page.goto("/")
    page.locator("input[name=username]").fill("utenfor")
    page.locator("input[name=password]").fill("demo")
    page.locator("form [type=submit]").click()

    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("body")).to_contain_text(
        "Oppgi riktig brukernavn og passord for en konto med tilgang til kundeportalen."
    )
    expect(page.locator("input[name=password]")).to_be_visible()
    screenshot(page, "login-no-access")

    page.goto("/portal/order/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/portal/order/$"))


def test_signing_in_on_the_login_page_opened_directly_lands_on_info(page):
    # Unfold's login form has no hidden `next` field: without LOGIN_REDIRECT_URL this landed
    # on the 404 /accounts/profile/.
    page.goto("/login/")
    page.locator("input[name=username]").fill("testweb")
    page.locator("input[name=password]").fill("demo")
    with page.expect_navigation():
        page.locator("form [type=submit]").click()
    assert page.title().startswith("Info"), f"landed on {page.url}"
