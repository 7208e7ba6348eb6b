"""What the pages say to a screen reader and a phone, read from their HTML: the header's name,
the search panel's «Søk» toggle, the names of the inputs in a table of rows. The whole of
WCAG 2.1 AA is checked in the browser (tests/browser/test_accessibility.py)."""

import re

import pytest

pytestmark = pytest.mark.usefixtures("norwegian")


def test_the_header_names_the_user_in_full_and_offers_log_out(cast, login):
    body = login(cast.testweb).get("/").content.decode()
    header = re.search(r'<span class="portal-user[^"]*" data-testid="logged-in-as"[^>]*>', body)
    assert header, "no logged-in-as in the header"
    assert 'title="TESTWEB WEB (TESTWEB)"' in header.group(0)
    assert "Du er logget inn som:" in body
    assert re.search(r">\s*Logg ut\s*</button>", body)


def test_the_search_panel_folds_behind_a_search_button(cast, login):
    body = login(cast.testweb).get("/portal/order/").content.decode()
    toggle = re.search(r'<button type="button"[^>]*data-testid="search-panel-toggle"[^>]*>', body)
    assert toggle, "no «Søk» toggle on the search panel"
    assert 'aria-controls="search-panel-form"' in toggle.group(0)
    assert 'aria-expanded="false"' in toggle.group(0)
    assert re.search(r'<form id="search-panel-form"[^>]*class="portal-foldable', body)
    assert "searchOpen: false" in body


def test_a_search_with_errors_opens_the_panel(cast, login):
    body = login(cast.testweb).get("/portal/order/?number=abc").content.decode()
    assert "searchOpen: true" in body


def test_the_inputs_of_a_table_of_rows_carry_their_column_name(cast, login):
    body = login(cast.kam).get(f"/portal/customer/{cast.eksempel.pk}/change/").content.decode()
    for name, label in [
        ("departments-0-name", "Navn"),
        ("departments-0-org_number", "Organisasjonsnummer"),
        ("contracts-0-name", "Navn"),
    ]:
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert field, name
        assert f'aria-label="{label}"' in field.group(0), field.group(0)
