from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from imports.employees import employee_import_confirm, employee_import_preview

FILES = Path(__file__).resolve().parent / "files"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture(autouse=True)
def english():
    """The tests read the messages in English (the msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_en(client):
    """The test client with English chosen, as a user would with the language switch."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def preview(cast):
    """`preview("file.csv")`: the plan of a file for testweb (or `actor=`), nothing written."""

    def _preview(name, *, actor=None, customer=None, content=None, **kwargs):
        return employee_import_preview(
            actor=actor or cast.testweb,
            customer=customer or cast.testbedriften,
            content=read(name) if content is None else content,
            **kwargs,
        )

    return _preview


@pytest.fixture
def confirm(cast):
    def _confirm(name, *, actor=None, customer=None, content=None, **kwargs):
        return employee_import_confirm(
            actor=actor or cast.testweb,
            customer=customer or cast.testbedriften,
            content=read(name) if content is None else content,
            **kwargs,
        )

    return _confirm


def errors_of(plan) -> list[tuple]:
    """(row, column, value, message) of every error, for asserting."""
    return [(e.row, e.column, e.value, e.message) for e in plan.errors]


def created(plan) -> list[tuple]:
    """(row, names, e-mail, mobile, birth date, gender, department, national id) of every new
    employee, for asserting."""
    return [
        (r.row, r.first_name, r.last_name, r.email, r.mobile, r.birth_date, r.gender,
         r.department.name, r.national_id)
        for r in plan.creates
    ]  # fmt: skip


HEADERS = (
    "Fornavn",
    "Etternavn",
    "E-post",
    "Mobil",
    "Fødselsdato",
    "Kjønn",
    "Bedrift/avdeling",
    "Fødselsnummer",
    "Aktiv",
)


def csv_file(*rows, headers=HEADERS) -> bytes:
    """A semicolon CSV with the given rows (lists of cells, short rows padded)."""
    lines = [";".join(headers)]
    lines += [";".join(str(c) for c in [*row, *[""] * (len(headers) - len(row))]) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def many_rows(count: int, *, department="Bergen TEST", start=0) -> bytes:
    return csv_file(
        *(
            [f"Fornavn{i}", f"Etternavn{i}", f"ansatt{i}@testbedriften.no", f"9{i:07d}",
             "01.01.1980", "Mann", department]
            for i in range(start, start + count)
        )
    )  # fmt: skip
