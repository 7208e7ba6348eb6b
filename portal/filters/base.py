"""Where django-filter meets the admin: a FilterSet serving as one list filter.

`FilterSetListFilter` consumes the FilterSet's query parameters and narrows the changelist's
(already scoped) queryset with the FilterSet, so the rows listed, their count and an export of
the list are the same rows. Its form is the seed's search panel, shown above the results by the
admin's `list_before_template = SEARCH_PANEL_ABOVE_RESULTS`.
"""

import django_filters
from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django_filters.widgets import SuffixedMultiWidget

from permissions.capabilities import Capability
from permissions.scoping import is_unscoped

from .fields import AUTOCOMPLETE_CSS, AUTOCOMPLETE_JS, StaffAutocompleteFilter

SEARCH_PANEL_ABOVE_RESULTS = "portal/filters/above_results.html"


class SearchPanelForm(forms.Form):
    """The base form of every search panel: brings the date picker's and the autocomplete's
    scripts to the page (Unfold's ModelAdmin.media adds a list filter's `form_class.Media`)."""

    class Media:
        js = [*AUTOCOMPLETE_JS, "admin/js/calendar.js", "admin/js/admin/DateTimeShortcuts.js"]
        css = {"screen": AUTOCOMPLETE_CSS}


class PortalFilterSet(django_filters.FilterSet):
    """A search panel's FilterSet, built for the requesting user.

    `view_capability` is the capability the list is scoped by; choices come from
    `permissions.scoping` for it. Filters named in `staff_only` exist only for unscoped users,
    and unscoped users choose related rows by typing (`StaffAutocompleteFilter`).
    """

    view_capability: Capability
    staff_only: tuple[str, ...] = ()

    class Meta:
        form = SearchPanelForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not self.is_staff_view:
            for name in self.staff_only:
                self.filters.pop(name, None)
            return
        for filter_ in self.filters.values():
            if isinstance(filter_, StaffAutocompleteFilter):
                filter_.extra["widget"] = filter_.staff_widget(self._meta.model)

    @property
    def user(self):
        return getattr(self.request, "user", None) or AnonymousUser()

    @property
    def is_staff_view(self) -> bool:
        return is_unscoped(self.user, self.view_capability)


def widget_parameters(name: str, widget: forms.Widget) -> list[str]:
    """The query parameters a form field reads: one, or one per part of a multi-widget."""
    if isinstance(widget, SuffixedMultiWidget):  # django-filter's ranges: _after/_before, …
        return [widget.suffixed(name, suffix) for suffix in widget.suffixes]
    if isinstance(widget, forms.MultiWidget):
        return [name + suffix for suffix in widget.widgets_names]  # type: ignore[attr-defined]
    return [name]


def _as_lists(params) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list | tuple) else [value])
    return data


class FilterSetListFilter(admin.ListFilter):
    """A list filter made of a whole FilterSet (set `filterset_class` and `title`).

    The admin shows it as a search panel above the results (`list_before_template =
    SEARCH_PANEL_ABOVE_RESULTS`); Unfold's filter sheet shows nothing for it. Invalid input
    (a bad date, a department the user may not pick) lists no rows and says why in the panel.
    """

    filterset_class: type[PortalFilterSet]
    template = "portal/filters/list_filter.html"
    panel_template = "portal/filters/search_panel.html"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "filterset_class", None) is not None:
            # Unfold's ModelAdmin.media adds a list filter's `form_class.Media` to the page.
            cls.form_class = cls.filterset_class._meta.form

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.model_admin = model_admin
        self.filterset = self.filterset_class(_as_lists(params), request=request)
        self._parameters = [
            parameter
            for name, filter_ in self.filterset.filters.items()
            for parameter in widget_parameters(self.form.add_prefix(name), filter_.field.widget)
        ]
        for parameter in self._parameters:
            values = params.pop(parameter, None)
            values = values if isinstance(values, list | tuple) else [values]
            if any(value not in (None, "") for value in values):
                self.used_parameters[parameter] = values[-1]
        self.preserved_parameters = self._preserved(request)

    def _preserved(self, request) -> QueryDict:
        """The rest of the query (search, ordering, …): kept when the panel is submitted."""
        preserved = request.GET.copy()
        for parameter in (*self._parameters, PAGE_VAR, ERROR_FLAG):
            preserved.pop(parameter, None)
        return preserved

    @property
    def form(self) -> forms.Form:
        return self.filterset.form

    @property
    def clear_url(self) -> str:
        return f"?{self.preserved_parameters.urlencode()}"

    @property
    def hides_filter_sheet(self) -> bool:
        """Unfold's "Filters" button and sheet have nothing to show when this is the only filter."""
        return all(
            isinstance(item, type) and issubclass(item, FilterSetListFilter)
            for item in self.model_admin.get_list_filter(self.request)
        )

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self._parameters)

    def choices(self, changelist):
        yield {"form": self.form, "selected": bool(self.used_parameters)}

    def queryset(self, request, queryset):
        if not self.filterset.is_valid():
            return queryset.none()
        return self.filterset.filter_queryset(queryset)
