"""Organisation numbers and national identity numbers (fødselsnummer), as the design says.

Vectors were computed with the mod-11 rules (K1 weights 3 7 6 1 8 9 4 5 2, K2 weights
5 4 3 2 7 6 5 4 3 2; organisation numbers 3 2 7 6 5 4 3 2) and checked independently by
`_k1_remainder` / `_k2_remainder` below.
"""

import datetime
import random
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils.translation import override

from portal.validators import (
    national_id_birth_date,
    national_id_check_digits,
    national_id_checked,
    validate_national_id,
    validate_org_number,
)

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

NEITHER = {"PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS": False, "PORTAL_ALLOW_H_NUMBERS": False}
H_ONLY = {"PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS": False, "PORTAL_ALLOW_H_NUMBERS": True}
SYNTHETIC_ONLY = {"PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS": True, "PORTAL_ALLOW_H_NUMBERS": False}


def _k1_remainder(number: str) -> int:
    """Weighted sum of the first nine digits plus K1, mod 11 (0 under the classic rule)."""
    return (
        sum(int(d) * w for d, w in zip(number[:9], K1_WEIGHTS, strict=True)) + int(number[9])
    ) % 11


def _k2_remainder(number: str) -> int:
    return (
        sum(int(d) * w for d, w in zip(number[:10], K2_WEIGHTS, strict=True)) + int(number[10])
    ) % 11


def error_of(validator, value) -> ValidationError:
    """The error the validator raises for `value`, its message rendered in English."""
    with override("en"), pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


def message_of(error: ValidationError) -> str:
    with override("en"):
        return " ".join(error.messages)


# --- Organisation numbers -------------------------------------------------------------


@pytest.mark.parametrize("number", ["998877660", "987654325", "975312461", "924681357"])
def test_valid_organisation_numbers_are_accepted(number):
    # the vector is right by hand: check digit = 11 - (weighted sum mod 11)
    remainder = sum(int(d) * w for d, w in zip(number[:8], ORG_WEIGHTS, strict=True)) % 11
    assert (11 - remainder) % 11 == int(number[8])

    assert validate_org_number(number) is None


@pytest.mark.parametrize("number", ["99887766", "9988776601", "", "998 877 660", "99887766O"])
def test_organisation_number_of_wrong_length_or_with_letters_is_refused(number):
    error = error_of(validate_org_number, number)

    assert error.code == "org_length"
    assert message_of(error) == "An organisation number has exactly 9 digits."


@pytest.mark.parametrize("number", ["998877661", "987654324", "123456789"])
def test_organisation_number_with_a_wrong_check_digit_is_refused(number):
    error = error_of(validate_org_number, number)

    assert error.code == "org_checksum"
    assert message_of(error) == "The organisation number's check digit is wrong."


def test_organisation_number_whose_check_digit_would_be_10_is_refused():
    # given eight digits whose weighted sum leaves 1: the check digit would be 10
    base = "40000000"  # 3 * 4 = 12, 12 mod 11 = 1
    assert sum(int(d) * w for d, w in zip(base, ORG_WEIGHTS, strict=True)) % 11 == 1

    for last in "0123456789":
        assert error_of(validate_org_number, base + last).code == "org_checksum"


@pytest.mark.parametrize("number", ["９９８８７７６６０", "٩٩٨٨٧٧٦٦٠", "99887766²"])
def test_organisation_number_in_other_digits_is_refused_with_a_message(number):
    # given digits that are not 0-9 (full-width, Arabic-Indic, superscript)
    # then the user is told, rather than the number being stored or the page crashing
    assert error_of(validate_org_number, number).code == "org_length"


# --- National identity numbers: valid ones -----------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "31129956715",  # 31.12.1899 (individual number 567, before 750: the 1800s)
        "02011299930",  # 02.01.2012 (individual number 999)
        "30108299920",  # 30.10.1982
        "29020412354",  # 29.02.1904: a leap day
    ],
)
def test_valid_national_ids_are_accepted(number, settings):
    settings.PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = False
    settings.PORTAL_ALLOW_H_NUMBERS = False
    assert (_k1_remainder(number), _k2_remainder(number)) == (0, 0)

    assert validate_national_id(number) is None


@pytest.mark.parametrize("number", ["31129956715", "02011299930", "30108299920", "29020412354"])
def test_the_check_digits_complete_a_number_the_validator_accepts(number):
    assert national_id_check_digits(number[:9]) == number[9:]


def test_a_body_whose_check_digit_would_be_10_has_none():
    # given bodies of 31.12.1999 whose K1, or else K2, would be 10
    without = [
        f"311299{n:03d}" for n in range(500) if national_id_check_digits(f"311299{n:03d}") is None
    ]

    # then no check digits make any of them valid under the classic rule
    for body in without:
        assert all(
            (_k1_remainder(f"{body}{k1}{k2}"), _k2_remainder(f"{body}{k1}{k2}")) != (0, 0)
            for k1 in range(10)
            for k2 in range(10)
        )
    assert without  # some individual numbers have none


def test_national_id_valid_only_under_the_2032_rule_is_accepted(settings):
    # given a number whose K1 leaves remainder 1: wrong before 2032, allowed by the new rule
    settings.PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = False
    number = "30108299939"
    assert _k1_remainder(number) == 1
    assert _k2_remainder(number) == 0

    # then it is accepted
    assert validate_national_id(number) is None


@pytest.mark.parametrize("number", ["31129956758", "31129956766", "31129956707"])
def test_national_id_with_k1_remainder_beyond_the_2032_rule_is_refused(number):
    # K2 is right, K1 leaves 4, 5 or 10: outside the 0-3 the new rule allows
    assert _k2_remainder(number) == 0
    assert _k1_remainder(number) not in (0, 1, 2, 3)

    error = error_of(validate_national_id, number)

    assert error.code == "nid_checksum"
    assert message_of(error) == "The national identity number's check digits are wrong."


@pytest.mark.parametrize(
    "number",
    [
        "71129912302",  # day 31 + 40: 31.12.1999
        "43129912368",  # day 3 + 40: 03.12.1999
    ],
)
def test_d_numbers_are_accepted(number, settings):
    settings.PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = False
    settings.PORTAL_ALLOW_H_NUMBERS = False
    assert (_k1_remainder(number), _k2_remainder(number)) == (0, 0)

    assert validate_national_id(number) is None


# --- H-numbers and synthetic test numbers ----------------------------------------------------

H_NUMBER = "15427600375"  # month 2 + 40: 15.02.1976


def test_h_number_is_refused_unless_a_setting_allows_it():
    assert (_k1_remainder(H_NUMBER), _k2_remainder(H_NUMBER)) == (0, 0)

    with override_settings(**NEITHER):
        error = error_of(validate_national_id, H_NUMBER)

    assert error.code == "nid_h_number"
    assert message_of(error) == (
        "This is an H-number or a synthetic test number, not accepted here."
    )


@pytest.mark.parametrize("allowed", [H_ONLY, SYNTHETIC_ONLY], ids=["h-numbers", "synthetic"])
def test_h_number_is_accepted_with_h_numbers_or_synthetic_numbers_allowed(allowed):
    with override_settings(**allowed):
        assert validate_national_id(H_NUMBER) is None


@pytest.mark.parametrize(
    "number",
    [
        "15507600333",  # month 10 + 40 (NAV's synthetic series): 15.10.1976
        "17912099997",  # month 11 + 80 (Skatteetaten's synthetic series): 17.11.2020
    ],
)
def test_synthetic_numbers_are_accepted_when_allowed(number):
    assert (_k1_remainder(number), _k2_remainder(number)) == (0, 0)

    with override_settings(**SYNTHETIC_ONLY):
        assert validate_national_id(number) is None


@pytest.mark.parametrize(
    ("number", "code"),
    [("15507600333", "nid_h_number"), ("17912099997", "nid_synthetic")],
)
def test_synthetic_numbers_are_refused_when_not_allowed(number, code):
    with override_settings(**NEITHER):
        assert error_of(validate_national_id, number).code == code


def test_month_plus_80_is_refused_with_only_h_numbers_allowed():
    # given H-numbers allowed but not synthetic numbers
    with override_settings(**H_ONLY):
        error = error_of(validate_national_id, "17912099997")

    # then Skatteetaten's synthetic series stays out
    assert error.code == "nid_synthetic"
    assert message_of(error) == "This is a synthetic test number, which is not accepted here."


# --- National identity numbers: refused --------------------------------------------------------


@pytest.mark.parametrize("number", ["3112995671", "311299567150", "3", "02013299"])
def test_national_id_of_wrong_length_is_refused_naming_the_length(number):
    error = error_of(validate_national_id, number)

    assert error.code == "nid_length"
    assert message_of(error) == (
        f"A national identity number has exactly 11 digits (you typed {len(number)})."
    )


@pytest.mark.parametrize(
    "number",
    ["3112995671A", "311299-56715", "311299 56715", "", "abcdefghijk", "３１１２９９５６７１５"],
)
def test_national_id_with_anything_but_digits_is_refused(number):
    error = error_of(validate_national_id, number)

    assert error.code == "nid_digits"
    assert message_of(error) == "A national identity number has digits only."


def test_national_id_with_a_superscript_digit_is_refused_not_crashing():
    assert error_of(validate_national_id, "3112995671²").code == "nid_digits"


@pytest.mark.parametrize(
    "number",
    [
        "31129956716",  # K2 off by one
        "31129956725",  # K1 off by one
        "13129956715",  # two digits swapped
        "31129956751",  # the check digits swapped
        "00000000001",
    ],
)
def test_national_id_with_wrong_check_digits_is_refused(number):
    error = error_of(validate_national_id, number)

    assert error.code == "nid_checksum"
    assert message_of(error) == "The national identity number's check digits are wrong."


@pytest.mark.parametrize(
    "number",
    [
        "29020012380",  # 29.02.1900: 1900 was no leap year
        "31029912370",  # 31.02.1999
        "01139912396",  # month 13
        "01009912378",  # month 00
        "00019912329",  # day 00
        "32019912328",  # day 32 (K1 remainder 1: checksums pass only under the 2032 rule)
        "99999999928",  # day 99: too high even as a D-number
        "01019980053",  # individual number 800 with year 99: no century
    ],
)
def test_national_id_with_an_impossible_date_is_refused(number, settings):
    settings.PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = True
    settings.PORTAL_ALLOW_H_NUMBERS = True
    # the checksums are right, so only the date can be wrong
    assert _k2_remainder(number) == 0
    assert _k1_remainder(number) in (0, 1, 2, 3)

    error = error_of(validate_national_id, number)

    assert error.code == "nid_date"
    assert message_of(error) == "The national identity number does not begin with a valid date."


@pytest.mark.parametrize("allow", [False, True])
def test_checking_a_number_tells_the_birth_date_as_reading_it_does(settings, allow):
    """`national_id_checked` (the import's one reading of a number) answers as
    `validate_national_id` and `national_id_birth_date` do, for every kind of number: ordinary,
    D-, H- and synthetic numbers, those under the 2032 rule, and numbers refused."""
    settings.PORTAL_ALLOW_H_NUMBERS = allow
    settings.PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = allow
    rng = random.Random(18)
    today = datetime.date(2026, 12, 6)
    kinds: Counter = Counter()
    for n in range(40_000):
        body = f"{rng.randrange(1, 72):02d}{rng.randrange(1, 93):02d}{rng.randrange(0, 10**5):05d}"
        classic = national_id_check_digits(body)
        # the classic check digits, or any: mostly refused, some under the 2032 rule
        value = body + classic if n % 2 and classic else f"{body}{rng.randrange(0, 100):02d}"
        refused = None
        try:
            validate_national_id(value, today=today)
        except ValidationError as error:
            refused = error.code
        if refused:
            with pytest.raises(ValidationError) as again:
                national_id_checked(value, today=today)
            assert again.value.code == refused
            kinds["refused"] += 1
            continue
        birth_date = national_id_birth_date(value)
        assert national_id_checked(value, today=today) == birth_date, value
        kinds["dated" if birth_date else "undated"] += 1
    assert min(kinds.values()) >= 50, kinds  # each kind met
