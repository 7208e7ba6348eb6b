"""Lost updates on the admin's change forms: a form carries the version of the row it was
opened on and what it showed; a save after someone else's is refused with what they changed.

`VersionedFormMixin` goes on the form, `StaleEditAdminMixin` on its admin, whose `save_model`
hands `edit_version(form)` to the service (which calls `version_claim`)."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.formatting import format_date, format_datetime
from portal.services.versions import StaleEdit, version_claim

VERSION_FIELD = "edit_version"


def shown_value(instance: models.Model, name: str) -> str:
    """A field's current value as the page would show it: a choice by its label, a date as
    dd.mm.åååå, a related row by its name, nothing as "–"."""
    field: Any = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.choices and value not in (None, ""):
        value = getattr(instance, f"get_{name}_display")()
    if isinstance(field, models.ManyToManyField):
        value = ", ".join(str(item) for item in value.all())
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | float | int):
        return localize(value)
    return str(value)


class VersionedFormMixin(forms.Form):
    """For a ModelForm of a model with a `version`: a hidden `edit_version`, and each model
    field's value as shown (Django's hidden initial, `initial-<name>`), so that a save after
    someone else's names the fields they changed, with their values. Only the model's own
    fields are watched: never a write-only one (the national id) nor a password's hash.

    The form then shows their values in the fields only they changed, keeps the user's own
    changes, and carries the new version: checked and saved again, it goes through."""

    edit_version = forms.CharField(required=False, widget=forms.HiddenInput)
    #: How a field's current value is shown where `shown_value` does not say it as the page
    #: does (a mobile number as 912 34 567).
    value_formats: dict[str, Callable[[Any], str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or not self.versioned:
            del self.fields[VERSION_FIELD]
        else:
            self.fields[VERSION_FIELD].initial = self.instance.version
        if self.instance.pk is not None:
            for name in self._watched_fields():
                self.fields[name].show_hidden_initial = True

    @property
    def versioned(self) -> bool:
        """Has the row a `version`? Without one (Django's own User) a field that is not what
        the form showed is the sign; the admin then locks the row while it saves
        (`LockedWhileSavedMixin`), so that the check and the write are one step."""
        return hasattr(self.instance, "version")

    def _watched_fields(self) -> list[str]:
        model_fields = {field.name for field in self.instance._meta.get_fields()}
        return [
            name
            for name, field in self.fields.items()
            if name in model_fields  # not the national id: the form's own, write-only field
            and not field.disabled  # shown, never posted (a password's hash)
            and not isinstance(field.widget, forms.PasswordInput)
        ]

    def clean_edit_version(self) -> int | None:
        """A version the page never sent (none: an older page, or a script) is no check;
        one that is no number is a damaged page."""
        raw = (self.cleaned_data.get(VERSION_FIELD) or "").strip()
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 10:
            self.add_error(
                None, _("This page is damaged or out of date: open it again and redo your changes.")
            )
            return None
        return int(raw)

    def clean(self):
        cleaned = super().clean()
        # `instance` is the row as loaded for this very save
        if self.instance.pk is None:
            return cleaned
        if self.versioned:
            if cleaned.get(VERSION_FIELD) not in (None, self.instance.version):
                self.stale(self.instance)
        elif self._changed_since_opened():
            self.stale(self.instance)
        return cleaned

    def _changed_since_opened(self) -> list[str]:
        """The fields whose value now is not the one the form showed (as it posted it back)."""
        changed = []
        for name in self._watched_fields():
            bound = self[name]
            if not self._initial_posted(bound):
                continue
            seen = bound.field.hidden_widget().value_from_datadict(
                self.data, self.files, bound.html_initial_name
            )
            if bound.field.has_changed(self.get_initial_for_field(bound.field, name), seen):
                changed.append(name)
        return changed

    def _initial_posted(self, bound) -> bool:
        name = bound.html_initial_name
        return any(key == name or key.startswith(name + "_") for key in self.data)

    def stale(self, current: models.Model) -> None:
        """Say what changed since the form was opened, and show it: their value in each field
        only they changed, the user's own value where both did; the form now carries the
        current version."""
        data = self.data.copy()
        changed = self._changed_since_opened()
        for name in changed:
            bound = self[name]
            field = bound.field
            seen = field.hidden_widget().value_from_datadict(
                self.data, self.files, bound.html_initial_name
            )
            now = self.get_initial_for_field(field, name)
            own = field.has_changed(self._field_value(field, seen), bound.data)
            prepared = field.prepare_value(now)
            if not own:
                self._put(data, field.widget, bound.html_name, prepared)
            self._put(data, field.hidden_widget(), bound.html_initial_name, prepared)
            self.add_error(
                name,
                _("Changed by someone else after you opened the page; it is now: %(value)s.")
                % {"value": self._shown(current, name)},
            )
        if self.versioned:
            data[self.add_prefix(VERSION_FIELD)] = str(current.version)
        self.data = data
        names = ", ".join(str(capfirst(self.fields[name].label)) for name in changed)
        self.add_error(
            None,
            (
                _(
                    "Someone else saved this after you opened it, and nothing of yours is saved "
                    "yet. They changed: %(fields)s. Their values are in the form now, your own "
                    "changes are kept: check them and save again."
                )
                % {"fields": names}
            )
            if changed
            else _(
                "Someone else saved this after you opened it (details this form does not "
                "show), and nothing of yours is saved yet. Check the form and save again."
            ),
        )

    def _shown(self, current: models.Model, name: str) -> str:
        if name in self.value_formats:
            return self.value_formats[name](getattr(current, name)) or "–"
        return shown_value(current, name)

    @staticmethod
    def _field_value(field, raw):
        try:
            return field.to_python(raw)
        except forms.ValidationError:
            return raw

    @classmethod
    def _put(cls, data, widget, key: str, value) -> None:
        """Put `value` into `data` as `widget` would post it."""
        widget = getattr(widget, "widget", widget)  # the admin's related-object wrapper
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value) or []
            for suffix, part_widget, part in zip(
                widget.widgets_names, widget.widgets, parts, strict=False
            ):
                cls._put(data, part_widget, key + suffix, part)
        elif getattr(widget, "allow_multiple_selected", False) or isinstance(
            widget, forms.MultipleHiddenInput
        ):
            data.setlist(key, [str(item) for item in value or []])
        else:
            data[key] = widget.format_value(value) or ""


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    """The admin's default form, with the version: for admins with no form of their own."""


def edit_version(form) -> int | None:
    """The version the form was opened on (None: an add form, or a post without it)."""
    return form.cleaned_data.get(VERSION_FIELD)


class VersionFieldOffThePageMixin:
    """The form's `edit_version` goes in the page's head (the change form template), not
    among the fields of an admin that lists every field of its form."""

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]


class LockedWhileSavedMixin(VersionFieldOffThePageMixin):
    """For the admin of a model without a `version` (Django's own User): a save locks the row
    it loads, so that the form's check that nothing changed since it was opened and the
    write are one step (on PostgreSQL; SQLite has one writer at a time anyway)."""

    def get_object(self, request, object_id, from_field=None):
        if request.method != "POST" or not transaction.get_connection().in_atomic_block:
            return super().get_object(request, object_id, from_field)
        queryset = self.get_queryset(request).select_for_update()
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (queryset.model.DoesNotExist, ValidationError, ValueError):
            return None


class StaleEditAdminMixin(VersionFieldOffThePageMixin):
    """For the admin of a `VersionedFormMixin` form. The form refuses a save begun on an
    older version; the service's claim refuses one that raced past the form (both saved at
    once): the page is then asked again, and its form finds the newer version and says what
    changed. Admins with no service of their own claim the version in `save_model`."""

    change_form_template = "portal/admin/versioned_change_form.html"

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            pass
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            version_claim(obj, version=edit_version(form))
        super().save_model(request, obj, form, change)
