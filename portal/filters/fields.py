"""Filters shared by the search panels, with Unfold's widgets and choices from `permissions`."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import SELECT2_TRANSLATIONS, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextInputWidget,
)

from permissions.capabilities import Capability
from permissions.policies import scope_choices
from permissions.scoping import is_unscoped
from portal.formatting import name_with_customer
from portal.models import Customer, Department, ProductGroup

ALL = _("All")
MAX_BIGINT = 2**63 - 1  # the largest number the database holds: larger input is refused
MAX_SEARCH_WORDS = 8  # a pasted paragraph would otherwise become a query with hundreds of LIKEs


def text_input(**attrs) -> forms.Widget:
    return UnfoldAdminTextInputWidget(attrs=attrs)


def select() -> forms.Widget:
    return UnfoldAdminSelectWidget()


def date_input() -> forms.Widget:
    """Typed as 04.07.2019 or picked from the calendar (admin's DateTimeShortcuts)."""
    return UnfoldAdminSingleDateWidget(
        attrs={"placeholder": _("dd.mm.yyyy"), "autocomplete": "off", "inputmode": "numeric"}
    )


class DigitsField(forms.CharField):
    """Digits, or a part of a number typed with spaces ("290 467"): spaces are dropped."""

    default_error_messages = {"invalid": _("Type digits only: the number, or a part of it.")}

    def to_python(self, value):
        value = "".join(super().to_python(value).split())
        if value and not value.isdigit():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class NumberPartFilter(django_filters.CharFilter):
    field_class = DigitsField


def number_part_filter(*, field_name: str, label) -> NumberPartFilter:
    """A number found by any part of it: "2904" finds 290467 (a trigram index answers it on
    PostgreSQL, see portal's migration 0002)."""
    return NumberPartFilter(
        field_name=field_name,
        lookup_expr="contains",
        label=label,
        max_length=len(str(MAX_BIGINT)),
        widget=text_input(inputmode="numeric", autocomplete="off"),
    )


def date_filter(*, field_name: str, lookup_expr: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, widget=date_input()
    )


def choice_filter(*, choices, label, **kwargs) -> django_filters.ChoiceFilter:
    kwargs.setdefault("empty_label", ALL)
    return django_filters.ChoiceFilter(choices=choices, label=label, widget=select(), **kwargs)


# -- choices of related rows: what `permissions.scoping` lets the user pick, in one query each --


def _user(request):
    return getattr(request, "user", None)


def department_choices(capability: Capability):
    """The departments the requesting user holds `capability` on (staff: every one)."""

    def departments(request):
        user = _user(request)
        if user is None:
            return Department.objects.none()
        queryset = scope_choices(Department.objects.all(), user, capability)
        if is_unscoped(user, capability):
            queryset = queryset.annotate(customer_name=F("customer__name")).order_by(
                "customer__name", "name"
            )
        return queryset

    return departments


def customer_choices(capability: Capability):
    """Every customer, for staff; nothing for anyone else."""

    def customers(request):
        user = _user(request)
        if user is None:
            return Customer.objects.none()
        return scope_choices(Customer.objects.all(), user, capability)

    return customers


def product_group_choices(capability: Capability):
    def product_groups(request):
        user = _user(request)
        if user is None:
            return ProductGroup.objects.none()
        return scope_choices(ProductGroup.objects.all(), user, capability)

    return product_groups


# -- staff choose among every customer's rows by typing, not from thousands of options --------

#: What the search panel needs for `PanelAutocomplete`: the admin's select2, in the site's
#: language, and Unfold's start-up of `.unfold-filter-autocomplete` selects.
_MIN = "" if settings.DEBUG else ".min"  # as the admin's own scripts, so jQuery loads once
AUTOCOMPLETE_JS = [
    f"admin/js/vendor/jquery/jquery{_MIN}.js",
    f"admin/js/vendor/select2/select2.full{_MIN}.js",
    *(
        [f"admin/js/vendor/select2/i18n/{SELECT2_TRANSLATIONS[settings.LANGUAGE_CODE]}.js"]
        if settings.LANGUAGE_CODE in SELECT2_TRANSLATIONS
        else []
    ),
    "admin/js/jquery.init.js",
    "unfold/js/select2.init.js",
]
AUTOCOMPLETE_CSS = [f"admin/css/vendor/select2/select2{_MIN}.css", "admin/css/autocomplete.css"]


class PanelAutocomplete(AutocompleteSelect):
    """The admin's autocomplete select, started by Unfold's filter script, "All" when empty.

    Only the chosen row is rendered; the rest come from the admin's autocomplete view, which
    offers what the target admin's (scoped) queryset holds.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = str(ALL)
        return attrs

    def optgroups(self, name, value, attr=None):
        """Only values that can be an id are looked up: Django's own filters the table by
        whatever the address says (`?department=abc`), which the database refuses (500)."""
        field = self.field.remote_field.model._meta.pk
        valid = []
        for item in value:
            try:
                pk = field.to_python(item)
            except ValidationError:
                continue
            if not isinstance(pk, int) or abs(pk) <= MAX_BIGINT:
                valid.append(item)
        return super().optgroups(name, valid, attr)


def autocomplete_widget(model, field_name: str) -> PanelAutocomplete:
    """The autocomplete for a filter on `field_name` ("department__customer") of `model`."""
    *path, last = field_name.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return PanelAutocomplete(
        model._meta.get_field(last), admin.site, attrs={"class": "unfold-filter-autocomplete"}
    )


class StaffAutocompleteFilter(django_filters.ModelChoiceFilter):
    """A choice of related rows: a select for customer users, who have a few; an autocomplete
    for staff, who may choose among thousands (`PortalFilterSet` swaps the widget)."""

    def staff_widget(self, model) -> forms.Widget:
        return autocomplete_widget(model, self.field_name)


class DepartmentChoiceField(ModelChoiceField):
    def label_from_instance(self, department):
        """Staff pick among every customer's departments: name the customer too."""
        return name_with_customer(department.name, getattr(department, "customer_name", None))


class DepartmentFilter(StaffAutocompleteFilter):
    field_class = DepartmentChoiceField


def department_filter(*, capability: Capability, label, **kwargs) -> DepartmentFilter:
    return DepartmentFilter(
        queryset=department_choices(capability),
        label=label,
        empty_label=ALL,
        widget=select(),
        **kwargs,
    )


def model_choice_filter(*, queryset, label, **kwargs) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        queryset=queryset, label=label, empty_label=ALL, widget=select(), **kwargs
    )


def customer_filter(*, capability: Capability, field_name: str, label) -> StaffAutocompleteFilter:
    """Staff only (name it in `staff_only`): every customer, chosen by typing."""
    return StaffAutocompleteFilter(
        field_name=field_name,
        queryset=customer_choices(capability),
        label=label,
        empty_label=ALL,
        widget=select(),
    )
