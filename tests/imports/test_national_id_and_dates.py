"""The fødselsnummer in an import row, as in the employee form: a birth date still to come and a
contradiction with the row's date of birth are errors naming row and column; DDMMYY-NNNNN and
DDMMYY NNNNN are taken. A date with slashes that reads two ways is decided by the row's number,
or shown in the preview to check."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.services.employees import employee_create
from portal.validators import normalize_national_id
from tests.imports.conftest import csv_file, errors_of
from tests.imports.nid import KARI, KARI_BORN, national_id

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
IMPORT = "/portal/employee/import/"
FUTURE = "18083967354"  # 18.08.2039
DOLLYS = "02048510011"  # 02.04.1985
OF_1_MARCH = national_id(1, 3, 1990)
OF_3_JANUARY = national_id(3, 1, 1990)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def row(birth_date="", number=""):
    return [
        "Fetter",
        "Anton",
        "fetter@testbedriften.no",
        "",
        birth_date,
        "",
        "Testbedriften AS",
        number,
    ]


def test_a_number_of_someone_not_yet_born_is_an_error_of_its_row_and_column(preview):
    plan = preview("", content=csv_file(row(number=FUTURE)))

    assert errors_of(plan) == [
        (2, "Fødselsnummer", "",
         "The national identity number is of a person born 18.08.2039, a date still to come."),
    ]  # fmt: skip


def test_a_number_contradicting_the_rows_birth_date_names_both_dates(preview):
    plan = preview("", content=csv_file(row("13.09.2018", DOLLYS)))

    assert errors_of(plan) == [
        (2, "Fødselsnummer", "",
         "The national identity number is of a person born 02.04.1985, but the date of "
         "birth is 13.09.2018."),
    ]  # fmt: skip


@pytest.mark.parametrize("written", [f"{KARI[:6]}-{KARI[6:]}", f"{KARI[:6]} {KARI[6:]}"])
def test_a_number_with_a_hyphen_or_a_space_is_taken(confirm, written):
    plan = confirm("", content=csv_file(row("13.12.1990", written)))

    assert plan.ok, errors_of(plan)
    assert plan.creates[0].national_id == KARI


def test_the_form_and_the_import_take_the_same_writings(preview):
    for written in (f"{KARI[:6]}-{KARI[6:]}", f"{KARI[:6]} {KARI[6:]}", f" {KARI} "):
        plan = preview("", content=csv_file(row(number=written)))
        assert plan.creates[0].national_id == normalize_national_id(written) == KARI


# -- dates with slashes ---------------------------------------------------------------------


def test_a_slashed_date_without_a_number_is_read_day_first_and_shown_to_check(preview):
    plan = preview("", content=csv_file(row("01/03/1990")))

    assert plan.ok  # a warning, not an error: the user may confirm
    assert plan.creates[0].birth_date == datetime.date(1990, 3, 1)
    assert [(w.row, w.column, w.value, w.message) for w in plan.warnings] == [
        (2, "Fødselsdato", "01/03/1990", "read as 01.03.1990 – check it"),
    ]


def test_the_preview_page_says_tolket_som_and_still_offers_the_confirm(cast, client):
    client.force_login(cast.testweb)
    content = csv_file(row("01/03/1990"))

    response = client.post(IMPORT, {"import_file": SimpleUploadedFile("ansatte.csv", content)})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-warning"' in page
    assert "tolket som 01.03.1990 – kontroller" in page
    assert 'data-testid="import-confirm"' in page


def test_a_slashed_date_is_decided_by_the_rows_number_month_first(preview):
    plan = preview("", content=csv_file(row("01/03/1990", OF_3_JANUARY)))

    assert plan.ok, errors_of(plan)
    assert plan.creates[0].birth_date == datetime.date(1990, 1, 3)
    assert plan.warnings == []


def test_a_slashed_date_is_decided_by_the_rows_number_day_first(preview):
    plan = preview("", content=csv_file(row("01/03/1990", OF_1_MARCH)))

    assert plan.ok, errors_of(plan)
    assert plan.creates[0].birth_date == datetime.date(1990, 3, 1)
    assert plan.warnings == []


def test_a_slashed_date_that_is_neither_reading_of_the_number_is_an_error(preview):
    plan = preview("", content=csv_file(row("01/03/1990", KARI)))

    assert errors_of(plan) == [
        (2, "Fødselsnummer", "",
         "The national identity number is of a person born 13.12.1990, but the date of "
         "birth is 01.03.1990."),
    ]  # fmt: skip


@pytest.mark.parametrize("written", ["01.03.1990", "1.3.1990", "1990-03-01", "13/03/1990"])
def test_dotted_iso_and_plainly_day_first_dates_are_not_ambiguous(preview, written):
    plan = preview("", content=csv_file(row(written)))

    assert plan.ok, errors_of(plan)
    assert plan.creates[0].birth_date.replace(day=1) == datetime.date(1990, 3, 1)
    assert plan.warnings == []


def test_a_slashed_date_whose_day_and_month_are_the_same_reads_one_way(preview):
    plan = preview("", content=csv_file(row("03/03/1990")))

    assert plan.warnings == []


# -- against what is registered -----------------------------------------------------------------


@pytest.fixture
def kari(cast):
    """An employee registered with her national id and its birth date, as the form saves her."""
    return employee_create(
        actor=cast.testweb,
        department=cast.tb_main,
        first_name="Kari",
        last_name="Nordmann",
        email="kari@testbedriften.no",
        birth_date=KARI_BORN,
        national_id=KARI,
    )


def kari_row(birth_date="", number=""):
    return ["Kari", "Nordmann", "kari@testbedriften.no", "", birth_date, "", "Testbedriften AS",
            number]  # fmt: skip


def test_a_changed_birth_date_must_be_the_registered_numbers_as_in_the_form(kari, confirm):
    plan = confirm("", content=csv_file(kari_row("01.01.1970")))

    assert errors_of(plan) == [
        (2, "Fødselsdato", "01.01.1970",
         "The date of birth 01.01.1970 is not the one in the registered national identity "
         "number. Check the date, or type the right number."),
    ]  # fmt: skip
    assert plan.updates == []  # not counted among what the rows without errors give
    kari.refresh_from_db()
    assert kari.birth_date == KARI_BORN


def test_the_registered_number_and_its_birth_date_again_change_nothing(kari, preview):
    plan = preview("", content=csv_file(kari_row("13.12.1990", KARI)))

    assert plan.ok, errors_of(plan)
    assert plan.unchanged == 1
