"""Who a row is: matched within the customer by national id or e-mail, among the employees
and companies/departments the importer may manage; never decided by the file."""

import pytest
from django.core.exceptions import PermissionDenied

from portal import services
from portal.models import BookingMonth, Employee, ProductGroup
from tests.factories import AppointmentFactory, BookingFactory, OrderFactory
from tests.imports.conftest import csv_file, errors_of
from tests.imports.nid import KARI, KARI_BORN, LISE, LISE_BORN, national_id

DOLLY = national_id(2, 4, 1985)  # Dolly's date of birth, as the demo registers it

NOT_HERE = "This person cannot be registered here. Ask your administrator."

pytestmark = pytest.mark.django_db


def employee(email):
    return Employee.objects.select_related("department").get(email__iexact=email)


def test_an_employee_is_matched_by_email_in_any_letter_case(confirm, cast):
    plan = confirm("aktiv.csv")
    assert plan.ok, errors_of(plan)
    dolly = employee("dolly@testikkeibruk.no")
    assert dolly.mobile == "99887766"
    assert dolly.email == "dolly@testikkeibruk.no"  # a change of letter case is no change
    assert Employee.objects.filter(first_name="Dolly").count() == 1


def test_an_employee_is_matched_by_national_id_and_gets_the_new_email(confirm, cast):
    anton = employee("anton@testikkeibruk.no")
    services.employee_update(
        employee=anton, actor=cast.testweb, national_id=LISE, birth_date=LISE_BORN
    )

    plan = confirm("match_national_id.csv")

    assert plan.ok, errors_of(plan)
    anton.refresh_from_db()
    assert anton.email == "anton.duck@ny-adresse.no"
    assert [row.pk for row in plan.updates] == [anton.pk]
    assert not plan.creates


def test_email_of_one_employee_and_national_id_of_another_is_an_error(preview, cast):
    anton = employee("anton@testikkeibruk.no")
    services.employee_update(
        employee=anton, actor=cast.testweb, national_id=LISE, birth_date=LISE_BORN
    )
    content = csv_file(["Dolly", "Duck", "dolly@testikkeibruk.no", "", "", "", "", LISE])
    assert errors_of(preview("", content=content)) == [
        (2, "E-post", "dolly@testikkeibruk.no",
         "Another active employee has this e-mail address, but the national identity number "
         "belongs to someone else. Check the row."),
    ]  # fmt: skip


def test_two_rows_that_are_the_same_employee(preview, cast):
    anton = employee("anton@testikkeibruk.no")
    services.employee_update(
        employee=anton, actor=cast.testweb, national_id=LISE, birth_date=LISE_BORN
    )
    content = csv_file(
        ["Anton", "Duck", "anton@testikkeibruk.no"],
        ["Anton", "Duck", "anton.ny@testikkeibruk.no", "", "", "", "", LISE],
    )
    assert errors_of(preview("", content=content)) == [
        (3, "E-post", "anton.ny@testikkeibruk.no", "Rows 2 and 3 are the same employee."),
    ]


def test_an_unchanged_file_changes_nothing(confirm, cast):
    assert confirm("template_filled.xlsx").ok
    plan = confirm("template_filled.xlsx")
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, 3)


def test_an_employee_moves_between_departments_the_importer_manages(confirm, cast):
    content = csv_file(["Donald", "Duck", "duck@testikkeibruk.no", "", "", "", "Bergen TEST"])
    assert confirm("", content=content).ok
    assert employee("duck@testikkeibruk.no").department == cast.tb_bergen


def test_an_employee_moved_by_the_import_counts_for_the_new_department_in_reports(confirm, cast):
    # given Donald on a health check, counted for his department in the reports' figures
    health_check = ProductGroup.objects.get(name="Helsekontroll (HK)")
    order = OrderFactory(department=cast.tb_main, product_group=health_check)
    BookingFactory(appointment=AppointmentFactory(order=order), employee=cast.donald)
    assert BookingMonth.objects.get(employee=cast.donald).department == cast.tb_main

    # when the import moves him
    content = csv_file(["Donald", "Duck", "duck@testikkeibruk.no", "", "", "", "Bergen TEST"])
    assert confirm("", content=content).ok

    # then his months count for Bergen
    assert BookingMonth.objects.get(employee=cast.donald).department == cast.tb_bergen


def test_empty_cells_keep_what_is_registered(confirm, cast):
    content = csv_file(["Dolly", "Duck", "dolly@testikkeibruk.no"])
    plan = confirm("", content=content)
    assert plan.unchanged == 1
    dolly = employee("dolly@testikkeibruk.no")
    assert (dolly.mobile, str(dolly.birth_date), dolly.gender) == (
        "23456789",
        "1985-04-02",
        "female",
    )


# -- the customer and the departments ----------------------------------------------------------


def test_another_customers_department_is_a_row_error(preview, cast):
    content = csv_file(
        ["Kari", "Hansen", "kari@testbedriften.no", "", "", "", "Eksempel Industri AS"]
    )
    [(row, column, value, message)] = errors_of(preview("", content=content))
    assert (row, column, value) == (2, "Bedrift/avdeling", "Eksempel Industri AS")
    assert message.startswith("“Eksempel Industri AS” is not one of the companies/departments")
    assert "Eksempel" not in message.split(".", 1)[1]  # the choices are the user's own


def test_another_customers_org_number_is_a_row_error(preview, cast):
    content = csv_file(["Kari", "Hansen", "kari@testbedriften.no", "", "", "", "975312461"])
    [(row, column, value, _message)] = errors_of(preview("", content=content))
    assert (row, column, value) == (2, "Bedrift/avdeling", "975312461")


def test_the_file_never_decides_the_customer(confirm, cast):
    """annen imports a row with Donald's e-mail and Testbedriften's name in it: a new employee
    of Eksempel Industri AS; Donald is untouched."""
    content = csv_file(
        ["Donald", "Duck", "duck@testikkeibruk.no", "", "", "", "Eksempel Industri AS"],
        headers=("Fornavn", "Etternavn", "E-post", "Mobil", "Fødselsdato", "Kjønn",
                 "Bedrift/avdeling", "Fødselsnummer", "Kunde"),
    )  # fmt: skip
    plan = confirm("", content=content, actor=cast.annen, customer=cast.eksempel)
    assert plan.ok, errors_of(plan)
    copies = Employee.objects.filter(email__iexact="duck@testikkeibruk.no")
    assert sorted(copies.values_list("customer__name", flat=True)) == [
        "Eksempel Industri AS",
        "Testbedriften AS",
    ]


def test_a_user_cannot_import_for_a_customer_they_do_not_manage(preview, cast):
    with pytest.raises(PermissionDenied):
        preview("template_filled.xlsx", actor=cast.annen, customer=cast.testbedriften)


def test_the_file_never_decides_the_primary_key(confirm, cast):
    donald = employee("duck@testikkeibruk.no")
    content = csv_file(
        [donald.pk, "Ny", "Person", "ny.person@testbedriften.no", "Bergen TEST"],
        headers=("id", "Fornavn", "Etternavn", "E-post", "Bedrift/avdeling"),
    )
    plan = confirm("", content=content)
    assert plan.ok
    assert plan.ignored_columns == ["id"]
    donald.refresh_from_db()
    assert donald.first_name == "Donald"
    assert employee("ny.person@testbedriften.no").pk != donald.pk


# -- an HR user limited to one department --------------------------------------------------------


def test_an_hr_user_of_one_department_imports_only_into_it(preview, confirm, cast):
    content = csv_file(
        ["Ny", "Bergenser", "ny.bergenser@testbedriften.no"],  # no department: theirs
        ["Anton", "Duck", "anton@testikkeibruk.no", "99999999"],  # Bergen TEST: theirs
        ["Ny", "Hovedkontor", "ny.hk@testbedriften.no", "", "", "", "Testbedriften AS"],
        ["Donald", "Duck", "duck@testikkeibruk.no", "99999999"],  # Testbedriften AS
    )
    plan = preview("", content=content, actor=cast.bergen_hr)
    assert errors_of(plan) == [
        (4, "Bedrift/avdeling", "Testbedriften AS",
         "“Testbedriften AS” is not one of the companies/departments you may import into. "
         "Write one of: Bergen TEST."),
        (5, "E-post", "", NOT_HERE),  # neither where Donald is, nor that it is his address
    ]  # fmt: skip

    fixed = csv_file(
        ["Ny", "Bergenser", "ny.bergenser@testbedriften.no"],
        ["Anton", "Duck", "anton@testikkeibruk.no", "99999999"],
    )
    plan = confirm("", content=fixed, actor=cast.bergen_hr)
    assert plan.ok
    assert employee("ny.bergenser@testbedriften.no").department == cast.tb_bergen
    assert employee("anton@testikkeibruk.no").mobile == "99999999"


def test_an_hr_user_of_one_department_cannot_take_over_by_national_id(preview, cast):
    donald = employee("duck@testikkeibruk.no")
    services.employee_update(
        employee=donald, actor=cast.testweb, national_id=KARI, birth_date=KARI_BORN
    )
    content = csv_file(["Donald", "Duck", "donald@bergen.no", "", "", "", "", KARI])
    assert errors_of(preview("", content=content, actor=cast.bergen_hr)) == [
        (2, "E-post", "", NOT_HERE),  # not "national identity number", not where
    ]


def test_an_id_of_one_and_an_address_of_another_says_nothing_of_the_one_unseen(preview, cast):
    """Anton (Bergen TEST) by his national id, Donald's address (Testbedriften AS): the Bergen
    user learns nothing of Donald; testweb, who sees both, is told what clashes."""
    anton = employee("anton@testikkeibruk.no")
    services.employee_update(
        employee=anton, actor=cast.testweb, national_id=KARI, birth_date=KARI_BORN
    )
    content = csv_file(["Anton", "Duck", "duck@testikkeibruk.no", "", "", "", "", KARI])

    assert errors_of(preview("", content=content, actor=cast.bergen_hr)) == [
        (2, "E-post", "", NOT_HERE)
    ]
    assert errors_of(preview("", content=content, actor=cast.testweb)) == [
        (2, "E-post", "duck@testikkeibruk.no",
         "Another active employee has this e-mail address, but the national identity number "
         "belongs to someone else. Check the row."),
    ]  # fmt: skip


# -- the Aktiv column -----------------------------------------------------------------------------


def test_aktiv_nei_deactivates_and_a_new_inactive_row_is_left_out(confirm, cast):
    plan = confirm("aktiv.csv")
    assert plan.ok
    donald = employee("duck@testikkeibruk.no")
    assert not donald.is_active
    assert donald.deactivated_by == cast.testweb
    assert plan.skipped == [(4, "Slutta Før")]
    assert not Employee.objects.filter(email="slutta@testbedriften.no").exists()


def test_aktiv_ja_reactivates(confirm, cast):
    donald = employee("duck@testikkeibruk.no")
    services.employee_deactivate(employee=donald, actor=cast.testweb)
    content = csv_file(["Donald", "Duck", "duck@testikkeibruk.no", "", "", "", "", "", "ja"])
    plan = confirm("", content=content)
    assert plan.ok
    assert plan.reactivated == 1
    assert employee("duck@testikkeibruk.no").is_active


def test_no_deactivation_by_omission(confirm, cast):
    active = Employee.objects.filter(customer=cast.testbedriften, is_active=True).count()
    assert confirm("template_filled.xlsx").ok  # none of the demo's employees is in it
    assert (
        Employee.objects.filter(customer=cast.testbedriften, is_active=True).count() == active + 3
    )


def test_a_national_id_is_added_to_an_employee_found_by_email(confirm, cast):
    content = csv_file(["Dolly", "Duck", "dolly@testikkeibruk.no", "", "", "", "", DOLLY])
    plan = confirm("", content=content)
    assert plan.ok
    assert plan.updates[0].changes == {"national_id": ["changed", "changed"]}
    dolly = employee("dolly@testikkeibruk.no")
    assert dolly.reveal_national_id() == DOLLY
    assert (dolly.mobile, dolly.first_name) == ("23456789", "Dolly")  # the rest is kept


def test_a_national_id_of_another_birth_date_is_not_added(confirm, cast):
    # Dolly is registered as born 02.04.1985; KARI's number is of 13.12.1990
    content = csv_file(["Dolly", "Duck", "dolly@testikkeibruk.no", "", "", "", "", KARI])

    plan = confirm("", content=content)

    assert not plan.ok
    assert errors_of(plan) == [
        (
            2,
            "Fødselsnummer",
            "",
            "The national identity number is of a person born 13.12.1990, but the date of "
            "birth is 02.04.1985.",
        )
    ]
    assert employee("dolly@testikkeibruk.no").national_id_digest == ""
