# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Rapporter and its exports: who gets what, over the fixed cast.

The expected answers are written out here. Every customer user's answer — the page, and each
exported spreadsheet cell by cell — is searched for the other customer's names and numbers,
also when they ask for the other customer with ?customer=<its id>.
"""

import datetime

import pytest

from portal.models import Exposure, ExposureType

from .helpers import CAST, DENY, LOGIN, OK, XLSX, assert_matrix, outcome

SHEET = "xlsx"  # 200, and the answer is a spreadsheet

# fmt: off
#  columns:                                                     superuser staff  cust.adm orderer hr     finance bergen other  no_grant inactive anonymous
MATRIX = [
    ("/rapporter/",                                             (OK,      OK,    OK,      OK,     OK,    OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?from_month=2017-01&to_month=2021-12",         (OK,      OK,    OK,      OK,     OK,    OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?customer={c.eksempel.pk}",                    (OK,      OK,    OK,      OK,     OK,    OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?customer={c.testbedriften.pk}",               (OK,      OK,    OK,      OK,     OK,    OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    # Health surveillance coverage, worked out on request, with the names of the departments.
    ("/rapporter/?vis=helseovervaking&from_month=2017-01&to_month=2021-12", (OK, OK, OK,   OK,     OK,    OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?vis=helseovervaking&customer={c.eksempel.pk}&from_month=2017-01&to_month=2021-12", (OK, OK, OK, OK, OK, OK, OK, OK, LOGIN, LOGIN, LOGIN)),
    # Exports: the report's capability for customers; the model's export permission for staff.
    ("/rapporter/?export=bestillinger",                         (SHEET,   SHEET, SHEET,   SHEET,  SHEET, SHEET,  SHEET, SHEET, LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=helsekontroll",                        (SHEET,   SHEET, SHEET,   DENY,   SHEET, DENY,   SHEET, SHEET, LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=fakturaer",                            (SHEET,   SHEET, SHEET,   DENY,   DENY,  SHEET,  SHEET, SHEET, LOGIN,   LOGIN,   LOGIN)),
    # Health surveillance coverage: those who see the due list (view employees); staff by its export permission,
    # for the customer they pick (over every customer, the page says to pick one).
    ("/rapporter/?export=helseovervaking",                      (OK,      OK,    SHEET,   DENY,   SHEET, DENY,   SHEET, SHEET, LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=helseovervaking&customer={c.eksempel.pk}&from_month=2017-01&to_month=2021-12", (SHEET, SHEET, SHEET, DENY, SHEET, DENY, SHEET, SHEET, LOGIN, LOGIN, LOGIN)),
    ("/rapporter/?export=bestillinger&customer={c.eksempel.pk}", (SHEET,  SHEET, SHEET,   SHEET,  SHEET, SHEET,  SHEET, SHEET, LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=helsekontroll&customer={c.eksempel.pk}", (SHEET, SHEET, SHEET,   DENY,   SHEET, DENY,   SHEET, SHEET, LOGIN,   LOGIN,   LOGIN)),
    ("/rapporter/?export=fakturaer&customer={c.eksempel.pk}&from_month=2017-01&to_month=2021-12", (SHEET, SHEET, SHEET, DENY, DENY, SHEET, SHEET, SHEET, LOGIN, LOGIN, LOGIN)),
    # a report that does not exist: the page, saying so (tests/portal/admin/test_junk_filters.py)
    ("/rapporter/?export=finnes-ikke",                          (OK,      OK,    OK,      OK,     OK,    OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.fixture
def exposed(world, cast):
    """An exposure for an employee of each department, so that health surveillance coverage
    has figures (and department names) of both customers to keep apart."""
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=cast.product_group, first_check_months=6,
        interval_months=36,
    )  # fmt: skip
    for employee in (cast.donald, cast.anton, cast.ola):
        Exposure.objects.create(
            employee=employee, exposure_type=noise, starts_on=datetime.date(2017, 3, 1)
        )


def answer(response):
    """The answer as the matrix writes it; a spreadsheet is SHEET."""
    if response.status_code == 200 and response.get("Content-Type") == XLSX:
        return SHEET
    return outcome(response)


@pytest.mark.parametrize("member", CAST)
def test_reports_permission_matrix(member, cast, world, exposed, client):
    """Given the cast, when `member` opens the reports and their exports, then each answers as
    the table says, an export is a spreadsheet, and no customer user reads another customer's
    names — not even by asking for that customer."""
    assert_matrix(client, cast, member, MATRIX, world=world, answer=answer)


def test_customer_service_sees_the_reports_but_may_not_export_them(world, cast, client):
    """Staff without the export permissions (Kundeservice): the reports, no export button, and
    the export itself refused."""
    client.force_login(cast.customer_service)

    page = client.get("/rapporter/")

    assert page.status_code == 200
    assert [item["export_url"] for item in page.context["reports"]] == [None] * 5
    assert "export=" not in page.content.decode()
    for slug in (
        "bestillinger",
        "helsekontroll",
        "fakturaer",
        "egenerklaeringer",
        "helseovervaking",
    ):
        assert client.get(f"/rapporter/?export={slug}").status_code == DENY


def test_the_other_customers_rows_are_not_in_the_numbers_either(world, exposed, client, cast):
    """Names are one leak; counts are another. Testbedriften's administrator asking for
    Eksempel Industri gets exactly their own report back."""
    client.force_login(cast.testweb)
    period = "from_month=2017-01&to_month=2021-12"

    own = client.get(f"/rapporter/?{period}&vis=helseovervaking")
    forged = client.get(f"/rapporter/?{period}&vis=helseovervaking&customer={cast.eksempel.pk}")

    def tables(response):
        return {
            item["report"].slug: item["result"].table.rows for item in response.context["reports"]
        }

    assert tables(own)["helseovervaking"]  # worked out, with figures to compare

    assert tables(forged) == tables(own)
    assert forged.context["customer"] is None
