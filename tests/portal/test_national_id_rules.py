"""The fødselsnummer rules beyond the check digits: a birth date still to come, a number that
contradicts the employee's birth date, the ways people write it, and a differential test
against python-stdnum, the reference implementation."""

import datetime
import random
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer

from portal.validators import (
    NATIONAL_ID_K1_WEIGHTS,
    national_id_birth_date,
    national_id_check_digits,
    normalize_national_id,
    validate_national_id,
    validate_national_id_matches_birth_date,
)

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=OSLO)
FUTURE = "18083967354"  # 18.08.2039: individual number 673, a year 00-39 is 2000-2039
DOLLY = "02048510011"  # 02.04.1985
DOLLY_D_NUMBER = "42048500042"  # the same date as a D-number (day + 40)
H_NUMBER = "15427600375"  # month 2 + 40: 15.02.1976
UNDER_2032_RULE = "17058012335"  # K1 leaves 1: the first six digits need not be the birth date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def error_of(function, *args) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        function(*args)
    return raised.value


def test_a_number_of_a_person_not_yet_born_is_refused_naming_the_date():
    error = error_of(validate_national_id, FUTURE)

    assert error.code == "nid_future"
    assert error.messages == [
        "Fødselsnummeret gjelder en person født 18.08.2039, en dato som ennå ikke er kommet."
    ]


def test_a_number_born_today_is_accepted():
    number = "06122650039"  # 06.12.2026, individual number 500: the 2000s

    assert validate_national_id(number) is None


@pytest.mark.parametrize(
    "written", ["01061120226", "010611-20226", "010611 20226", " 010611  20226 ", "0106 1120 226"]
)
def test_the_ways_people_write_a_number_are_one_number(written):
    assert normalize_national_id(written) == "01061120226"
    assert validate_national_id(normalize_national_id(written)) is None


@pytest.mark.parametrize(
    "written", ["0106-1120226", "010611--20226", "010611_20226", "٠١٠٦١١٢٠٢٢٦"]
)
def test_other_separators_are_not_taken_away(written):
    with pytest.raises(ValidationError):
        validate_national_id(normalize_national_id(written))


def test_the_birth_date_of_ordinary_and_d_numbers():
    assert national_id_birth_date(DOLLY) == datetime.date(1985, 4, 2)
    assert national_id_birth_date(DOLLY_D_NUMBER) == datetime.date(1985, 4, 2)


@pytest.mark.parametrize("number", [H_NUMBER, UNDER_2032_RULE])
def test_no_birth_date_where_the_number_does_not_tell_one(number):
    assert national_id_birth_date(number) is None
    validate_national_id_matches_birth_date(number, datetime.date(2018, 9, 13))  # no error


@pytest.mark.parametrize("number", [DOLLY, DOLLY_D_NUMBER])
def test_a_number_contradicting_the_birth_date_is_refused_naming_both(number):
    error = error_of(validate_national_id_matches_birth_date, number, datetime.date(2018, 9, 13))

    assert error.code == "nid_birth_date"
    assert error.messages == [
        "Fødselsnummeret gjelder en person født 02.04.1985, men fødselsdatoen er 13.09.2018."
    ]


@pytest.mark.parametrize("birth_date", [datetime.date(1985, 4, 2), None])
def test_a_number_of_the_birth_date_or_without_one_is_fine(birth_date):
    assert validate_national_id_matches_birth_date(DOLLY, birth_date) is None


# -- against python-stdnum -----------------------------------------------------------------------

GENERATED = 100_000


def _k1_remainder(number: str) -> int:
    return sum(int(d) * w for d, w in zip(number, NATIONAL_ID_K1_WEIGHTS, strict=False)) % 11


def _generated_numbers(seed: int = 21):
    """Ordinary numbers and D-numbers of birth dates 1854-2039: a sixth as issued, the rest with a
    digit changed, two digits swapped or random check digits (some of the dates are still to
    come, some bodies have no check digits)."""
    rng = random.Random(seed)
    first = datetime.date(1854, 1, 1)
    span = (datetime.date(2039, 12, 31) - first).days
    for _ in range(GENERATED):
        date = first + datetime.timedelta(days=rng.randrange(span + 1))
        day = date.day + (40 if rng.random() < 0.2 else 0)
        body = f"{day:02d}{date.month:02d}{date.year % 100:02d}{rng.randrange(1000):03d}"
        check = national_id_check_digits(body) or f"{rng.randrange(100):02d}"
        number = list(body + check)
        kind = rng.randrange(3)
        if kind == 1:
            position = rng.randrange(11)
            number[position] = str((int(number[position]) + rng.randrange(1, 10)) % 10)
        elif kind == 2:
            position = rng.randrange(10)
            number[position], number[position + 1] = number[position + 1], number[position]
        elif rng.random() < 0.5:
            number[9:] = f"{rng.randrange(100):02d}"
        yield "".join(number)


def _ours(number: str) -> bool:
    try:
        validate_national_id(number)
    except ValidationError:
        return False
    return True


def _stdnum_expects(number: str) -> bool:
    """python-stdnum's verdict; for a K1 that leaves 1-3 (the rule from 2032, which stdnum
    does not know) stdnum's own checks of the rest: K2 and a birth date it can read. A
    changed digit may make a month above 40, an H- or synthetic number: stdnum takes
    H-numbers, the portal refuses both unless a setting allows them (the test's settings)."""
    if int(number[2:4]) > 40:
        return False
    if _k1_remainder(number) in (1, 2, 3):
        try:
            fodselsnummer.get_birth_date(number)
        except StdnumError:
            return False
        return number[-1] == fodselsnummer.calc_check_digit2(number[:10])
    return fodselsnummer.is_valid(number)


def test_the_rules_agree_with_python_stdnum_on_100000_generated_numbers(settings):
    settings.PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = False
    settings.PORTAL_ALLOW_H_NUMBERS = False
    disagreements, valid = [], 0

    for number in _generated_numbers():
        ours = _ours(number)
        if ours != _stdnum_expects(number):
            disagreements.append(number)
        elif ours and _k1_remainder(number) == 0:
            valid += 1
            if national_id_birth_date(number) != fodselsnummer.get_birth_date(number):
                disagreements.append(number)

    assert disagreements == []
    assert valid > GENERATED // 10  # valid ones are a good share (a fifth is a D-number)
