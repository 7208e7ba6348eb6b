"""Norwegian display formats: 1 500,00 kr and 04.07.2019, whatever the UI language."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

NBSP = "\xa0"


def format_nok(amount: Decimal | int | None) -> str:
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}kr"


def format_account_number(number: str) -> str:
    """1503.12.34562: a Norwegian bank account number as banks print it (anything else as
    given)."""
    if len(number) == 11 and number.isascii() and number.isdigit():
        return f"{number[:4]}.{number[4:6]}.{number[6:]}"
    return number


def format_org_number(number: str) -> str:
    """999 999 999: an organisation number in groups of three (anything else as given)."""
    if len(number) == 9 and number.isascii() and number.isdigit():
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    return number


def format_percent(value: Decimal) -> str:
    """25 % and 12,5 %: no trailing zeros, a decimal comma, a non-breaking space."""
    return f"{format_quantity(value)}{NBSP}%"


def format_count(value: int | None) -> str:
    """12 345: a count with the Norwegian thousands separator (a non-breaking space)."""
    if value is None:
        return "–"
    return f"{value:,}".replace(",", NBSP)


def format_quantity(quantity) -> str:
    """1 and 2,5: no trailing zeros, a decimal comma."""
    return f"{quantity.normalize():f}".replace(".", ",")


def format_date(value) -> str:
    """31.12.1959. Not `strftime`: with the time zone set (Django sets TZ), the C library
    works out the zone for a date before 1970 on every call, ten times slower, and birth dates
    go through here by the ten thousand in an import."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}" if value else ""


def format_datetime(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def user_display_name(user) -> str:
    """'TESTWEB WEB (TESTWEB)': full name and user name, as the provider's CRM shows them."""
    full_name = user.get_full_name() or user.get_username()
    return f"{full_name} ({user.get_username().upper()})"


def format_who_when(user, when) -> str:
    """'TESTWEB WEB (TESTWEB), 05.03.2024 14:30': who did something, and when; '–' when it
    has not been done. A user since deleted reads as '–'."""
    if not when:
        return "–"
    who = user_display_name(user) if user else "–"
    return f"{who}, {format_datetime(when)}"


def order_label(order) -> str:
    """'306990 – Testbedriften AS – Helsekontroll (HK)': an order as staff pick it among every
    customer's (fetch it with its department's customer and its product group)."""
    parts = [str(order.number), order.department.customer.name]
    if order.product_group is not None:
        parts.append(order.product_group.name)
    return " – ".join(parts)


def name_with_customer(name: str, customer_name: str | None) -> str:
    """'Testbedriften AS – Bergen TEST': how staff, who see every customer, tell departments
    (and contracts) of different customers apart. A department named as its customer (the
    main company) is named once."""
    if customer_name and customer_name != name:
        return f"{customer_name} – {name}"
    return name
