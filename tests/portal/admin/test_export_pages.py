"""The export page lists the columns the file will hold: a customer's never names a customer."""

import re

import pytest
from django.utils.html import strip_tags

pytestmark = pytest.mark.django_db

LISTS = ["order", "invoice", "employee"]
# The headings of each list's file, as its export page lists them (in Norwegian).
HEADINGS = {
    "order": ["Bestillingsnummer", "Bestillingsdato", "Produktgruppe", "Ordrestatus"],
    "invoice": ["Fakturanummer", "Utestående"],
    "employee": ["Fornavn", "Etternavn", "E-post", "Fødselsdato"],
}


def columns_listed(client, model) -> str:
    response = client.get(f"/portal/{model}/export/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


@pytest.mark.parametrize("model", LISTS)
def test_a_customer_users_export_page_lists_no_customer_column(model, demo, login):
    page = columns_listed(login("testweb"), model)
    assert [heading for heading in HEADINGS[model] if heading not in page] == []
    others = [HEADINGS[other][0] for other in LISTS if other != model]
    assert [heading for heading in others if heading in page] == []
    assert not re.search(r"\bKunde\b", page)


@pytest.mark.parametrize("model", LISTS)
def test_staffs_export_page_lists_the_customer_column(model, demo, login):
    assert re.search(r"\bKunde\b", columns_listed(login("kam"), model))


@pytest.mark.parametrize("model", LISTS)
def test_the_export_page_reads_as_a_choice_of_file_and_last_ned(model, demo, login):
    response = login("testweb").get(f"/portal/{model}/export/")
    page = response.content.decode()

    choices = re.findall(r'<input type="radio" name="format" value="(\d)"[^>]*>', page)
    assert choices == ["0", "1"]
    text = re.sub(r"\s+", " ", strip_tags(page))
    assert "Excel (.xlsx)" in text
    assert "CSV for Excel (;)" in text
    assert "Last ned" in text
    assert "Send inn" not in text
    assert "<code>" not in page
    assert re.search(rf"<li[^>]*>\s*{HEADINGS[model][0]}\s*</li>", page)


def test_the_export_page_downloads_the_chosen_file(demo, login):
    client = login("testweb")

    xlsx = client.post("/portal/employee/export/", {"format": "0", "resource": "0"})
    csv = client.post("/portal/employee/export/", {"format": "1", "resource": "0"})

    assert xlsx.status_code == csv.status_code == 200
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    assert csv["Content-Disposition"].endswith('.csv"')
