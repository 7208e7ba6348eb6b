"""Control characters in text: refused where text comes in, removed where it goes out.

An ESC or a BEL is invisible in a form, yet no .xlsx may hold it (openpyxl refuses the whole
workbook), an .ics may not either, and a CSV passes it on to whoever opens it. Forms and
services refuse it with a message that names the field (`validate_text`); every export cleans
what is already stored (`text_clean`), so one old row never breaks a file.

Tab and line breaks are text in a multi-line field (a description) and kept there.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = "\t\n\r"
# C0 controls, DEL and C1 controls. openpyxl refuses C0 but tab and line breaks; the others
# are never meant as text either.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_BUT_LINE_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _pattern(multiline: bool) -> re.Pattern:
    return CONTROL_CHARACTERS_BUT_LINE_BREAKS if multiline else CONTROL_CHARACTERS


def text_clean(value: str, *, multiline: bool = True) -> str:
    """`value` without its control characters (tab and line breaks kept when `multiline`)."""
    return _pattern(multiline).sub("", value)


def text_has_control_characters(value: str, *, multiline: bool = False) -> bool:
    return isinstance(value, str) and _pattern(multiline).search(value) is not None


def validate_text(value, *, multiline: bool = False) -> None:
    """Refuse text with a control character: a user never means one, and exports choke on it."""
    if text_has_control_characters(value, multiline=multiline):
        raise ValidationError(
            _(
                "The text holds an invisible control character (for instance from a copy "
                "and paste). Remove it and type the text again."
            ),
            code="control_character",
        )


def validate_single_line_text(value) -> None:
    validate_text(value, multiline=False)


def validate_multiline_text(value) -> None:
    validate_text(value, multiline=True)


def texts_validate(fields: dict[str, object], *, multiline: tuple[str, ...] = ()) -> None:
    """For services called without a form: refuse every text field holding a control
    character, each error under its field's name, before anything is written."""
    errors = {}
    for name, value in fields.items():
        try:
            validate_text(value, multiline=name in multiline)
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)


# -- forms: every text field refuses control characters -----------------------------------------


def text_field_guard(field: forms.Field) -> forms.Field:
    """Give a form's text field the rule (once): multi-line for a textarea, single-line
    otherwise. Passwords are left alone: they are never shown nor exported."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return field
    validator = (
        validate_multiline_text
        if isinstance(field.widget, forms.Textarea)
        else validate_single_line_text
    )
    if validator not in field.validators:
        field.validators.append(validator)
    return field


class TextGuardFormMixin:
    """A form whose every text field refuses control characters, with the field's error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            text_field_guard(field)
