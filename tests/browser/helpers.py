"""What the journeys do alike on a list page: open it from the sidebar, search it with its
panel, read the numbers it lists."""

import re

from playwright.sync_api import expect


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
