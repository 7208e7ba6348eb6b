"""Norwegian numbers: organisation numbers and national identity numbers (fødselsnummer)."""

import datetime
import re
from operator import mul

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.formatting import format_date

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
# K1 with the check digit itself weighted 1; K2 likewise. A number is valid when the sum is
# divisible by 11 — or, for K1 under the rule for numbers issued from 2032, leaves 0-3.
NATIONAL_ID_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
NATIONAL_ID_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
K1_REMAINDERS_FROM_2032 = (0, 1, 2, 3)


def _weighted_remainder(digits: str, weights: tuple[int, ...]) -> int:
    """The weighted sum's remainder by 11; `digits` as long as `weights` (the callers slice
    them so). Run several times for each row of an import: kept to builtins."""
    return sum(map(mul, map(int, digits), weights)) % 11


def _is_digits(value: str) -> bool:
    """0-9 only: str.isdigit() also takes full-width, Arabic-Indic and superscript digits."""
    return value.isascii() and value.isdigit()


def validate_org_number(value: str) -> None:
    if not (len(value) == 9 and _is_digits(value)):
        raise ValidationError(_("An organisation number has exactly 9 digits."), code="org_length")
    remainder = _weighted_remainder(value[:8], ORG_NUMBER_WEIGHTS)
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[8]):
        raise ValidationError(
            _("The organisation number's check digit is wrong."), code="org_checksum"
        )


def validate_postal_code(value: str) -> None:
    """A Norwegian postal code (postnummer): four digits, leading zeros kept («0155»)."""
    if not (len(value) == 4 and _is_digits(value)):
        raise ValidationError(
            _("A postal code has exactly 4 digits (0-9), for instance 0155."),
            code="postal_code",
        )


def _birth_year(two_digit_year: int, individual: int) -> int | None:
    """The century follows from the individual number (Skatteetaten's table)."""
    if individual <= 499:
        return 1900 + two_digit_year
    if individual <= 749 and two_digit_year >= 54:
        return 1800 + two_digit_year
    if individual >= 500 and two_digit_year <= 39:
        return 2000 + two_digit_year
    if individual >= 900 and two_digit_year >= 40:
        return 1900 + two_digit_year
    return None


# As people write it: 11 digits, or the birth date, a space or a hyphen, and five digits.
NATIONAL_ID_WRITTEN = re.compile(r"([0-9]{6})[ -]?([0-9]{5})")


def normalize_national_id(value: str) -> str:
    """One stored form of what forms and imports are given: DDMMYYNNNNN from «010611-20226»
    and «010611 20226» as well; anything else only without its spaces (and then refused by
    `validate_national_id` with the reason)."""
    compact = " ".join(value.split())
    if match := NATIONAL_ID_WRITTEN.fullmatch(compact):
        return match.group(1) + match.group(2)
    return "".join(compact.split())


def _national_id_date_digits(value: str) -> tuple[int, int, int, bool]:
    """(day, month, year or -1, H/synthetic) as the number writes them, D-number day taken
    back; the year's century from the individual number."""
    day, month = int(value[0:2]), int(value[2:4])
    if day > 40:  # D-number
        day -= 40
    special = month > 40
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
    year = _birth_year(int(value[4:6]), int(value[6:9]))
    return day, month, -1 if year is None else year, special


def _issued_under_2032_rule(value: str) -> bool:
    """K1 leaves 1-3 only for numbers issued under the rule from 2032, whose first six digits
    need not be the birth date."""
    return _weighted_remainder(value[:10], NATIONAL_ID_K1_WEIGHTS) != 0


def national_id_birth_date(value: str) -> datetime.date | None:
    """The birth date a valid number tells: ordinary numbers and D-numbers; None for H- and
    synthetic numbers and for numbers under the 2032 rule, where the date is not derivable."""
    if len(value) != 11 or not _is_digits(value) or _issued_under_2032_rule(value):
        return None
    day, month, year, special = _national_id_date_digits(value)
    if special or year < 0:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def validate_national_id(value: str, *, today: datetime.date | None = None) -> None:
    """Refuse what is not a Norwegian national id, D-number or (where allowed) H/synthetic,
    and a number of a person not yet born."""
    national_id_checked(value, today=today)


def national_id_checked(value: str, *, today: datetime.date | None = None) -> datetime.date | None:
    """`validate_national_id`, returning the birth date the number tells (as
    `national_id_birth_date`) from the same reading of its digits: an import checks the number
    and its date of every row."""
    if not _is_digits(value):
        raise ValidationError(_("A national identity number has digits only."), code="nid_digits")
    if len(value) != 11:
        raise ValidationError(
            _("A national identity number has exactly 11 digits (you typed %(n)d)."),
            code="nid_length",
            params={"n": len(value)},
        )
    k1_remainder = _weighted_remainder(value[:10], NATIONAL_ID_K1_WEIGHTS)
    if (
        _weighted_remainder(value[:11], NATIONAL_ID_K2_WEIGHTS) != 0
        or k1_remainder not in K1_REMAINDERS_FROM_2032
    ):
        raise ValidationError(
            _("The national identity number's check digits are wrong."),
            code="nid_checksum",
        )

    allow_synthetic = getattr(settings, "PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS", False)
    allow_h = getattr(settings, "PORTAL_ALLOW_H_NUMBERS", False)
    month = int(value[2:4])
    if month > 80:
        if not allow_synthetic:
            raise ValidationError(
                _("This is a synthetic test number, which is not accepted here."),
                code="nid_synthetic",
            )
    elif month > 40 and not (allow_h or allow_synthetic):
        # Month + 40 is an H-number (a health-sector aid) and also NAV's synthetic series.
        raise ValidationError(
            _("This is an H-number or a synthetic test number, not accepted here."),
            code="nid_h_number",
        )

    day, month, year, special = _national_id_date_digits(value)
    try:
        if year < 0:
            raise ValueError
        date = datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("The national identity number does not begin with a valid date."),
            code="nid_date",
        ) from None
    if k1_remainder != 0:  # issued under the 2032 rule: the digits need not be a birth date
        return None
    if date > (today or timezone.localdate()):
        raise ValidationError(
            _("The national identity number is of a person born %(date)s, a date still to come."),
            code="nid_future",
            params={"date": format_date(date)},
        )
    return None if special else date


def validate_national_id_matches_birth_date(
    national_id: str, birth_date: datetime.date | None
) -> None:
    """Refuse a number whose birth date is not the employee's (where the number tells one)."""
    number_date = national_id_birth_date(national_id) if birth_date else None
    if number_date is not None and number_date != birth_date:
        raise ValidationError(
            _(
                "The national identity number is of a person born %(number_date)s, but the "
                "date of birth is %(birth_date)s."
            ),
            code="nid_birth_date",
            params={
                "number_date": format_date(number_date),
                "birth_date": format_date(birth_date),
            },
        )


def validate_birth_date_matches_registered_national_id(
    registered: str, birth_date: datetime.date | None
) -> None:
    """As `validate_national_id_matches_birth_date`, for a changed birth date against the
    number already registered: that number is never shown back, not even its date."""
    number_date = national_id_birth_date(registered) if birth_date else None
    if number_date is not None and number_date != birth_date:
        raise ValidationError(
            _(
                "The date of birth %(birth_date)s is not the one in the registered national "
                "identity number. Check the date, or type the right number."
            ),
            code="nid_registered_birth_date",
            params={"birth_date": format_date(birth_date)},
        )


def national_id_check_digits(body: str) -> str | None:
    """The two check digits that complete nine digits (birth date and individual number) under
    the classic rule; None when either would be 10, as no number is issued with that body."""
    k1 = -_weighted_remainder(body, NATIONAL_ID_K1_WEIGHTS[:9]) % 11
    if k1 == 10:
        return None
    k2 = -_weighted_remainder(f"{body}{k1}", NATIONAL_ID_K2_WEIGHTS[:10]) % 11
    return None if k2 == 10 else f"{k1}{k2}"


def normalize_mobile(value: str) -> str:
    """One stored form: eight digits for a Norwegian number, +<country><number> otherwise.

    Accepts what people type: 12345678, 123 45 678, +47 123 45 678, 0047 12345678.
    """
    raw = value.strip()
    if not raw:
        return ""
    compact = "".join(ch for ch in raw if ch not in " .-()/")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    plus = compact.startswith("+")
    digits = compact[1:] if plus else compact
    if not _is_digits(digits):
        raise ValidationError(
            _("A mobile number has digits only (spaces and a leading + are fine)."),
            code="mobile_digits",
        )
    if plus and digits.startswith("47"):
        plus, digits = False, digits[2:]
    if not plus:
        if len(digits) != 8:
            raise ValidationError(
                _("A Norwegian mobile number has 8 digits."), code="mobile_length"
            )
        return digits
    if not 8 <= len(digits) <= 15:
        raise ValidationError(
            _("A foreign mobile number has 8 to 15 digits after the +."), code="mobile_length"
        )
    return "+" + digits


def format_mobile(value: str) -> str:
    """12345678 → 123 45 678; foreign numbers as stored."""
    if len(value) == 8 and _is_digits(value):
        return f"{value[:3]} {value[3:5]} {value[5:]}"
    return value


# -- KID (kundeidentifikasjon): the payment reference of a Norwegian invoice ------------------
# 2 to 25 digits, the last one a check digit under MOD10 (Luhn) or MOD11 (weights 2-7 from the
# right). Which of the two a biller uses is agreed with the bank, so either is accepted; under
# MOD11 a check value of 10 is written "-".
KID_MIN_LENGTH = 2
KID_MAX_LENGTH = 25


def kid_mod10_check_digit(digits: str) -> str:
    """The Luhn check digit of `digits`: every second digit from the right doubled."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def kid_mod11_check_digit(digits: str) -> str:
    """The MOD11 check digit of `digits` (weights 2, 3, 4, 5, 6, 7, 2, … from the right);
    "-" where the check value would be 10."""
    total = sum(int(digit) * (2 + position % 6) for position, digit in enumerate(reversed(digits)))
    check = -total % 11
    return "-" if check == 10 else str(check)


def validate_kid(value: str) -> None:
    """Refuse what a bank would refuse as a KID (MOD10 or MOD11)."""
    if not _is_digits(value.removesuffix("-")):
        raise ValidationError(
            _("A KID has digits only (the last one may be “-”)."), code="kid_digits"
        )
    if not KID_MIN_LENGTH <= len(value) <= KID_MAX_LENGTH:
        raise ValidationError(
            _("A KID has 2 to 25 digits (this one has %(n)d)."),
            code="kid_length",
            params={"n": len(value)},
        )
    body, check = value[:-1], value[-1]
    if check not in (kid_mod10_check_digit(body), kid_mod11_check_digit(body)):
        raise ValidationError(_("The KID's check digit is wrong."), code="kid_checksum")


def kid_make(*, reference: str) -> str:
    """`reference` (digits) with its MOD10 check digit: a KID every Norwegian bank accepts."""
    return reference + kid_mod10_check_digit(reference)


# -- Bank account numbers: 11 digits, the last a mod-11 check digit (weights 5 4 3 2 7 6 5 4 3 2)
ACCOUNT_NUMBER_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def validate_account_number(value: str) -> None:
    if not (len(value) == 11 and _is_digits(value)):
        raise ValidationError(
            _("A Norwegian account number has exactly 11 digits."), code="account_length"
        )
    remainder = _weighted_remainder(value[:10], ACCOUNT_NUMBER_WEIGHTS)
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[10]):
        raise ValidationError(
            _("The account number's check digit is wrong."), code="account_checksum"
        )
