"""What the journeys do alike: open a list from the sidebar, search it with its panel, read
the numbers it lists; and check a page's accessibility with axe-core (`assert_accessible`)."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.models import Appointment
from tests.browser.conftest import TIMEOUT_MS


def open_orders(page):
    """The «Bestilling» tab; the results table of the order list."""
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Bestilling").click()
    expect(page).to_have_url(re.compile(r"/portal/order/$"))
    return page.locator("#result_list")


def search(page, title, **fields):
    """Fill the search panel headed `title` («Finn bestillinger») by label, and press «Søk»."""
    panel = page.locator("#search-panel")
    expect(panel.locator("#search-panel-title")).to_have_text(title)
    for label, value in fields.items():
        field = panel.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()


def listed_numbers(results) -> set[str]:
    """The numbers of the rows of a list of orders or invoices."""
    links = results.locator("tbody tr th a, tbody tr td.field-number a")
    return {text.strip() for text in links.all_inner_texts()}


# -- Accessibility ------------------------------------------------------------------------------

AXE_JS = Path(settings.BASE_DIR) / "devtools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_MISSING = f"axe-core not found at {AXE_JS}: run `make axe` (npm ci in devtools/axe; needs npm)."


def require_axe() -> None:
    """Skip the test where axe-core is not installed (`make axe`), or fail it when CI=true."""
    if not AXE_JS.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"CI=true and the accessibility check cannot run. {AXE_MISSING}", pytrace=False
            )
        pytest.skip(AXE_MISSING)


def axe_violations(page) -> list[dict]:
    """axe-core's violations of WCAG 2.0/2.1 A and AA on the page as it is now.

    The local copy (devtools/axe) is evaluated in the page rather than added as a <script>
    tag (`page.add_script_tag`): the portal's Content-Security-Policy refuses inline scripts,
    and the refusal would be logged as a console error. Nothing is fetched from the network."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """tags => axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
            }).then(results => results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))
            })))""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict], where: str = "") -> str:
    """One readable block per rule: id, impact and help, then each element's selector, a
    snippet of its HTML and what axe says is wrong."""
    lines = [f"{len(violations)} accessibility violation(s){' on ' + where if where else ''}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            snippet = " ".join(node["html"].split())
            if len(snippet) > 160:
                snippet = snippet[:157] + "..."
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}\n      {snippet}\n      {summary}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """Fail unless axe-core finds no violation of WCAG 2.0 and 2.1, levels A and AA
    (tags wcag2a, wcag2aa, wcag21a, wcag21aa), on the page as it is now.

    Call it after the page has loaded (and after opening a dialog or panel, to check that too).
    `where` names the page in the failure message (default: its URL). Where axe-core is not
    installed (`make axe`) the test is skipped, or fails when CI=true, like the journeys
    without Chromium."""
    require_axe()
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(violations, where or page.url), pytrace=False)


PHONE = {"width": 375, "height": 812}


def phone_context(chromium, live_server):
    """A phone's browser (375 px) in Norwegian on Norwegian time, signed in as nobody: how an
    employee opens the link in their mail."""
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def appointment_at(order, starts, location, capacity=1, **fields):
    """A 20-minute appointment of `order` at `starts`, closing for booking a day before."""
    return Appointment.objects.create(
        order=order,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=1),
        location=location,
        capacity=capacity,
        **fields,
    )
