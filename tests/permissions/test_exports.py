"""Spreadsheet exports hold the rows of the user's own list and nothing of anyone else's, even
when the export form is forged with another customer's ids."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Employee, Invoice, Order

from .helpers import customer_names, leaked, readable

CSV = "1"  # the export form's choice: 0 = xlsx, 1 = csv

LISTS = {
    "order": lambda customer: [
        str(n)
        for n in Order.objects.filter(department__customer=customer).values_list(
            "number", flat=True
        )
    ],
    # a spreadsheet has first and last name in two columns: the e-mail names the row
    "employee": lambda customer: list(
        Employee.objects.filter(department__customer=customer).values_list("email", flat=True)
    ),
    "invoice": lambda customer: list(
        Invoice.objects.filter(payer__customer=customer).values_list("number", flat=True)
    ),
}
OTHERS_ROWS = {
    "order": lambda customer: Order.objects.filter(department__customer=customer),
    "employee": lambda customer: Employee.objects.filter(department__customer=customer),
    "invoice": lambda customer: Invoice.objects.filter(payer__customer=customer),
}


def _export(client, model, **extra):
    return client.post(f"/portal/{model}/export/", {"resource": "0", "format": CSV, **extra})


@pytest.mark.parametrize("model", ["order", "employee", "invoice"])
@pytest.mark.parametrize(
    ("username", "own", "others"),
    [("testweb", "testbedriften", "eksempel"), ("annen", "eksempel", "testbedriften")],
)
def test_an_export_holds_the_users_own_rows_only(model, username, own, others, cast, world, login):
    """Given a demo customer user, when they export a list as CSV, then the file has every row
    of their own list and no name or number of the other customer."""
    client = login(username)
    assert client.get(f"/portal/{model}/export/").status_code == 200

    response = _export(client, model)

    assert response.status_code == 200
    assert "csv" in response["Content-Type"]
    text = readable(response)
    theirs = customer_names(getattr(cast, others)) + LISTS[model](getattr(cast, others))
    assert set(leaked(text, LISTS[model](getattr(cast, own)))) == set(
        LISTS[model](getattr(cast, own))
    )
    assert leaked(text, theirs) == []


@pytest.mark.parametrize("model", ["order", "employee", "invoice"])
def test_an_export_forged_with_another_customers_ids_is_empty_of_them(model, world, cast, login):
    """Given testweb, when the export form is posted with Eksempel Industri's ids as the
    selected rows, then the file has none of their rows, and no row at all."""
    client = login("testweb")
    their_ids = [str(pk) for pk in OTHERS_ROWS[model](cast.eksempel).values_list("pk", flat=True)]
    theirs = customer_names(cast.eksempel) + LISTS[model](cast.eksempel)

    response = _export(client, model, export_items=their_ids)

    assert response.status_code == 200
    assert "csv" in response["Content-Type"]
    text = readable(response)
    assert leaked(text, theirs) == []
    assert len(text.strip().splitlines()) == 1  # the header: the forged selection is empty


@pytest.mark.parametrize(
    ("member", "model"),
    [("finance", "employee"), ("orderer", "employee"), ("orderer", "invoice"), ("hr", "invoice")],
)
def test_no_export_without_the_capability(member, model, cast, world, client):
    client.force_login(getattr(cast, member))

    assert client.get(f"/portal/{model}/export/").status_code == 403
    assert _export(client, model).status_code == 403


@pytest.mark.parametrize(
    ("model", "label"), [("order", "number"), ("employee", "email"), ("invoice", "number")]
)
def test_an_export_of_selected_rows_has_those_rows_and_reads_no_other_ids(
    model, label, world, cast, login
):
    """Given testweb selecting two of their rows, when they export the selection, then the
    file has those two rows only, and the export never lists every id of the table."""
    client = login("testweb")
    own = OTHERS_ROWS[model](cast.testbedriften).order_by("pk")
    chosen, left_out = own[:2], own[2:]
    with CaptureQueriesContext(connection) as queries:
        response = _export(client, model, export_items=[str(row.pk) for row in chosen])

    assert response.status_code == 200
    text = readable(response)
    labels = [str(value) for value in own.values_list(label, flat=True)]
    assert leaked(text, labels) == [str(getattr(row, label)) for row in chosen]
    assert left_out.exists()
    table = f'FROM "portal_{model}"'
    assert [q["sql"] for q in queries if table in q["sql"] and "WHERE" not in q["sql"]] == []
