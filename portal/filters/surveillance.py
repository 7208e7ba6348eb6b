"""The search panel of the due list («Helseovervåking»)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from portal.models import ExposureType, SurveillanceDue
from portal.selectors.surveillance import status_conditions
from portal.surveillance import DueStatus

from .base import FilterSetListFilter, PortalFilterSet
from .fields import choice_filter, department_filter, model_choice_filter, text_input

CAPABILITY = Capability.VIEW_EMPLOYEES
MAX_SEARCH_WORDS = 5


def list_today(request) -> datetime.date:
    """The day the due list is worked out for, one for the whole request: the filter, the
    rows' statuses and the page's order agree even across midnight."""
    if request is None:
        return timezone.localdate()
    if not hasattr(request, "_portal_list_today"):
        request._portal_list_today = timezone.localdate()
    return request._portal_list_today


class SurveillanceFilterSet(PortalFilterSet):
    view_capability = CAPABILITY

    text = django_filters.CharFilter(
        method="filter_text",
        label=_("Name"),
        widget=text_input(placeholder=_("The employee's name"), autocomplete="off"),
    )
    department = department_filter(
        capability=CAPABILITY, label=_("Company/department"), field_name="department"
    )
    exposure_type = model_choice_filter(queryset=ExposureType.objects.all(), label=_("Exposure"))
    status = choice_filter(choices=DueStatus.choices, label=_("Status"), method="filter_status")

    class Meta(PortalFilterSet.Meta):
        model = SurveillanceDue
        fields = ()

    def filter_status(self, queryset, name, value):
        """On the stored due day (`status_conditions`), not the list's status CASE: the
        overdue are then read from the due day's index."""
        return queryset.filter(status_conditions(list_today(self.request))[DueStatus(value)])

    def filter_text(self, queryset, name, value):
        for term in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(
                Q(employee__first_name__icontains=term) | Q(employee__last_name__icontains=term)
            )
        return queryset


class SurveillanceSearch(FilterSetListFilter):
    title = _("Find employees")
    filterset_class = SurveillanceFilterSet
