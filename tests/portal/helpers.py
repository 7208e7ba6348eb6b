"""What the portal's tests share: the numbers the employee tests use and how to tell one has
leaked, and the text of a PDF."""

import io

from django.db import connection
from pypdf import PdfReader

from tests.permissions.helpers import customer_names

NUMBER = "13091850189"  # a valid fødselsnummer of Donald's birth date (13.09.2018)
# Another valid one, under the rule from 2032 (K1 leaves 1): its first digits need not be the
# birth date, so it fits any employee of the cast.
OTHER_NUMBER = "17058012335"
MASK = "***********"


def digit_runs(number: str, size: int = 6) -> list[str]:
    """Every run of `size` consecutive digits of the number (the birth part is the first)."""
    return [number[i : i + size] for i in range(len(number) - size + 1)]


def leaked_runs(text: str, number: str = NUMBER) -> list[str]:
    """The parts of the number found in `text`: the whole number, or any six digits of it in a
    row (its birth part ddmmåå among them). Empty when the text is safe."""
    return [run for run in [number, *digit_runs(number)] if run in text]


def raw_columns(employee) -> tuple[str, str, str]:
    """The national id columns as the database holds them, and the whole row as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_id_encrypted, national_id_digest FROM portal_employee WHERE id = %s",
            [employee.pk],
        )
        encrypted, digest = cursor.fetchone()
        cursor.execute("SELECT * FROM portal_employee WHERE id = %s", [employee.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    return encrypted, digest, row


def messages_of(response) -> list[str]:
    """The texts of the messages a page shows (after following a redirect)."""
    return [str(message) for message in response.context["messages"]]


def pdf_text(content: bytes) -> str:
    """The PDF's text, every run of white space (non-breaking ones too) as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assert_nothing_else_shown(response, cast):
    """No employee's name, none of the companies' data, no national id."""
    text = response.content.decode()
    names = customer_names(cast.testbedriften) + customer_names(cast.eksempel)
    assert [name for name in names if name in text] == []
    assert leaked_runs(text, NUMBER) == []
    assert leaked_runs(text, OTHER_NUMBER) == []
