"""KID (MOD10 and MOD11, as Norwegian banks check them) and organisation numbers (mod-11 with
weights 3 2 7 6 5 4 3 2). Every vector is checked here by a second, independent computation
before the validator is asked about it."""

import pytest
from django.core.exceptions import ValidationError

from portal.validators import (
    kid_make,
    kid_mod10_check_digit,
    kid_mod11_check_digit,
    validate_account_number,
    validate_kid,
    validate_org_number,
)

# -- independent reckonings: checks over the whole number, check digit included ----------------


def luhn_valid(number: str) -> bool:
    """Luhn over the whole number: from the right, every second digit doubled (its digits
    summed); valid when the sum ends in 0."""
    digits = [int(d) for d in number]
    odd = digits[-1::-2]
    even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
    return (sum(odd) + sum(even)) % 10 == 0


def mod11_kid_valid(number: str) -> bool:
    """MOD11 over the whole number: weights 1 (the check digit, "-" counting 10), then
    2, 3, 4, 5, 6, 7, 2, … leftwards; valid when the sum is divisible by 11."""
    *body, check = list(number)
    weights = [1] + [2 + i % 6 for i in range(len(body))]
    values = [10 if check == "-" else int(check)] + [int(d) for d in reversed(body)]
    return sum(w * v for w, v in zip(weights, values, strict=True)) % 11 == 0


def org_number_valid(number: str) -> bool:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    if len(number) != 9 or not number.isdigit():
        return False
    remainder = sum(w * int(d) for w, d in zip(weights, number[:8], strict=True)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(number[8])


MOD10_KIDS = [
    "1234567897",  # 123456789 → 7
    "12345678903",  # 1234567890 → 3
    "0000000000",
    "18",  # the shortest: one digit and its check digit
    "1234567890123456789012340",  # the longest: 25 digits
]
MOD11_KIDS = [
    "1234567892",  # 123456789 → 2 (weights 2-7 from the right: 174, 174 mod 11 = 9, 11 - 9)
    "100008-",  # the check value would be 10: written "-"
    "12345670-",
]
WRONG_CHECK_DIGIT = ["1234567890", "1234567893", "12345678904", "1234567-"]


@pytest.mark.parametrize("kid", MOD10_KIDS)
def test_mod10_kids_are_accepted(kid):
    assert luhn_valid(kid)  # the vector itself is right

    validate_kid(kid)
    assert kid_mod10_check_digit(kid[:-1]) == kid[-1]


@pytest.mark.parametrize("kid", MOD11_KIDS)
def test_mod11_kids_are_accepted(kid):
    assert mod11_kid_valid(kid)
    assert not luhn_valid(kid.replace("-", "0"))  # really a MOD11 case

    validate_kid(kid)
    assert kid_mod11_check_digit(kid[:-1]) == kid[-1]


@pytest.mark.parametrize("kid", WRONG_CHECK_DIGIT)
def test_a_wrong_check_digit_is_refused(kid):
    assert not mod11_kid_valid(kid)
    assert "-" in kid or not luhn_valid(kid)

    with pytest.raises(ValidationError) as error:
        validate_kid(kid)

    assert error.value.code == "kid_checksum"


@pytest.mark.parametrize(
    ("kid", "code"),
    [
        ("1", "kid_length"),
        ("12345678901234567890123455", "kid_length"),  # 26 digits
        ("", "kid_digits"),
        ("12345A", "kid_digits"),
        ("1234 567897", "kid_digits"),
        ("12-45", "kid_digits"),
        ("１２３４５６７８９７", "kid_digits"),  # full-width digits are not digits here
    ],
)
def test_what_is_not_a_kid_says_why(kid, code):
    with pytest.raises(ValidationError) as error:
        validate_kid(kid)

    assert error.value.code == code


@pytest.mark.parametrize(
    "org_number",
    [
        "974760673",  # Brønnøysundregistrene
        "923609016",  # Equinor ASA
        "984851006",  # DNB Bank ASA
        "971526920",  # Statistisk sentralbyrå
        "998877660",  # the demo's Testbedriften AS
        "987654325",  # the demo's Bergen TEST
    ],
)
def test_real_organisation_numbers_are_accepted(org_number):
    assert org_number_valid(org_number)

    validate_org_number(org_number)


@pytest.mark.parametrize(
    ("org_number", "code"),
    [
        ("974760674", "org_checksum"),
        ("923609017", "org_checksum"),
        ("97476067", "org_length"),
        ("9747606730", "org_length"),
        ("97476O673", "org_length"),
    ],
)
def test_wrong_organisation_numbers_are_refused(org_number, code):
    assert not org_number_valid(org_number)

    with pytest.raises(ValidationError) as error:
        validate_org_number(org_number)

    assert error.value.code == code


@pytest.mark.django_db
def test_the_model_refuses_a_bad_kid(invoice):
    invoice.kid = "1234567890"

    with pytest.raises(ValidationError) as error:
        invoice.full_clean()

    assert "kid" in error.value.message_dict


# -- KIDs made for invoices, and the provider's account number --------------------------------


@pytest.mark.parametrize("reference", ["123456789", "2017118350", "2026500002", "0"])
def test_a_made_kid_is_the_reference_with_its_mod10_check_digit(reference):
    kid = kid_make(reference=reference)

    assert kid[:-1] == reference
    assert luhn_valid(kid)
    validate_kid(kid)


def account_number_valid(number: str) -> bool:
    """Mod-11 over the whole number: weights 5 4 3 2 7 6 5 4 3 2 and 1 for the check digit."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(w * int(d) for w, d in zip(weights, number, strict=True)) % 11 == 0


@pytest.mark.parametrize("number", ["15031234562", "15061234567", "86011117947"])
def test_a_valid_account_number_passes(number):
    assert account_number_valid(number)
    validate_account_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("15031234526", "account_checksum"),  # two digits swapped
        ("15034012340", "account_checksum"),  # its check value would be 10: never issued
        ("1503123456", "account_length"),
        ("1503.12.34562", "account_length"),
        ("150312345６2", "account_length"),  # a full-width digit
    ],
)
def test_a_wrong_account_number_is_refused(number, code):
    with pytest.raises(ValidationError) as refused:
        validate_account_number(number)

    assert refused.value.code == code
