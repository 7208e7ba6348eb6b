"""The Content-Security-Policy, enforced, with production's headers and cookies on: every page
of the journeys (and every page linked from them) loads without one violation, for staff and
for a customer. A violation fails the test here, and in every other journey too (the harness
fails a test on console errors, and Chromium reports each violation as one).

The policy is the same in every environment (config/settings/base.py); what production adds
(HSTS, secure cookies) is switched on here from tests/security/production.py.
"""

import re
from base64 import b32decode
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from portal.models import Customer, Employee, Invoice, Order
from tests.security.production import PRODUCTION_HEADERS

MAX_PAGES_PER_USER = 40
SKIP = ("/logout/", "/i18n/", "/static/", "/favicon.ico")
DOWNLOADS = re.compile(r"export|\.xlsx|\.csv|\.pdf|/pdf/|\.ics|calendar", re.IGNORECASE)

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile || "?"}:${event.lineNumber || "?"})`
    );
});
"""


@pytest.fixture
def production_headers(settings):
    for name, value in PRODUCTION_HEADERS.items():
        setattr(settings, name, value)


@pytest.fixture
def watched(page):
    page.add_init_script(COLLECT_VIOLATIONS)
    return page


def _visit(page, url, problems):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    if response is None:
        return
    if "content-security-policy" not in response.headers:
        problems.append(f"{url}: no Content-Security-Policy header")
    problems.extend(f"{url}: {v}" for v in page.evaluate("window.__cspViolations || []"))


def _links(page, base_url) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" != base_url.rstrip("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(SKIP) or DOWNLOADS.search(path):
            continue
        found.append(path)
    return found


def _crawl(page, start_pages, base_url) -> tuple[list[str], list[str]]:
    """Visit the start pages, then the pages they link to, breadth first."""
    queue, seen = list(start_pages), set(start_pages)
    problems: list[str] = []
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES_PER_USER:
        url = queue.pop(0)
        _visit(page, url, problems)
        visited.append(url)
        for link in _links(page, base_url):
            path_only = link.split("?")[0]
            variants = sum(1 for s in seen if s.split("?")[0] == path_only)
            if link not in seen and variants < 3:
                seen.add(link)
                queue.append(link)
    return visited, problems


def _journey_pages(username) -> list[str]:
    """Where the journeys go; a page the user may not open is left out (its 403 would be a
    console error of its own: the error pages are visited by the next test)."""
    order = Order.objects.get(number=204334)
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    invoice = Invoice.objects.get(number="2017-118350")
    customer = Customer.objects.get(name="Testbedriften AS")
    pages = [
        "/",
        "/portal/order/",
        "/portal/order/?status=awaiting_customer",
        "/portal/order/add/",
        f"/portal/order/{order.pk}/change/",
        f"/portal/order/{order.pk}/history/",
        "/portal/employee/",
        "/portal/employee/add/",
        f"/portal/employee/{donald.pk}/change/",
        "/portal/invoice/",
        f"/portal/invoice/{invoice.pk}/change/",
        "/rapporter/",
        reverse("two_factor"),
        reverse("two_factor_setup"),
        reverse("admin:password_change"),
    ]
    if username == "kam":
        pages += [
            "/portal/appointment/",
            "/portal/customer/",
            f"/portal/customer/{customer.pk}/change/",
            "/permissions/grant/",
            "/revisjonslogg/",
        ]
    return pages


@pytest.mark.parametrize("username", ["kam", "testweb"])
def test_no_page_of_the_journeys_breaks_the_policy(
    username, watched, login, logout, live_server, production_headers, screenshot
):
    page = watched
    login(page, username)

    visited, problems = _crawl(page, _journey_pages(username), live_server.url)
    if username == "kam":
        page.goto("/revisjonslogg/")
        screenshot(page, "kam-audit-trail")

    assert len(visited) > 15, visited
    assert not problems, "CSP violations:\n" + "\n".join(problems)
    logout(page)


def test_the_signed_out_pages_keep_the_policy(watched, live_server, production_headers):
    page = watched
    problems = []
    for url in (
        "/login/",
        "/passord/glemt/",
        "/passord/glemt/sendt/",
        "/passord/ny/MQ/ugyldig/",
        "/passord/ny/ferdig/",
    ):
        _visit(page, url, problems)

    page.goto("/login/")
    page.locator("input[name=username]").fill("kam")
    page.locator("input[name=password]").fill("feil-passord")
    page.locator("form [type=submit]").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    problems.extend(page.evaluate("window.__cspViolations"))

    assert not problems, "CSP violations:\n" + "\n".join(problems)


def test_staff_set_up_two_factor_at_their_first_sign_in(
    watched, live_server, production_headers, settings, screenshot
):
    """With the requirement on, kam signs in, is taken to the set-up, scans (reads) the
    secret, confirms with a code, sees the recovery codes once and lands where they went."""

    settings.PORTAL_REQUIRE_STAFF_2FA = True
    page = watched

    page.goto("/portal/order/")
    page.locator("input[name=username]").fill("kam")
    page.locator("input[name=password]").fill("demo")
    page.locator("form [type=submit]").click()

    expect(page).to_have_url(re.compile(r"/konto/tofaktor/oppsett/\?next="))
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    screenshot(page, "kam-two-factor-setup")
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("input[name=token]").fill(f"{TOTP(key, step=30, digits=6).token():06d}")
    page.locator("form [type=submit]").first.click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    screenshot(page, "kam-recovery-codes")
    page.get_by_role("link").last.click()
    expect(page).to_have_url(re.compile(r"/portal/order/$"))
    expect(page.locator("#result_list")).to_contain_text("204334")

    problems = page.evaluate("window.__cspViolations")
    assert not problems, "CSP violations:\n" + "\n".join(problems)


def test_the_error_pages_keep_the_policy(
    chromium, live_server, production_headers, users_logged_in
):
    """403 and 404 in their own browser context: Chromium logs every 4xx document as a console
    error, which the journeys' harness would count; here only violations count."""
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    context.add_cookies(users_logged_in("testweb", live_server.url))
    problems = []
    for url, status in (("/finnes-ikke/", 404), ("/portal/customer/", 403)):
        response = page.goto(url)
        assert response.status == status
        expect(page.get_by_test_id("error-page")).to_be_visible()
        problems.extend(page.evaluate("window.__cspViolations"))
    context.close()

    assert not problems + refused, "CSP violations:\n" + "\n".join(problems + refused)


@pytest.fixture
def users_logged_in(live_server):
    """`users_logged_in(username, url)`: the session cookie of a signed-in user, for a context."""

    def _cookies(username, url):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}]

    return _cookies
