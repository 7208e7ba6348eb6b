"""Reading the cells of an accounting system's spreadsheet: amounts, dates, yes/no, numbers.

Each reader takes what the cell holds (text, or a number or date from an .xlsx) and returns a
Python value, or raises `CellError` (the import's one, `imports.cleaning`) with a message for
the user saying what was wrong with it. Dates and yes/no are read as every import reads them.
"""

import datetime
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imports.cleaning import CellError, clean_yes_no, parse_date
from portal.formatting import format_date, format_nok
from portal.models import Invoice
from portal.text import text_clean
from portal.validators import validate_kid, validate_org_number

__all__ = ["READERS", "CellError", "blank", "shown"]


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """The cell as text, without control characters (an ESC in a line's description would
    break every export of it), as the employee import reads names."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets hold numbers typed into text columns as floats
    return text_clean(str(value), multiline=False).strip()


def _digits(value) -> str:
    """Org. numbers and KIDs: spaces between digit groups are fine."""
    return re.sub(r"[\s\u00a0]", "", _text(value))


def _decimal(value, *, places: int = 2) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not an amount.") % {"value": value})
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = re.sub(r"(?i)(nok|kr\.?)", "", str(value))
        text = re.sub(r"[\s\u00a0\u202f']", "", text).replace("\u2212", "-")
        if "," in text and "." in text:  # 1.500,00 or 1,500.00: the last one is the decimal
            thousands = "." if text.rfind(",") > text.rfind(".") else ","
            text = text.replace(thousands, "")
        text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not an amount.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not an amount.") % {"value": value})
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise CellError(
            _("“%(value)s” has more than %(places)d decimals.") % {"value": value, "places": places}
        )
    if abs(number) >= Decimal(10) ** 10:
        raise CellError(_("“%(value)s” is too large.") % {"value": value})
    return number.quantize(Decimal(1).scaleb(-places))


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    try:
        # The import's one date parser; a calendar date, never a naive datetime.
        return parse_date(text, today=timezone.localdate(), recent=True)
    except CellError:
        raise CellError(
            _("“%(value)s” is not a date; write it as dd.mm.yyyy.") % {"value": text}
        ) from None


def _validated(validator, value: str) -> str:
    try:
        validator(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return value


INVOICE_NUMBER_LENGTH = Invoice._meta.get_field("number").max_length or 0


def _invoice_number(value) -> str:
    number = _text(value)
    if len(number) > INVOICE_NUMBER_LENGTH or re.search(r"\s", number):
        raise CellError(_("“%(value)s” is not an invoice number.") % {"value": number})
    return number


def _order_number(value) -> int:
    text = _text(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise CellError(_("“%(value)s” is not an order number.") % {"value": text})
    return int(text)


READERS: dict[str, Callable[[Any], Any]] = {
    "number": _invoice_number,
    "payer_org_number": lambda value: _validated(validate_org_number, _digits(value)),
    "invoice_date": _date,
    "due_date": _date,
    "kid": lambda value: _validated(validate_kid, _digits(value)),
    "total": _decimal,
    "outstanding": _decimal,
    "is_credit_note": clean_yes_no,  # the yes/no words of every import (ja, nei, x, …)
    "description": _text,
    "quantity": _decimal,
    "unit_price": _decimal,
    "amount": _decimal,
    "order_number": _order_number,
}


def shown(value) -> str:
    """A value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        return format_nok(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(value)
