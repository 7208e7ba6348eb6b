# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Rapporter and its exports: who gets what, over the fixed cast.

The expected answers are written out here. Every customer user's answer — the page, and each
exported spreadsheet cell by cell — is searched for the other customer's names and numbers,
also when they ask for the other customer with ?customer=<its id>.
"""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from .helpers import CAST, CUSTOMER_USERS, customer_names, department_rows_names, leaked

OK = 200
DENY = 403
MISSING = 404
LOGIN = "login"

# fmt: off
#  columns:                                                     superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    ("/rapporter/",                                             (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?from_month=2017-01&to_month=2021-12",         (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?customer={w.eksempel.pk}",                    (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?customer={w.testbedriften.pk}",               (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    # Exports: the report's capability for customers; the model's export permission for staff.
    ("/rapporter/?export=bestillinger",                         (OK,      OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=helsekontroll",                        (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=fakturaer",                            (OK,      OK,    OK,      DENY,   DENY, OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=bestillinger&customer={w.eksempel.pk}", (OK,     OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=helsekontroll&customer={w.eksempel.pk}", (OK,    OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=fakturaer&customer={w.eksempel.pk}&from_month=2017-01&to_month=2021-12", (OK, OK, OK, DENY, DENY, OK, OK, OK, LOGIN, LOGIN, LOGIN)),
    ("/rapporter/?export=finnes-ikke",                          (MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN, LOGIN, LOGIN)),
]
# fmt: on

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/login/?next="):
        return LOGIN
    if response.status_code == 302:
        return f"302 → {response['Location']}"
    return response.status_code


def readable(response) -> str:
    """What the user gets to read: the page, or every cell of the spreadsheet."""
    if response.get("Content-Type") == XLSX:
        workbook = load_workbook(BytesIO(response.content))
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode()


def hidden_names(member, world) -> list[str]:
    if member == "other_customer":
        return customer_names(world.testbedriften)
    if member == "department_user":
        return customer_names(world.eksempel) + department_rows_names([world.tb_main])
    if member in CUSTOMER_USERS:
        return customer_names(world.eksempel)
    return []


@pytest.mark.parametrize("member", CAST)
def test_reports_permission_matrix(member, cast, world, client):
    """Given the cast, when `member` opens the reports and their exports, then each answers as
    the table says, an export is a spreadsheet, and no customer user reads another customer's
    names — not even by asking for that customer."""
    user = cast[member]
    if user is not None:
        client.force_login(user)
    column = CAST.index(member)
    hidden = hidden_names(member, world)

    wrong, leaks = [], []
    for template, expected_row in MATRIX:
        url = template.format(w=world)
        response = client.get(url)
        got, expected = outcome(response), expected_row[column]
        if got != expected:
            wrong.append(f"{url}: expected {expected}, got {got}")
        if got == OK and "export=" in url and response["Content-Type"] != XLSX:
            wrong.append(f"{url}: not a spreadsheet but {response['Content-Type']}")
        readable_answer = member in CUSTOMER_USERS and response.status_code == 200
        if readable_answer and (found := leaked(readable(response), hidden)):
            leaks.append(f"{url} shows {found}")

    assert not wrong, f"{member} ({user}):\n" + "\n".join(wrong)
    assert not leaks, f"{member} ({user}):\n" + "\n".join(leaks)


def test_customer_service_sees_the_reports_but_may_not_export_them(world, client):
    """Staff without the export permissions (Kundeservice): the reports, no export button, and
    the export itself refused."""
    from django.contrib.auth.models import Group

    from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE
    from tests.factories import StaffFactory

    user = StaffFactory(username="kundeservice")
    user.groups.add(Group.objects.get(name=STAFF_GROUP_CUSTOMER_SERVICE))
    client.force_login(user)

    page = client.get("/rapporter/")

    assert page.status_code == 200
    assert [item["export_url"] for item in page.context["reports"]] == [None, None, None]
    assert "export=" not in page.content.decode()
    for slug in ("bestillinger", "helsekontroll", "fakturaer"):
        assert client.get(f"/rapporter/?export={slug}").status_code == DENY


def test_the_other_customers_rows_are_not_in_the_numbers_either(world, client, cast):
    """Names are one leak; counts are another. Testbedriften's administrator asking for
    Eksempel Industri gets exactly their own report back."""
    client.force_login(cast["customer_admin"])
    period = "from_month=2017-01&to_month=2021-12"

    own = client.get(f"/rapporter/?{period}")
    forged = client.get(f"/rapporter/?{period}&customer={world.eksempel.pk}")

    def tables(response):
        return [item["result"].table.rows for item in response.context["reports"]]

    assert tables(forged) == tables(own)
    assert forged.context["customer"] is None
