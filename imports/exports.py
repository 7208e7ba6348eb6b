"""Spreadsheet exports of what a list shows: the same scoped, filtered rows, safe to open."""

from django.utils.text import capfirst
from import_export import fields, resources, widgets

# What makes a spreadsheet read a cell as a formula (OWASP's list), and the full-width forms
# that some spreadsheet programs take for the same. import-export's own escaping strips only "=".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_formula(value):
    """Make a cell that a spreadsheet would run as a formula plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Column(fields.Field):
    """A read-only export column with a translated heading."""

    def __init__(self, heading, attribute=None, dehydrate_method=None, widget=None):
        super().__init__(
            attribute=attribute,
            column_name=heading,
            readonly=True,
            dehydrate_method=dehydrate_method,
            widget=widget,
        )


def field_heading(model, name):
    """A model field's verbose name as a heading ("invoice date" → "Fakturadato")."""
    return capfirst(model._meta.get_field(name).verbose_name)


def date_column(heading, attribute):
    """A date: a real date cell in .xlsx, dd.mm.åååå in .csv."""
    return Column(heading, attribute, widget=widgets.DateWidget(format="%d.%m.%Y"))


class SafeExportResource(resources.ModelResource):
    """Every exported text cell is escaped; the headings are translated at export time.
    `progress(rows)` hears of each row exported (an export run as a job)."""

    def __init__(self, progress=None, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress
        self.exported = 0

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        if self.progress is not None:
            self.exported += 1
            self.progress(self.exported)
        return row

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, selected_fields=None):
        return [str(field.column_name) for field in self.get_export_fields(selected_fields)]
