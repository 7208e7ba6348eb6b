import functools
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ORDER_VAR
from django.core.paginator import InvalidPage
from django.db import connections
from django.db.models import Q
from django.db.models.options import Options
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.admin import checkbox as unfold_checkbox
from unfold.views import ChangeList

from permissions.scoping import is_unscoped
from portal.filters.fields import MAX_BIGINT, MAX_SEARCH_WORDS
from portal.text import text_field_guard

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

#: Below this many rows a staff list over a whole table is counted exactly; above it, on
#: PostgreSQL, it shows the planner's estimate of the table (`pg_class.reltuples`): a COUNT over
#: half a million rows costs tens of milliseconds on every page load, the estimate nothing.
#: A filtered list, and every customer's list, is counted exactly.
ESTIMATE_ABOVE = 100_000


def table_rows(queryset) -> int:
    """The planner's idea of the size of the queryset's table (0 where there is none)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return max(row[0], 0) if row else 0


def is_whole_table(queryset) -> bool:
    query = queryset.query
    return not (query.where or query.distinct or query.combinator)


def rows_by_id(queryset, page):
    """The rows of `page` (a slice of `queryset`) in two queries: their ids first, sorted over
    the list's own table and what its ordering needs, then the rows with everything the page
    shows (related rows, annotations) for those ids alone. Sorting the whole list with every
    related row joined in costs hundreds of milliseconds on a big table; this, a few."""
    ids = page if isinstance(page, list) else list(page.values_list("pk", flat=True))
    return queryset.filter(pk__in=ids)  # the list's ordering, over its page's rows


class PortalChangeList(ChangeList):
    """Django's changelist, counting differently: once when no filter is on (Django counts the
    filtered rows and the whole list apart, the same rows twice), and a whole big table by
    estimate (`result_count_estimated` tells the template to say "about"). A page's rows are
    found by id first (`rows_by_id`)."""

    result_count_estimated = False

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        #: The list headings' sort markers (toggle, remove, priority): for a customer only
        #: once they sorted the list themselves; the list's own order needs no explaining.
        self.show_sort_markers = self._staff_view(request) or ORDER_VAR in self.params

    def _staff_view(self, request) -> bool:
        """Whether the user reads this list as staff, unscoped (the admin's `_is_staff_view`);
        a list without a customer capability is staff's alone."""
        capability = getattr(self.model_admin, "view_capability", None)
        return capability is None or is_unscoped(request.user, capability)

    def list_counts(self, request) -> tuple[int, int | None]:
        """(rows of the filtered list, rows of the whole list or None when not shown)."""
        may_estimate = self._staff_view(request)
        rows_in_table = table_rows(self.queryset) if may_estimate else 0
        big = rows_in_table >= ESTIMATE_ABOVE

        def count(queryset) -> int:
            return rows_in_table if big and is_whole_table(queryset) else queryset.count()

        result_count = self.count_results(count)
        self.result_count_estimated = big and is_whole_table(self.queryset)
        if not self.model_admin.show_full_result_count:
            return result_count, None
        filtered, root = self.queryset.query, self.root_queryset.query
        if filtered.where == root.where and filtered.distinct == root.distinct:
            return result_count, result_count
        return result_count, count(self.root_queryset)

    def count_results(self, count) -> int:
        """The rows of the filtered list, as `count(queryset)` counts them."""
        return count(self.queryset)

    def get_results(self, request):
        # Django 5.2's ChangeList.get_results (django/contrib/admin/views/main.py) with its
        # two counts taken from `list_counts` and the page's rows from `rows_by_id`. It has no
        # hook for either count, so the method is rewritten here rather than extended: what it
        # sets on the changelist is what Django's sets.
        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        result_count, full_result_count = self.list_counts(request)
        paginator.count = result_count  # Paginator.count is a cached property: no second COUNT
        can_show_all = result_count <= self.list_max_show_all
        multi_page = result_count > self.list_per_page

        if (self.show_all and can_show_all) or not multi_page:
            page = self.queryset._clone()
        else:
            try:
                page = self.page_rows(paginator, paginator.validate_number(self.page_num))
            except InvalidPage as error:
                raise IncorrectLookupParameters from error

        self.result_count = result_count
        self.show_full_result_count = self.model_admin.show_full_result_count
        self.show_admin_actions = not self.show_full_result_count or bool(full_result_count)
        self.full_result_count = full_result_count
        self.result_list = rows_by_id(self.queryset, page)
        self.can_show_all = can_show_all
        self.multi_page = multi_page
        self.paginator = paginator

    def page_rows(self, paginator, number: int):
        """The rows of page `number`: a queryset whose ids `rows_by_id` reads, or the ids."""
        return paginator.page(number).object_list


class HiddenUnlessPermittedMixin:
    """A user who may not view a model at all finds none of its rows: every object URL then
    answers as for an id that does not exist, so nothing is learnt from a status code."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.has_view_or_change_permission(request):
            return queryset.none()
        return queryset


class WrittenByThePortalMixin:
    """A log the portal writes and staff only read (sent mail, webhook deliveries): nobody adds,
    changes or deletes a row of it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlainMessagesMixin:
    """The admin's own messages as a person would write them: «Ansatt Anton Hansen er lagt
    til.» instead of Django's 'ansatt "…" ble lagt til.' with its hints about the buttons, and
    a row that is not there (or not the user's) told without its id or a guess that it was
    deleted. Every admin of the portal takes it, so the words are the same everywhere.

    `missing_text` says, in the model's own words, that a row is not found."""

    missing_text: "StrOrPromise | None" = None
    opts: Options

    def _said(self, obj) -> dict[str, str]:
        return {"name": str(capfirst(self.opts.verbose_name)), "obj": str(obj)}

    def _quietly(self, request, respond):
        """Django's response (its redirect after a save) without Django's message."""
        request._portal_quiet_admin = True
        try:
            return respond()
        finally:
            del request._portal_quiet_admin

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_portal_quiet_admin", False):
            return
        super().message_user(request, message, level, *args, **kwargs)  # type: ignore[misc]

    def response_add(self, request, obj, post_url_continue=None):
        parent = super()
        response = self._quietly(
            request,
            lambda: parent.response_add(request, obj, post_url_continue),  # type: ignore[misc]
        )
        if "_popup" not in request.POST:
            messages.success(request, _("%(name)s %(obj)s is added.") % self._said(obj))
        return response

    def response_change(self, request, obj):
        parent = super()
        response = self._quietly(request, lambda: parent.response_change(request, obj))  # type: ignore[misc]
        if "_popup" not in request.POST:
            messages.success(request, _("%(name)s %(obj)s is saved.") % self._said(obj))
        return response

    def response_delete(self, request, obj_display, obj_id):
        parent = super()
        response = self._quietly(
            request,
            lambda: parent.response_delete(request, obj_display, obj_id),  # type: ignore[misc]
        )
        if "_popup" not in request.POST:
            said = {"name": capfirst(self.opts.verbose_name), "obj": obj_display}
            messages.success(request, _("%(name)s %(obj)s is deleted.") % said)
        return response

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        text = self.missing_text or _(
            "What you asked for does not exist, or you do not have access to it."
        )
        messages.warning(request, text)
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))  # type: ignore[attr-defined]


PK_PLACEHOLDER = "__pk__"


def _row_checkbox() -> str:
    """Unfold's row checkbox as a `format_html` string: "{}" where the row's id goes."""
    return _row_checkbox_in(get_language())


@functools.cache
def _row_checkbox_in(language: str) -> str:  # its label ("Velg oppføring") is translated
    html = unfold_checkbox.render(helpers.ACTION_CHECKBOX_NAME, PK_PLACEHOLDER)
    return html.replace("{", "{{").replace("}", "}}").replace(PK_PLACEHOLDER, "{}")


class TextGuardAdminMixin:
    """Every text field the admin makes from a model field refuses control characters (an
    ESC pasted into a name broke every export of it); forms that declare their own text
    fields take `portal.text.TextGuardFormMixin`."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return text_field_guard(formfield) if formfield is not None else None


class PortalModelAdmin(
    PlainMessagesMixin, TextGuardAdminMixin, HiddenUnlessPermittedMixin, ModelAdmin
):
    """Defaults for every list of the portal."""

    #: Lists with a search panel (`list_before_template`) keep `search_fields` for
    #: autocomplete only, so the page has one search, not two.
    search_in_panel = False

    def get_search_fields(self, request):
        match = getattr(request, "resolver_match", None)
        if self.search_in_panel and not (match and match.url_name == "autocomplete"):
            return ()
        return super().get_search_fields(request)

    def get_changelist(self, request, **kwargs):
        return PortalChangeList

    #: What an object's page shows of its related rows: fetched with the object, however far
    #: it has come, instead of a query each.
    page_select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        change_page = f"{self.opts.app_label}_{self.opts.model_name}_change"
        if self.page_select_related and match and match.url_name == change_page:
            queryset = queryset.select_related(*self.page_select_related)
        return queryset

    list_per_page = 50
    #: Unfold 0.91's list template asks every row for `list_sections`, which nothing defines:
    #: each failed lookup costs the template engine a `dir()` of the model admin.
    list_sections = ()
    show_full_result_count = True
    compressed_fields = True
    warn_unsaved_form = True

    def action_checkbox(self, obj):
        """Unfold's checkbox of a row, rendered from its template once per list, not per row
        (half a millisecond a row): the same markup, with the row's id filled in."""
        return format_html(_row_checkbox(), obj.pk)

    action_checkbox.short_description = ModelAdmin.action_checkbox.short_description  # type: ignore[attr-defined]


class OrderNumberOrTextSearch:
    """The admin's search box, word by word: a number is an order number, any other word is
    looked for by `search_text(word)`. The admin's own search ORs every field, across joins,
    for every word, which no index can answer: a booking search by name over 400,000 bookings
    took over a second; looked up in the employee table's trigram indexes, a few milliseconds.

    Set `order_number_path` ("appointment__order__number") and define `search_text`.
    """

    order_number_path: str
    #: A number typed is the start of the order number rather than all of it (the order
    #: picker: staff type what they remember of it).
    order_number_prefix = False

    def search_text(self, word: str) -> Q:
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        for word in search_term.split()[:MAX_SEARCH_WORDS]:
            if word.isdigit() and self.order_number_prefix:
                queryset = queryset.filter(**{f"{self.order_number_path}__startswith": word})
            elif word.isdigit():
                number = int(word)
                if number > MAX_BIGINT:
                    return queryset.none(), False
                queryset = queryset.filter(**{self.order_number_path: number})
            else:
                queryset = queryset.filter(self.search_text(word))
        return queryset, False


class LabelledTabularInline(TabularInline):
    """A table of rows to edit whose inputs carry their column's name: in Unfold's (0.91)
    tabular inline the name is the column heading, which no input is tied to, so a screen
    reader announced "edit text" alone (axe-core: label)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name, field in formset.form.base_fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the related wrapper
            widget.attrs.setdefault("aria-label", field.label or name)
        return formset


class ReadOnlyInline(TabularInline):
    """Rows shown on a parent's page for whoever may see the parent; never edited there."""

    extra = 0
    can_delete = False
    hide_title = True
    #: What the table says when it has no rows: what is missing and what to do about it.
    empty_text: str | Promise | None = None
    template_after = "portal/admin/inline_empty.html"
    #: Paged (`?<prefix>-page=2`): an order with 300 appointments renders 10 of them, not a
    #: formset of 300 rows (over half a second of template rendering; each row costs ~3 ms).
    per_page: int | None = 10

    def has_view_permission(self, request, obj=None):
        return True  # the parent's page is reached only through its scoped admin

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
