"""The confirm: checked again against the database as it is now, then every row or none."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from imports import employees as import_module
from portal import services
from portal.models import Employee
from portal.services import employees as employee_services
from tests.factories import EmployeeFactory
from tests.imports.conftest import csv_file, many_rows
from tests.imports.nid import KARI, national_id

pytestmark = pytest.mark.django_db


def snapshot(customer):
    return sorted(
        Employee.objects.filter(customer=customer).values_list(
            "pk", "email", "mobile", "department_id", "is_active", "national_id_digest"
        )
    )


def test_a_file_with_errors_writes_nothing(confirm, cast):
    before = snapshot(cast.testbedriften)
    plan = confirm("bad_rows.xlsx")
    assert not plan.ok
    assert [r.row for r in plan.creates] == [2]
    assert snapshot(cast.testbedriften) == before


def test_a_failure_on_the_last_row_at_confirm_leaves_the_database_as_it_was(preview, confirm, cast):
    """The preview was clean; then a colleague registers the last row's address in a
    department the importer does not manage. The confirm finds it and writes nothing."""
    content = many_rows(30)
    assert preview("", content=content, actor=cast.bergen_hr).ok
    EmployeeFactory(department=cast.tb_main, email="ansatt29@testbedriften.no")
    before = snapshot(cast.testbedriften)

    plan = confirm("", content=content, actor=cast.bergen_hr)

    assert not plan.ok
    assert [(e.row, e.column) for e in plan.errors] == [(31, "E-post")]
    assert snapshot(cast.testbedriften) == before


def test_a_database_refusal_in_the_last_batch_rolls_back_every_batch(confirm, cast, monkeypatch):
    """Written in batches of 5; before writing, someone else takes the last row's address.
    The database refuses the last batch, and the first five are undone with it."""
    monkeypatch.setattr(employee_services, "IMPORT_BATCH_SIZE", 5)
    original = employee_services.employees_import_write

    def meanwhile(**kwargs):
        EmployeeFactory(department=cast.tb_bergen, email="ANSATT19@testbedriften.no")
        original(**kwargs)

    monkeypatch.setattr(import_module, "employees_import_write", meanwhile)
    before = snapshot(cast.testbedriften)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="Nothing has been imported"):
        confirm("", content=many_rows(20))

    assert snapshot(cast.testbedriften) == before
    assert AuditEvent.objects.count() == events


def test_an_employee_gone_before_the_write_is_not_brought_back(confirm, cast, monkeypatch):
    """The updates are written as an upsert on the primary key: an employee of the plan that
    is deleted before the write must not be inserted again. The confirm refuses and writes
    nothing (the deletion, made inside the confirm's transaction here, is undone with it)."""
    content = many_rows(20)
    assert confirm("", content=content).ok
    gone = Employee.objects.get(email="ansatt7@testbedriften.no")
    original = employee_services.employees_import_write

    def meanwhile(**kwargs):
        Employee.objects.filter(pk=gone.pk).delete()
        original(**kwargs)

    monkeypatch.setattr(import_module, "employees_import_write", meanwhile)
    before = snapshot(cast.testbedriften)

    with pytest.raises(ValidationError, match="Nothing has been imported"):
        confirm("", content=_changed(content))

    assert snapshot(cast.testbedriften) == before


def test_a_refusal_by_a_service_rolls_back_too(confirm, cast, monkeypatch):
    def refuse(*, employee, actor):
        raise ValidationError("refused")

    monkeypatch.setattr(employee_services, "employee_deactivate", refuse)
    before = snapshot(cast.testbedriften)
    with pytest.raises(ValidationError):
        confirm("aktiv.csv")  # updates Dolly, then deactivating Donald is refused
    assert snapshot(cast.testbedriften) == before


def test_each_written_employee_has_an_audit_event_without_the_number(confirm, cast):
    assert confirm("template_filled.xlsx").ok
    kari = Employee.objects.get(email="kari.hansen@testbedriften.no")
    assert kari.customer == cast.testbedriften
    assert kari.reveal_national_id() == KARI
    [event] = AuditEvent.objects.filter(object_id=str(kari.pk), content_type__model="employee")
    assert event.action == "imported"
    assert event.actor == cast.testweb
    assert event.changes["email"] == [None, "kari.hansen@testbedriften.no"]
    assert event.changes["national_id"] == [None, "changed"]
    assert KARI not in str(event.changes)

    content = csv_file(["Kari", "Hansen", "kari.hansen@testbedriften.no", "98765432"])
    assert confirm("", content=content).ok
    latest = AuditEvent.objects.filter(object_id=str(kari.pk)).order_by("-pk").first()
    assert latest.changes == {"mobile": ["91234567", "98765432"]}


def _queries(confirm, content) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert confirm("", content=content).ok
    return len(queries)


def _changed(content: bytes) -> bytes:
    return content.replace(b";01.01.1980;", b";02.01.1980;")


@pytest.fixture
def batches_of_10(confirm, monkeypatch):
    """Batches small enough that no database splits an INSERT further; the user's access and
    the content type already looked up, as after the first request."""
    monkeypatch.setattr(employee_services, "IMPORT_BATCH_SIZE", 10)
    confirm("", content=many_rows(1, start=999))


def test_new_rows_cost_two_queries_per_batch_and_none_per_row(confirm, batches_of_10):
    one_batch = _queries(confirm, many_rows(10))
    five_batches = _queries(confirm, many_rows(50, start=10))
    assert five_batches - one_batch == 4 * 2  # per batch: employees, audit events


def test_updates_cost_three_queries_per_batch_and_none_per_row(confirm, batches_of_10, cast):
    confirm("", content=many_rows(60))
    one_batch = _queries(confirm, _changed(many_rows(10)))
    five_batches = _queries(confirm, _changed(many_rows(50, start=10)))
    # per batch: the time and version of all, the changed field of all, the audit events
    assert five_batches - one_batch == 4 * 3


def test_previews_cost_the_same_queries_for_10_and_500_rows(preview, cast):
    def count(content):
        with CaptureQueriesContext(connection) as queries:
            assert preview("", content=content).ok
        return len(queries)

    count(many_rows(1))
    assert count(many_rows(10)) == count(many_rows(500)) <= 3


def test_updates_are_written_many_rows_per_statement(confirm, cast):
    """The changed field (the birth date) is set by an upsert of many rows a statement, and one
    UPDATE moves the time and version of all 500 on; no other column is written."""
    confirm("", content=many_rows(500))
    with CaptureQueriesContext(connection) as queries:
        assert confirm("", content=_changed(many_rows(500))).ok
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    upserts = [q["sql"] for q in queries if "ON CONFLICT" in q["sql"]]
    assert len(updates) == 1
    assert '"version"' in updates[0]
    assert 1 <= len(upserts) <= 10
    assert {sql.split("DO UPDATE SET")[1].split("RETURNING")[0].strip() for sql in upserts} == {
        '"birth_date" = EXCLUDED."birth_date"'
    }
    assert Employee.objects.get(email="ansatt7@testbedriften.no").birth_date.day == 2


def test_the_audit_of_new_employees_is_what_employee_create_records(confirm, cast):
    """Written by the database (one INSERT … SELECT): the same changes the Python path and
    `employee_create` record, field by field."""
    plan = confirm("template_filled.xlsx")
    assert plan.ok
    content = csv_file(["Uten", "Noe", "uten.noe@testbedriften.no", "", "", "", "Bergen TEST"])
    plan_without = confirm("", content=content)
    for row in [*plan.creates, *plan_without.creates]:
        event = AuditEvent.objects.get(object_id=str(row.pk), content_type__model="employee")
        assert event.changes == row.creation_changes()
        assert event.object_repr == row.full_name
    assert plan_without.creates[0].creation_changes()["mobile"] == [None, None]

    # the same person added through the service: the same changes but for the address
    imported = Employee.objects.get(email="kari.hansen@testbedriften.no")
    created = services.employee_create(
        actor=cast.testweb,
        department=cast.tb_bergen,
        national_id="",
        first_name="Kari",
        last_name="Hansen",
        email="kari.hansen2@testbedriften.no",
        mobile="91234567",
        birth_date=datetime.date(1990, 12, 13),
        gender="female",
    )
    by_import = AuditEvent.objects.get(object_id=str(imported.pk)).changes
    by_service = AuditEvent.objects.get(object_id=str(created.pk)).changes
    assert by_import.pop("national_id") == [None, "changed"]
    by_import.pop("email"), by_service.pop("email")
    assert by_import == by_service


def test_updates_write_the_fields_a_new_number_and_keep_the_stored_one(confirm, cast):
    """The fields, a new number, and the stored number kept where the row brings none."""
    assert confirm("template_filled.xlsx").ok
    dolly_number = national_id(2, 4, 1985)
    content = csv_file(
        ["Kari", "Hansen", "kari.hansen@testbedriften.no", "98765432", "", "", "Testbedriften AS"],
        ["Dolly", "Duck", "dolly@testikkeibruk.no", "", "02.04.1985", "", "", dolly_number],
    )

    plan = confirm("", content=content)

    assert plan.ok
    assert len(plan.changed) == 2
    kari = Employee.objects.get(email="kari.hansen@testbedriften.no")
    assert (kari.mobile, kari.department, kari.reveal_national_id()) == (
        "98765432",
        cast.tb_main,
        KARI,
    )
    dolly = Employee.objects.get(email="dolly@testikkeibruk.no")
    assert (dolly.mobile, dolly.birth_date, dolly.reveal_national_id()) == (
        "23456789",
        datetime.date(1985, 4, 2),
        dolly_number,
    )
