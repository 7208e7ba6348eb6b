"""Finn ansatte: the search panel of the employee list."""

import datetime
import re

import django_filters
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from permissions.capabilities import Capability
from portal.models import Employee

from .base import FilterSetListFilter, PortalFilterSet
from .fields import MAX_SEARCH_WORDS, choice_filter, department_filter, text_input

CAPABILITY = Capability.VIEW_EMPLOYEES
#: A birth date as people type it: 13.09.2018, 13.9.18, 130918 (as a national id begins).
TYPED_DATE = re.compile(
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})"
    r"|(?P<dd>\d{2})(?P<mm>\d{2})(?P<yy>\d{2})"
)


def typed_birth_dates(term: str, today: datetime.date) -> tuple[datetime.date, ...]:
    """The birth dates `term` may spell, none if it spells none. A two-digit year is read in
    both centuries not after today (18: 2018 and 1918): the import reads such a year as the
    one that makes the person at least 13, so a search must find either."""
    match = TYPED_DATE.fullmatch(term)
    if match is None:
        return ()
    day, month, year = (
        (match["day"], match["month"], match["year"])
        if match["day"]
        else (match["dd"], match["mm"], match["yy"])
    )
    years = [int(year)] if len(year) == 4 else [2000 + int(year), 1900 + int(year)]
    dates = []
    for candidate in years:
        try:
            born = datetime.date(candidate, int(month), int(day))
        except ValueError:  # 31.02., 290223 (no 29 February in 1923 either)
            continue
        if born <= today:
            dates.append(born)
    return tuple(dates)


class Activity(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("employees", "Active")
    DEACTIVATED = "deactivated", pgettext_lazy("employees", "Deactivated")
    ALL = "all", _("All")


class EmployeeFilterSet(PortalFilterSet):
    view_capability = CAPABILITY

    text = django_filters.CharFilter(
        method="filter_text",
        label=_("Free text"),
        widget=text_input(
            placeholder=_("Name, e-mail, mobile or date of birth"), autocomplete="off"
        ),
    )
    department = department_filter(capability=CAPABILITY, label=_("Company/department"))
    active = choice_filter(
        choices=Activity.choices, label=_("Status"), method="filter_active", empty_label=None
    )

    class Meta(PortalFilterSet.Meta):
        model = Employee
        fields = ()

    def __init__(self, data=None, *args, **kwargs):
        """Active employees unless asked otherwise."""
        data = QueryDict(mutable=True) if data is None else data.copy()
        if not data.get("active"):
            data["active"] = Activity.ACTIVE
        super().__init__(data, *args, **kwargs)

    def filter_text(self, queryset, name, value):
        """Every word somewhere in the name, e-mail or mobile, or the birth date: "Donald Duck"
        finds him, and so do "13.09.2018" and "130918"."""
        today = timezone.localdate()
        for term in value.split()[:MAX_SEARCH_WORDS]:
            found = (
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
                | Q(mobile__icontains=term)
            )
            if born := typed_birth_dates(term, today):
                found |= Q(birth_date__in=born)
            queryset = queryset.filter(found)
        return queryset

    def filter_active(self, queryset, name, value):
        if value == Activity.ACTIVE:
            return queryset.filter(is_active=True)
        if value == Activity.DEACTIVATED:
            return queryset.filter(is_active=False)
        return queryset


class EmployeeSearch(FilterSetListFilter):
    title = _("Find employees")
    filterset_class = EmployeeFilterSet
