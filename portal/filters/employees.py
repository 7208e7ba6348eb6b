"""Finn ansatte: the search panel of the employee list."""

import django_filters
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from permissions.capabilities import Capability
from portal.models import Employee

from .base import FilterSetListFilter, PortalFilterSet
from .fields import MAX_SEARCH_WORDS, choice_filter, department_filter, text_input

CAPABILITY = Capability.VIEW_EMPLOYEES


class Activity(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("employees", "Active")
    DEACTIVATED = "deactivated", pgettext_lazy("employees", "Deactivated")
    ALL = "all", _("All")


class EmployeeFilterSet(PortalFilterSet):
    view_capability = CAPABILITY

    text = django_filters.CharFilter(
        method="filter_text",
        label=_("Free text"),
        widget=text_input(placeholder=_("Name, e-mail or mobile"), autocomplete="off"),
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
        """Every word somewhere in the name, e-mail or mobile: "Donald Duck" finds him."""
        for term in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
                | Q(mobile__icontains=term)
            )
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
