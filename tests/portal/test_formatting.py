"""Amounts and dates as the portal shows them: 1 500,00 kr and 04.07.2019."""

import datetime
from decimal import Decimal

import pytest

from portal.formatting import (
    format_account_number,
    format_count,
    format_date,
    format_datetime,
    format_nok,
    format_org_number,
    format_percent,
    format_who_when,
    user_display_name,
)

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1500"), "1\xa0500,00\xa0kr"),
        (Decimal("5"), "5,00\xa0kr"),
        (Decimal("0"), "0,00\xa0kr"),
        (Decimal("999.99"), "999,99\xa0kr"),
        (Decimal("1000"), "1\xa0000,00\xa0kr"),
        (Decimal("24500.5"), "24\xa0500,50\xa0kr"),
        (Decimal("1234567.89"), "1\xa0234\xa0567,89\xa0kr"),
        (1500, "1\xa0500,00\xa0kr"),
    ],
)
def test_amounts_are_shown_with_spaces_comma_and_kr(amount, shown):
    assert format_nok(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("-1500"), "-1\xa0500,00\xa0kr"),
        (Decimal("-5.5"), "-5,50\xa0kr"),
        (Decimal("-1234567.8"), "-1\xa0234\xa0567,80\xa0kr"),
    ],
)
def test_negative_amounts_keep_their_sign_in_front(amount, shown):
    assert format_nok(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("0.005"), "0,01\xa0kr"),  # half rounds up, not to even
        (Decimal("0.015"), "0,02\xa0kr"),
        (Decimal("0.025"), "0,03\xa0kr"),
        (Decimal("2.675"), "2,68\xa0kr"),
        (Decimal("0.004"), "0,00\xa0kr"),
        (Decimal("999.995"), "1\xa0000,00\xa0kr"),  # rounding carries into a new group
        (Decimal("-0.005"), "-0,01\xa0kr"),
        (Decimal("-0.004"), "0,00\xa0kr"),  # no "minus zero"
    ],
)
def test_amounts_are_rounded_half_up_to_ore(amount, shown):
    assert format_nok(amount) == shown


def test_no_amount_shows_nothing():
    assert format_nok(None) == ""


def test_a_formatted_amount_does_not_break_across_lines():
    assert " " not in format_nok(Decimal("1234567.89"))
    assert format_nok(Decimal("1500")).count(NBSP) == 2


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (12345, "12\xa0345"), (1234567, "1\xa0234\xa0567"), (None, "–")],
)
def test_counts_are_grouped_by_thousands_with_a_non_breaking_space(value, shown):
    assert format_count(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime.date(2019, 7, 4), "04.07.2019"),
        (datetime.date(2018, 9, 13), "13.09.2018"),
        (datetime.date(2017, 12, 31), "31.12.2017"),
    ],
)
def test_dates_are_shown_day_month_year(value, shown):
    assert format_date(value) == shown


def test_no_date_shows_nothing():
    assert format_date(None) == ""


def test_datetimes_are_shown_in_oslo_time(settings):
    settings.TIME_ZONE = "Europe/Oslo"
    # 22:30 UTC on 31 December is 23:30 in Oslo (winter time)
    value = datetime.datetime(2019, 12, 31, 22, 30, tzinfo=datetime.UTC)

    assert format_datetime(value) == "31.12.2019 23:30"
    assert format_datetime(None) == ""


def test_user_display_name_is_full_name_then_upper_case_user_name(django_user_model):
    user = django_user_model(username="testweb", first_name="TESTWEB", last_name="WEB")

    assert user_display_name(user) == "TESTWEB WEB (TESTWEB)"


def test_user_display_name_without_a_full_name_uses_the_user_name(django_user_model):
    assert user_display_name(django_user_model(username="kam")) == "kam (KAM)"


def test_who_and_when_reads_name_comma_oslo_time(django_user_model):
    user = django_user_model(username="testweb", first_name="TESTWEB", last_name="WEB")
    when = datetime.datetime(2024, 3, 5, 13, 30, tzinfo=datetime.UTC)

    assert format_who_when(user, when) == "TESTWEB WEB (TESTWEB), 05.03.2024 14:30"
    assert format_who_when(None, when) == "–, 05.03.2024 14:30"  # the user since deleted
    assert format_who_when(user, None) == "–"  # not done (yet)


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("15031234562", "1503.12.34562"),
        ("86011117947", "8601.11.17947"),
        ("1503123456", "1503123456"),  # not an account number: as given
        ("", ""),
    ],
)
def test_an_account_number_is_shown_as_banks_print_it(number, shown):
    assert format_account_number(number) == shown


@pytest.mark.parametrize(
    ("number", "shown"), [("999999999", "999 999 999"), ("99999999", "99999999")]
)
def test_an_organisation_number_is_shown_in_groups_of_three(number, shown):
    assert format_org_number(number) == shown


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(Decimal("0.00"), "0"), (Decimal("25.00"), "25"), (Decimal("12.50"), "12,5")],
)
def test_a_vat_rate_is_shown_with_a_decimal_comma(rate, shown):
    assert format_percent(rate) == f"{shown}{NBSP}%"
