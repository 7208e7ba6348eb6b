"""The rows a preview read are kept with the upload, and the confirm plans from them instead of
reading the file a second time: the same result, half the reading."""

import datetime
from unittest import mock

import pytest

from imports.models import ImportUpload
from imports.parsing import read_rows
from imports.refusals import Limits
from imports.rows_kept import rows_dump, rows_load
from imports.uploads import upload_lines, upload_store
from portal.models import Employee
from tests.imports.conftest import many_rows
from tests.imports.make_files import xlsx
from tests.imports.test_views import CONFIRM, messages_of, testweb, token_of, upload

pytestmark = pytest.mark.django_db
__all__ = ["testweb"]  # the fixture, logged in

EVERY_KIND = [
    (1, ("Fornavn", "Fødselsdato", "Nr", "Timer", "Aktiv", "Tom", "Møtt")),
    (
        2,
        (
            "Åse",
            datetime.date(1985, 5, 17),
            42,
            7.5,
            True,
            None,
            datetime.datetime(2026, 12, 6, 8, 30),  # noqa: DTZ001 (a spreadsheet's naive time)
        ),
    ),
    (4, (datetime.time(8, 30), "", 0, -1.25, False, "=1+1", '{"date": "1999-01-01"}')),
]


def test_every_kind_of_cell_comes_back_as_it_was_read():
    assert rows_load(rows_dump(EVERY_KIND)) == EVERY_KIND


def test_the_empty_cells_that_end_a_row_are_not_kept():
    rows = [(1, ("Fornavn", None, "Etternavn", None, None)), (2, (None, None))]

    assert rows_load(rows_dump(rows)) == [(1, ("Fornavn", None, "Etternavn")), (2, ())]


def test_a_cell_of_another_kind_keeps_nothing_and_the_file_is_read_again(cast):
    rows = [(1, ("Fornavn",)), (2, (datetime.timedelta(hours=1),))]

    stored = upload_store(
        user=cast.testweb,
        customer=None,
        kind="employees",
        file_name="x.csv",
        content=b"x",
        lines=rows,
    )

    assert rows_dump(rows) == b""
    assert bytes(stored.lines) == b""
    assert upload_lines(stored) is None


def test_the_confirm_plans_from_the_kept_rows_without_reading_the_file(testweb):
    response = upload(testweb, "ansatte.csv", many_rows(3))
    assert upload_lines(ImportUpload.objects.get()) is not None

    with mock.patch("imports.employees.read_rows", side_effect=AssertionError("read again")):
        response = testweb.post(CONFIRM, {"token": token_of(response)}, follow=True)

    assert messages_of(response) == ["The import is saved. New: 3, updated: 0, unchanged: 0."]
    assert Employee.objects.filter(email__startswith="ansatt").count() == 3


def test_without_kept_rows_the_confirm_reads_the_file(testweb):
    response = upload(testweb, "ansatte.csv", many_rows(3))
    ImportUpload.objects.update(lines=b"")  # an upload stored before rows were kept

    response = testweb.post(CONFIRM, {"token": token_of(response)}, follow=True)

    assert Employee.objects.filter(email__startswith="ansatt").count() == 3


def test_a_workbook_row_is_as_wide_as_its_cells_not_padded_to_fifty():
    """openpyxl pads every row to the columns it is asked for; the rows the checks and the
    preview keep end at their last cell."""
    content = xlsx([["Fornavn", "Etternavn", "E-post"], ["Kari", "Nordmann"], ["Per"]])

    rows = list(read_rows(content, limits=Limits.from_settings()))

    assert rows == [
        (1, ("Fornavn", "Etternavn", "E-post")),
        (2, ("Kari", "Nordmann")),
        (3, ("Per",)),
    ]
