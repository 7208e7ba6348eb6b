"""The cell cleaners: what people and Excel write, made into what the portal stores."""

import datetime
import time

import pytest

from imports.cleaning import (
    CellError,
    as_text,
    clean_birth_date,
    clean_email,
    clean_gender,
    clean_mobile,
    clean_name,
    clean_national_id,
    clean_yes_no,
)
from tests.imports.nid import KARI, LISE, PER

TODAY = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("  Kari  ", "Kari"),
        ("Kari\u00a0 Anne", "Kari Anne"),  # a no-break space from a web page
        ("Ka\u200bri", "Kari"),  # a zero-width space
        ("Kari\x00", "Kari"),
        (1234.0, "1234"),
        (12, "12"),
        (None, ""),
        ("'=1+1", "=1+1"),  # the apostrophe the export puts before a formula character
        ("'+4712345678", "+4712345678"),
        ("'Kari", "'Kari"),  # a real apostrophe stays
        (float("inf"), "#NUM!"),
    ],
)
def test_a_cell_as_text(raw, text):
    assert as_text(raw) == text


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("17.05.1985", datetime.date(1985, 5, 17)),
        ("1.2.85", datetime.date(1985, 2, 1)),  # d.m.åå
        ("1.2.05", datetime.date(2005, 2, 1)),  # someone aged 21
        ("1.2.15", datetime.date(1915, 2, 1)),  # not an 11-year-old employee
        ("1985-05-17", datetime.date(1985, 5, 17)),  # ISO
        ("1985-05-17 00:00:00", datetime.date(1985, 5, 17)),  # a date exported with its time
        ("17/05/1985", datetime.date(1985, 5, 17)),
        ("17-05-1985", datetime.date(1985, 5, 17)),
        # a real Excel date cell: no time zone, openpyxl reads it naive
        (datetime.datetime(1985, 5, 17), datetime.date(1985, 5, 17)),  # noqa: DTZ001
        (datetime.date(1985, 5, 17), datetime.date(1985, 5, 17)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_forms_people_write_them(raw, date):
    assert clean_birth_date(raw, today=TODAY) == date


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31.02.1990", "This is not a date"),
        ("17.5", "This is not a date"),
        ("mai 1985", "This is not a date"),
        (31000, "This is not a date"),  # a date cell that lost its format: a plain number
        ("1e1000000", "This is not a date"),
        ("01.01.2999", "in the future"),
        ("01.01.1899", "before 1900"),
    ],
)
def test_what_is_not_a_birth_date(raw, message):
    with pytest.raises(CellError, match=message):
        clean_birth_date(raw, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "mobile"),
    [
        ("91234567", "91234567"),
        ("912 34 567", "91234567"),
        ("+47 912 34 567", "91234567"),
        ("0047 91234567", "91234567"),
        ("+46 70 123 45 67", "+46701234567"),
        (91234567, "91234567"),  # a number cell
        (4791234567, "91234567"),  # +47 91234567 typed into a number cell: the + is gone
        (46701234567.0, "+46701234567"),
        ("", ""),
    ],
)
def test_mobile_numbers_as_the_employee_form_takes_them(raw, mobile):
    assert clean_mobile(raw) == mobile


@pytest.mark.parametrize("raw", ["12345", "tlf 91234567", "1e1000000", float("inf"), -91234567])
def test_what_is_not_a_mobile_number(raw):
    with pytest.raises(CellError):
        clean_mobile(raw)


def test_a_national_id_with_a_space_or_as_a_number():
    assert clean_national_id(f"{KARI[:6]} {KARI[6:]}") == KARI
    assert clean_national_id(int(KARI)) == KARI
    assert clean_national_id(float(KARI)) == KARI
    assert clean_national_id("") == ""


def test_a_national_id_that_lost_its_leading_zero_is_padded_when_the_result_is_valid():
    assert PER.startswith("0")
    assert clean_national_id(int(PER)) == PER  # Excel's number: 10 digits
    assert clean_national_id(PER[1:]) == PER  # the same, as text in a CSV Excel saved


def test_a_10_digit_national_id_is_not_padded_when_the_result_is_not_valid():
    wrong = PER[1:-1] + str((int(PER[-1]) + 1) % 10)
    with pytest.raises(CellError, match="10") as refused:
        clean_national_id(wrong)
    assert not refused.value.show_value  # the number is never shown back


@pytest.mark.parametrize(
    "raw", ["1,31291E+10", "1.31291E+10", "1e1000000", "131290-10024", "ABC", float("inf")]
)
def test_what_is_not_a_national_id_is_refused_without_showing_it(raw):
    with pytest.raises(CellError) as refused:
        clean_national_id(raw)
    assert not refused.value.show_value


def test_excel_shortened_numbers_are_explained():
    with pytest.raises(CellError, match="Excel"):
        clean_national_id("1,31291E+10")


def test_a_huge_number_is_refused_at_once():
    start = time.perf_counter()
    for cleaner in (clean_national_id, clean_mobile, clean_birth_date):
        for raw in ("1e1000000", "9" * 5000, "1" + "0" * 100_000):
            with pytest.raises(CellError):
                cleaner(raw)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    ("raw", "gender"),
    [
        ("Mann", "male"),
        ("kvinne", "female"),
        ("K", "female"),
        ("M", "male"),
        ("Annet", "other"),
        ("female", "female"),
        ("", ""),
    ],
)
def test_gender_in_norwegian_or_english(raw, gender):
    assert clean_gender(raw) == gender


@pytest.mark.parametrize(
    ("raw", "active"),
    [
        ("ja", True),
        ("Nei", False),
        ("yes", True),
        ("no", False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("", None),
        (None, None),
    ],
)
def test_aktiv_ja_nei(raw, active):
    assert clean_yes_no(raw) is active


def test_names_and_emails():
    assert clean_name("  Bjørn  Ærø ", max_length=100) == "Bjørn Ærø"
    assert clean_email(" mailto:Kari@Example.no ") == "Kari@Example.no"
    with pytest.raises(CellError):
        clean_name("12345", max_length=100)
    with pytest.raises(CellError):
        clean_name("x" * 101, max_length=100)
    with pytest.raises(CellError):
        clean_email("Kari Nordmann <kari@example.no>")
    assert LISE  # the numbers of tests.imports.nid are valid (checked in the reading tests)
