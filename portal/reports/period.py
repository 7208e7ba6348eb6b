"""The reports' period picker (from month – to month) and, for staff, the customer picker."""

import datetime
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from portal.models import Customer
from portal.selectors.periods import local_midnight, month_start, months_add

DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years: a table of 120 rows is the most a report shows
MONTH_INPUT = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})|(?P<month2>\d{1,2})\.(?P<year2>\d{4})"
)


@dataclass(frozen=True)
class Period:
    """Whole months, `first` to `last` (both the first day of their month)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def default(cls, today: datetime.date) -> "Period":
        """The last twelve months, this one included."""
        last = month_start(today)
        return cls(first=months_add(last, -(DEFAULT_MONTHS - 1)), last=last)

    @property
    def months(self) -> list[datetime.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [months_add(self.first, n) for n in range(count)]

    @property
    def end_date(self) -> datetime.date:
        """The first day after the period (for date columns: `< end_date`)."""
        return months_add(self.last, 1)

    @property
    def start(self) -> datetime.datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the period, in Norwegian time."""
        return local_midnight(self.end_date)

    def as_params(self) -> dict[str, str]:
        return {"from_month": f"{self.first:%Y-%m}", "to_month": f"{self.last:%Y-%m}"}


def report_url(first: datetime.date, last: datetime.date, *, anchor: str = "") -> str:
    """The reports page for the months of `first` to `last`, at a report's section."""
    params = Period(first=month_start(first), last=month_start(last)).as_params()
    return f"{reverse('admin:reports')}?{urlencode(params)}" + (f"#{anchor}" if anchor else "")


class MonthInput(UnfoldAdminTextInputWidget):
    """The browser's month picker (2025-01); typed as 01.2025 where there is none."""

    input_type = "month"


class ManyOptionsSelect(UnfoldAdminSelectWidget):
    """Unfold's select with its options written in one pass: two thousand customers, each
    made into an option dict and rendered through Django's option template, took the staff's
    reports page ~300 ms. The same markup: the first option of the value is selected."""

    template_name = "portal/widgets/many_options_select.html"

    def optgroups(self, name, value, attrs=None):
        return []  # `options_html` writes them

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = self.options_html(context["widget"]["value"])
        return context

    def options_html(self, value: list[str]) -> SafeString:
        chosen, options = set(value), []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            if selected:
                chosen = set()  # one selected option, as Django's select marks it
            options.append(
                f'\n<option value="{escape(key)}"{selected}>{escape(str(label))}</option>'
            )
        return mark_safe("".join(options))  # noqa: S308 (value and label escaped above)


class MonthField(forms.Field):
    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as mm.yyyy.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        match = MONTH_INPUT.fullmatch(str(value).strip())
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year = int(match["year"] or match["year2"])
        month = int(match["month"] or match["month2"])
        if not (1 <= month <= 12 and 1900 <= year <= 9999):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(year, month, 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value


class ReportFilterForm(forms.Form):
    """From month, to month, and for staff a customer ("all customers" when empty).

    A customer user's form has no customer field: `?customer=` from them is never read.
    """

    from_month = MonthField(label=_("From month"), required=False)
    to_month = MonthField(label=_("To month"), required=False)

    def __init__(self, data, *, staff: bool, today: datetime.date, initial=None):
        self.default = Period.default(today)
        super().__init__(data, initial=initial)
        if staff:
            self.fields["customer"] = forms.ModelChoiceField(
                queryset=Customer.objects.order_by("name").only("pk", "name"),
                required=False,
                label=_("Customer"),
                empty_label=_("All customers"),
                widget=ManyOptionsSelect,
            )

    def clean(self):
        cleaned = super().clean()
        first = cleaned.get("from_month") or (
            months_add(cleaned["to_month"], -(DEFAULT_MONTHS - 1))
            if cleaned.get("to_month")
            else self.default.first
        )
        last = cleaned.get("to_month") or (
            min(months_add(first, DEFAULT_MONTHS - 1), self.default.last)
            if cleaned.get("from_month")
            else self.default.last
        )
        if first > last:
            raise forms.ValidationError(
                _("The first month comes after the last."), code="period_reversed"
            )
        if len(Period(first=first, last=last).months) > MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose at most %(months)d months."),
                code="period_too_long",
                params={"months": MAX_MONTHS},
            )
        cleaned["period"] = Period(first=first, last=last)
        return cleaned

    @property
    def period(self) -> Period:
        """The chosen period; the default one while the input is invalid."""
        if self.is_valid():
            return self.cleaned_data["period"]
        return self.default

    @property
    def customer(self) -> Customer | None:
        if "customer" not in self.fields or not self.is_valid():
            return None
        return self.cleaned_data.get("customer")

    def for_display(self) -> "ReportFilterForm":
        """The form to show: the input with its errors, or once valid, the period (and
        customer) in use, so that the fields say what the reports show."""
        if not self.is_valid():
            return self
        initial: dict[str, object] = {"from_month": self.period.first, "to_month": self.period.last}
        if self.customer is not None:
            initial["customer"] = self.customer.pk
        return ReportFilterForm(
            None, staff="customer" in self.fields, today=self.default.last, initial=initial
        )

    def query_string(self) -> str:
        params = self.period.as_params()
        if self.customer is not None:
            params["customer"] = str(self.customer.pk)
        return urlencode(params)
