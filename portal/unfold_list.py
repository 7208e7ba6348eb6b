"""Unfold's list rendering, worked out once per list instead of once per cell.

Unfold 0.91's `items_for_result` works out again, for every cell of every row, what does not
change while one list renders: every column's header (for the cell's `data-label`), whether the
column is a model field, a method of the admin or something else, its classes, whether it links
to the row, what an empty value shows. On a page of 50 rows and 9 columns that is 450 times, and
a column that is a method costs a `FieldDoesNotExist` raised and caught per cell.

Here each column is worked out once and kept on the changelist; a cell then only finds its value
and formats it with Unfold's own functions, into the same HTML as Unfold's (a test renders every
list both ways and compares them). A list with editable columns keeps Unfold's own rendering.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from operator import attrgetter
from typing import Any

from django.contrib.admin.templatetags.admin_list import (  # type: ignore[attr-defined]
    _coerce_field_name,  # what Unfold's cells are named by
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (  # type: ignore[attr-defined]
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,  # how `lookup_field` tells a field from the rest
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from unfold.templatetags import unfold_list
from unfold.utils import (
    display_for_dropdown,
    display_for_field,
    display_for_header,
    display_for_label,
    display_for_value,
)

_result_headers = unfold_list.result_headers
_items_for_result = unfold_list.items_for_result

LINK_CLASSES = " ".join(unfold_list.LINK_CLASSES)
DATE_OR_TIME = datetime.date | datetime.time
NOWRAP_FIELDS = models.DateField | models.TimeField | models.ForeignKey  # Unfold's


def result_headers_once(cl):
    headers = getattr(cl, "_portal_result_headers", None)
    if headers is None:
        headers = cl._portal_result_headers = list(_result_headers(cl))
    return iter(headers)


@dataclass(frozen=True)
class Column:
    """What every cell of one column of one list shares."""

    name: str
    classes: str  # Unfold's classes of the column's cells
    classes_nowrap: str  # and of a cell that must not wrap (a date or time)
    label: str  # the cell's data-label, escaped
    tag: str  # «th» for the cell that links to the row when it is the first, else «td»
    links: bool
    field: models.Field | None  # a model field shown as a field (not one Django made itself)
    value: Callable[[Any], Any] | None  # the cell's value from the row; None: Unfold's lookup
    attr: Any  # what `lookup_field` gives as the column's attribute, when it is the same for all
    empty: str
    nowrap: bool  # a date, time or foreign key field: never wrapped
    choices: dict | None  # a field's choices, when they can be looked up as a dict
    once_per_value: bool  # a label or a yes/no icon: rendered once per value
    rendered: dict = dataclass_field(default_factory=dict)  # those rendered, by value

    def cell(self, row, model_admin) -> tuple[Any, bool]:
        """The cell's content before escaping, and whether it must not wrap."""
        try:
            if self.value is None:
                field, attr, value = lookup_field(self.name, row, model_admin)
            else:
                field, attr, value = self.field, self.attr, self.value(row)
        except ObjectDoesNotExist:
            return model_admin.get_empty_value_display(), False
        if self.value is None:
            return _shown(
                row, self.name, field, attr, value, getattr(attr, "empty_value_display", self.empty)
            )
        if field is None:
            if self.once_per_value:
                return self.rendered_once(row, attr, value), isinstance(value, DATE_OR_TIME)
            return _shown_value(row, self.name, attr, value, self.empty)
        return _shown_field(value, field, self.empty, self.choices), self.nowrap

    def rendered_once(self, row, attr, value):
        """A label or a yes/no icon is a template rendered per cell: the same value gives the
        same HTML, so each value of the column is rendered once."""
        try:
            key = (type(value), value)
            return self.rendered[key]
        except KeyError:
            shown = self.rendered[key] = _shown_value(row, self.name, attr, value, self.empty)[0]
            return shown
        except TypeError:  # a value that is no key: rendered every time
            return _shown_value(row, self.name, attr, value, self.empty)[0]


def _shown(row, name, field, attr, value, empty) -> tuple[Any, bool]:
    """A cell as Unfold shows it, for a column whose kind is known only per row."""
    if field is None or field.auto_created:
        return _shown_value(row, name, attr, value, empty)
    return _shown_field(value, field, empty, None), isinstance(field, NOWRAP_FIELDS)


def _shown_field(value, field, empty, choices: dict | None):
    """A model field's cell: a related row as itself, a choice by its label (from the column's
    `choices` when it has them), anything else as Unfold formats the field."""
    if isinstance(field.remote_field, models.ManyToOneRel):
        return empty if value is None else value
    if choices is not None:
        try:
            return choices.get(value, empty)
        except TypeError:  # a value that cannot be looked up: Unfold's way
            pass
    return display_for_field(value, field, empty)


def _shown_value(row, name, attr, value, empty) -> tuple[Any, bool]:
    if label := getattr(attr, "label", False):
        shown = display_for_label(value, empty, label)
    elif getattr(attr, "dropdown", False):
        shown = display_for_dropdown(row, name, value, empty)
    elif getattr(attr, "header", False):
        shown = display_for_header(value, empty)
    else:
        shown = display_for_value(value, empty, getattr(attr, "boolean", False))
    return shown, isinstance(value, DATE_OR_TIME)


def _columns(cl) -> list[Column]:
    columns = getattr(cl, "_portal_columns", None)
    if columns is None:
        columns = cl._portal_columns = list(_work_out_columns(cl))
    return columns


def _work_out_columns(cl) -> Iterator[Column]:
    model_admin = cl.model_admin
    headers = list(result_headers_once(cl))
    empty = model_admin.get_empty_value_display()
    ordering_field = getattr(model_admin, "ordering_field", None)
    hide_ordering_field = getattr(model_admin, "hide_ordering_field", False)
    first = True
    for index, name in enumerate(cl.list_display):
        field, attr, value = _kind(cl, name)
        links = cl.list_display_links is not None and (
            (first and not cl.list_display_links) or name in cl.list_display_links
        )
        if links:
            tag, label, first = ("th" if first else "td"), headers[index]["text"], False
        else:
            tag, label = "td", (headers[index]["text"] if index else gettext("Select record"))
        shown_field = field if field is not None and not field.auto_created else None
        classes = [f"field-{_coerce_field_name(name, index)}", *unfold_list.ROW_CLASSES]
        if name == "action_checkbox" and shown_field is None:
            classes = list(unfold_list.CHECKBOX_CLASSES)
        choices = None
        if shown_field is not None and getattr(shown_field, "flatchoices", None):
            try:
                choices = dict(shown_field.flatchoices)
            except TypeError:  # choices that are lists: Unfold's way, per cell
                choices = None
        hidden = ["!hidden"] if not links and ordering_field == name and hide_ordering_field else []
        yield Column(
            name=name,
            classes=" ".join([*classes, *hidden]),
            classes_nowrap=" ".join([*classes, "nowrap", *hidden]),
            label=conditional_escape(label),
            tag=tag,
            links=links,
            field=shown_field,
            value=value,
            attr=attr if value is not None else None,
            empty=getattr(attr, "empty_value_display", empty) if value is not None else empty,
            nowrap=isinstance(shown_field, NOWRAP_FIELDS),
            choices=choices,
            once_per_value=value is not None
            and shown_field is None
            and bool(getattr(attr, "label", False) or getattr(attr, "boolean", False)),
        )


def _kind(cl, name) -> tuple[models.Field | None, Any, Callable[[Any], Any] | None]:
    """What `lookup_field` finds for the column, and how a row's value is read: (field,
    attribute, reader). A column that is neither a field nor a method has no reader: Unfold's
    lookup finds it row by row."""
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        if callable(name):
            return None, name, name
        if hasattr(cl.model_admin, name) and name != "__str__":
            method = getattr(cl.model_admin, name)
            return None, method, method
        return None, None, None
    return field, None, attrgetter(name)


def items_for_result(cl, result, form) -> Iterator[SafeString]:
    """The cells of one row, as Unfold's `items_for_result` renders them."""
    if form is not None:
        yield from _items_for_result(cl, result, form)
        return
    model_admin = cl.model_admin
    for column in _columns(cl):
        shown, nowrap = column.cell(result, model_admin)
        content = _link(cl, result, shown) if column.links else conditional_escape(shown)
        classes = column.classes_nowrap if nowrap else column.classes
        yield mark_safe(  # noqa: S308 (the content escaped above, the rest worked out once)
            f'<{column.tag} class="{classes}" data-label="{column.label}">{content}</{column.tag}>'
        )


def _link(cl, result, shown) -> SafeString:
    try:
        url = cl.url_for_result(result)
    except NoReverseMatch:
        return conditional_escape(shown)
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    opener = ""
    if cl.is_popup:
        opener = format_html(
            ' data-popup-opener="{}"',
            result.serializable_value(
                str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
            ),
        )
    return format_html('<a href="{}" class="{}" {}>{}</a>', url, LINK_CLASSES, opener, shown)


def install():
    unfold_list.result_headers = result_headers_once
    unfold_list.items_for_result = items_for_result
