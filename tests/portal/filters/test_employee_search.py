"""Finn ansatte: free text, department, and the active ones unless asked otherwise."""

import datetime

import pytest
from django.db import connection

from portal.filters.employees import EmployeeFilterSet, typed_birth_dates
from portal.models import Employee
from tests.factories import EmployeeFactory

from .helpers import (
    autocomplete_source,
    column,
    offered,
    options,
    panel,
    query_plan,
    shown_count,
)

TESTBEDRIFTEN = {"Donald Duck", "Dolly Duck", "Anton Duck", "Skrue McDuck"}


def names(response) -> set[str]:
    listed = column(response, "name")
    assert shown_count(response) == len(listed) == response.context["cl"].result_count
    return set(listed)


@pytest.fixture
def former(cast):
    """An employee of Testbedriften who has left."""
    return EmployeeFactory(
        department=cast.tb_main,
        first_name="Fetter",
        last_name="Anton",
        email="fetter@testikkeibruk.no",
        is_active=False,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Donald Duck", {"Donald Duck"}),
        ("  donald   DUCK ", {"Donald Duck"}),
        ("Duck Donald", {"Donald Duck"}),
        ("duck", TESTBEDRIFTEN),  # McDuck too: the words are looked for anywhere
        ("Duck@testikkeibruk.no", {"Donald Duck"}),
        ("12345678", {"Donald Duck"}),
        ("Donald Nordmann", set()),
    ],
)
def test_free_text(changelist, text, expected):
    response = changelist("testweb", "employee", text=text)

    assert names(response) == expected


@pytest.mark.django_db
def test_free_text_never_finds_another_customers_employee(changelist):
    response = changelist("testweb", "employee", text="Nordmann")

    assert names(response) == set()
    assert "Ola Nordmann" not in response.text


@pytest.mark.django_db
def test_department(changelist, cast):
    response = changelist("testweb", "employee", department=cast.tb_bergen.pk)

    assert names(response) == {"Anton Duck", "Skrue McDuck"}


@pytest.mark.django_db
def test_free_text_and_department_combined(changelist, cast):
    response = changelist("testweb", "employee", text="duck", department=cast.tb_main.pk)

    assert names(response) == {"Donald Duck", "Dolly Duck"}


@pytest.mark.django_db
def test_active_employees_by_default(changelist, former):
    response = changelist("testweb", "employee")

    assert names(response) == TESTBEDRIFTEN
    assert '<option value="active" selected>' in response.text


@pytest.mark.django_db
def test_deactivated_employees_on_request(changelist, former):
    deactivated = changelist("testweb", "employee", active="deactivated")
    everyone = changelist("testweb", "employee", active="all")
    found_again = changelist("testweb", "employee", active="deactivated", text="Fetter")

    assert names(deactivated) == {"Fetter Anton"}
    assert names(everyone) == TESTBEDRIFTEN | {"Fetter Anton"}
    assert names(found_again) == {"Fetter Anton"}


@pytest.mark.django_db
def test_department_choices_are_the_users_own(changelist):
    testweb = changelist("testweb", "employee")
    annen = changelist("annen", "employee")

    assert options(testweb, "department") == ["Bergen TEST", "Testbedriften AS"]
    assert options(annen, "department") == ["Eksempel Industri AS", "Eksempel Industri Trondheim"]


@pytest.mark.django_db
def test_a_forged_department_lists_nothing_and_says_why(changelist, cast):
    response = changelist("testweb", "employee", department=cast.ek_main.pk)

    assert names(response) == set()
    assert "Velg et gyldig valg" in panel(response)
    assert "Eksempel" not in response.text


@pytest.mark.django_db
def test_kam_finds_every_customers_employees(changelist):
    response = changelist("kam", "employee", text="Nordmann")

    assert names(response) == {"Ola Nordmann", "Kari Nordmann"}


@pytest.mark.django_db
def test_kam_picks_a_department_by_typing_and_finds_its_employees(changelist, client, cast):
    trondheim = cast.ek_trondheim
    EmployeeFactory(department=trondheim, first_name="Trine", last_name="Trondsen")
    panel_page = changelist("kam", "employee")
    chosen = changelist("kam", "employee", department=trondheim.pk)

    assert options(panel_page, "department") == []
    assert autocomplete_source(panel_page, "department") == ("portal", "employee", "department")
    assert offered(client, "employee", "department", term="trondheim") == [
        "Eksempel Industri AS – Eksempel Industri Trondheim"
    ]
    assert options(chosen, "department") == ["Eksempel Industri AS – Eksempel Industri Trondheim"]
    assert "Trine Trondsen" in names(chosen)
    assert names(chosen) == {
        employee.full_name for employee in trondheim.employees.filter(is_active=True)
    }


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("column", ["first_name", "last_name", "email", "mobile"])
def test_the_free_text_search_is_answered_by_a_trigram_index_on_postgresql(column):
    """The index is only of use if its expression is exactly the one the search writes."""

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    # Unordered: on an empty table the planner would otherwise walk the name index in order.
    unordered = Employee.objects.order_by()
    searched = EmployeeFilterSet().filter_text(unordered, "text", "anton")
    plan = query_plan(searched)
    assert f"employee_{column}_trgm_idx" in plan, plan


# -- a birth date, typed as people type it -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.time_machine(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13.09.2018", {"Donald Duck"}),
        ("130918", {"Donald Duck"}),
        ("13.09.18", {"Donald Duck"}),
        ("13.9.2018", {"Donald Duck"}),
        ("Duck 130918", {"Donald Duck"}),
        ("050150", {"Skrue McDuck"}),  # 2050 has not come: 1950
        ("05.01.50", {"Skrue McDuck"}),
        ("14.09.2018", set()),
        ("17.05.1980", set()),  # Ola Nordmann's, of the other customer
    ],
)
def test_a_birth_date_finds_the_employee(changelist, text, expected):
    response = changelist("testweb", "employee", text=text)

    assert names(response) == expected


@pytest.mark.django_db
@pytest.mark.time_machine(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_a_two_digit_year_finds_both_centuries(changelist, cast):
    # the import reads «13.09.18» as 1918 (a person at least 13 years old); the search finds
    # whoever that text may mean
    EmployeeFactory(
        department=cast.tb_main,
        first_name="Oldefar",
        last_name="Duck",
        birth_date=datetime.date(1918, 9, 13),
    )

    response = changelist("testweb", "employee", text="13.09.18")

    assert names(response) == {"Donald Duck", "Oldefar Duck"}


@pytest.mark.django_db
@pytest.mark.time_machine(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_kam_finds_any_customers_employee_by_birth_date(changelist):
    response = changelist("kam", "employee", text="170580")

    assert names(response) == {"Ola Nordmann"}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("13.09.2018", (datetime.date(2018, 9, 13),)),
        ("130918", (datetime.date(2018, 9, 13), datetime.date(1918, 9, 13))),
        ("13.09.18", (datetime.date(2018, 9, 13), datetime.date(1918, 9, 13))),
        ("061226", (datetime.date(2026, 12, 6), datetime.date(1926, 12, 6))),  # today
        ("071226", (datetime.date(1926, 12, 7),)),  # tomorrow of 2026 is no birth date yet
        ("290200", (datetime.date(2000, 2, 29),)),  # 1900 was no leap year
        ("31.02.2019", ()),
        ("290223", ()),
        ("1309189", ()),
        ("13-09-2018", ()),
        ("Donald", ()),
    ],
)
def test_typed_birth_dates(term, expected):
    assert typed_birth_dates(term, datetime.date(2026, 12, 6)) == expected
