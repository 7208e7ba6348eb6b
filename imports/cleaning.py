"""Cell values as people and Excel write them, made into the values the portal stores.

Each cleaner takes a raw cell (str, int, float, bool, date/datetime or None, as the reader
gives it) and returns the clean value, or raises `CellError` with a message for the user.
No cleaner turns an arbitrary string into a number: `1e1000000` stays text and is refused as
text, in constant time.
"""

import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.exports import FORMULA_PREFIXES
from portal.formatting import format_date
from portal.validators import national_id_checked, normalize_mobile, normalize_national_id

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bounded quantifiers only: nothing here can backtrack for long.
DATE_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})")
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0{1,6})?)?)?")
EXCEL_SHORTENED = re.compile(r"\d{1,2}(?:[.,]\d{1,15})?[eE]\+?\d{1,3}")
MIN_BIRTH_DATE = datetime.date(1900, 1, 1)
MIN_WORKING_AGE = 13  # a two-digit year is the latest that makes the person at least this old


class CellError(Exception):
    """A value that cannot be used; `show_value` False keeps it off the page (national ids)."""

    def __init__(self, message: str, *, show_value: bool = True):
        super().__init__(message)
        self.message = message
        self.show_value = show_value


def as_text(value) -> str:
    """Any cell as trimmed text on one line; numbers without a trailing ".0"; the apostrophe
    an export puts before =, +, -, @ taken off again."""
    if type(value) is str:  # the usual cell, so asked first
        text = value
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    elif isinstance(value, float):
        if not math.isfinite(value):
            return "#NUM!"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, datetime.datetime):
        return f"{format_date(value)} {value:%H:%M}" if value.time() else format_date(value)
    elif isinstance(value, datetime.date):
        return format_date(value)
    else:
        text = str(value)
    if text.isprintable():  # the usual cell: no control, invisible or no-break characters
        text = text.strip()
        if "  " in text:
            text = " ".join(text.split())
    else:
        text = " ".join(CONTROL.sub("", text.translate(INVISIBLE)).split())
    if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def clean_name(value, *, max_length: int) -> str:
    text = as_text(value)
    if not text:
        raise CellError(_("This column is required."))
    if len(text) > max_length:
        raise CellError(_("At most %(n)d characters.") % {"n": max_length})
    if not any(map(str.isalpha, text)):
        raise CellError(_("A name has letters."))
    return text


def clean_email(value) -> str:
    text = as_text(value).removeprefix("mailto:").strip()
    if not text:
        raise CellError(_("The e-mail address is required."))
    if len(text) > 254:
        raise CellError(_("At most %(n)d characters.") % {"n": 254})
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(_("This is not an e-mail address.")) from None
    return text


def clean_mobile(value) -> str:
    """The forms the employee form accepts (normalize_mobile), and Excel's number cells, which
    lose the + of an international number: more than eight digits in a number cell had one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not (math.isfinite(value) and float(value).is_integer() and value > 0):
            raise CellError(_("A mobile number has digits only (spaces and a leading + are fine)."))
        digits = str(int(value))
        text = digits if len(digits) <= 8 else "+" + digits
    else:
        text = as_text(value)
    try:
        return normalize_mobile(text)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def clean_birth_date(value, *, today: datetime.date | None = None) -> datetime.date | None:
    """A date cell, or dd.mm.åååå, d.m.åå, åååå-mm-dd (also with / or - between day, month
    and year)."""
    return read_birth_date(value, today=today)[0]


def read_birth_date(
    value, *, today: datetime.date | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """(the date as `clean_birth_date` reads it, the other reading or None).

    A date with slashes whose day and month are both 12 or less (01/03/1990) is read day
    first, as Norway writes it, but a spreadsheet set to English wrote it month first: the
    other reading is a date of birth just as well, and only the row's national id or the
    user can tell which was meant. Dotted and dashed dates are Norwegian: one reading.
    """
    today = today or timezone.localdate()
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime.datetime):
        return _birth_date_in_range(value.date(), today), None
    if isinstance(value, datetime.date):
        return _birth_date_in_range(value, today), None
    text = as_text(value)
    if not text:
        return None, None
    date = _birth_date_in_range(parse_date(text, today=today), today)
    match = DATE_DMY.fullmatch(text)
    if not (match and "/" in text and date.day <= 12 and date.month != date.day):
        return date, None
    try:
        other = _birth_date_in_range(date.replace(day=date.month, month=date.day), today)
    except CellError:
        return date, None
    return date, other


def _birth_date_in_range(date: datetime.date, today: datetime.date) -> datetime.date:
    if date > today:
        raise CellError(_("The date of birth is in the future."))
    if date < MIN_BIRTH_DATE:
        raise CellError(_("The date of birth is before 1900."))
    return date


def parse_date(text: str, *, today: datetime.date, recent: bool = False) -> datetime.date:
    """dd.mm.åååå, d.m.åå, åååå-mm-dd (also with / or - between day, month and year): every
    import's dates. A two-digit year is this century's when `recent` (an invoice's date), else
    the latest that makes a person at least MIN_WORKING_AGE (a date of birth)."""
    if match := DATE_ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := DATE_DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2 and recent:
            year += 2000
        elif len(match.group(3)) == 2:
            year += 2000 if 2000 + year <= today.year - MIN_WORKING_AGE else 1900
    else:
        raise _not_a_date()
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _not_a_date() from None


def _not_a_date() -> CellError:
    return CellError(_("This is not a date. Write it as dd.mm.åååå, for example 17.05.1985."))


GENDER_WORDS = {
    "male": ("mann", "m", "male", "man", "gutt", "hankjønn"),
    "female": ("kvinne", "k", "f", "female", "woman", "dame", "hunkjønn"),
    "other": ("annet", "annen", "other", "o"),
}
GENDERS = {word: gender for gender, words in GENDER_WORDS.items() for word in words}


def clean_gender(value) -> str:
    text = as_text(value).casefold().rstrip(".")
    if not text:
        return ""
    if text not in GENDERS:
        raise CellError(_("Write Mann, Kvinne or Annet (or leave it empty)."))
    return GENDERS[text]


YES = {"ja", "j", "yes", "y", "true", "sann", "1", "x", "aktiv", "active"}
NO = {"nei", "n", "no", "false", "usann", "0", "inaktiv", "deaktivert", "sluttet", "inactive"}


def clean_yes_no(value) -> bool | None:
    """Ja/nei (also yes/no, 1/0, and Excel's TRUE/FALSE); empty is None."""
    if isinstance(value, bool):
        return value
    text = as_text(value).casefold().rstrip(".")
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Write ja or nei (or leave it empty)."))


def clean_national_id(value, *, today: datetime.date | None = None) -> str:
    """11 digits, as the employee form takes them (DDMMYY NNNNN and DDMMYY-NNNNN too); a
    number that lost its leading zero (10 digits) gets it back when the result is a valid
    number. The value is never shown back (`show_value=False`)."""
    return read_national_id(value, today=today)[0]


def read_national_id(
    value, *, today: datetime.date | None = None
) -> tuple[str, datetime.date | None]:
    """(the number as `clean_national_id` reads it, the birth date it tells or None: see
    `portal.validators.national_id_birth_date`), its digits checked once for both."""
    if value in (None, ""):
        return "", None
    if isinstance(value, bool):
        raise CellError(_("A national identity number has digits only."), show_value=False)
    if isinstance(value, int | float):
        if not (math.isfinite(value) and float(value).is_integer() and value >= 0):
            raise CellError(_("A national identity number has digits only."), show_value=False)
        digits = str(int(value))
    else:
        digits = normalize_national_id(as_text(value))
        if not digits:
            return "", None
        if EXCEL_SHORTENED.fullmatch(digits):
            raise CellError(
                _(
                    "Excel has shortened the number (like 1,31E+10) and digits are lost. "
                    "Format the column as text and type the numbers again."
                ),
                show_value=False,
            )
    if len(digits) == 10 and digits.isascii() and digits.isdigit():
        try:
            return "0" + digits, national_id_checked("0" + digits, today=today)
        except ValidationError:
            raise CellError(
                _(
                    "The national identity number has 10 digits. Excel may have dropped a "
                    "leading zero, but with it the number is still not valid."
                ),
                show_value=False,
            ) from None
    try:
        return digits, national_id_checked(digits, today=today)
    except ValidationError as error:
        raise CellError(" ".join(error.messages), show_value=False) from None
