"""The employee import's «Eksponering» column: exposure types by name, registered from the day
of the import, each audited; one already registered is not added again; an unknown name is an
error on its row and column, and nothing is written."""

import datetime

import pytest
import time_machine

from audit.models import AuditEvent
from imports.admin_mixins import _change_texts
from portal.models import Employee, Exposure, ExposureType
from portal.services.exposures import exposure_create
from tests.imports.conftest import HEADERS, csv_file, errors_of

pytestmark = pytest.mark.django_db
WITH_EXPOSURES = (*HEADERS, "Eksponering")
NOW = datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC)


@pytest.fixture
def kinds(cast):
    return {
        name: ExposureType.objects.create(
            name=name, product_group=cast.product_group, first_check_months=6, interval_months=36
        )
        for name in ("Støy over 80 dB", "Nattarbeid", "Vibrasjon")
    }


def row(first, last, email, exposures, department="Testbedriften AS"):
    return [first, last, email, "", "", "", department, "", "", exposures]


@time_machine.travel(NOW, tick=False)
def test_a_new_employee_gets_the_exposures_named_from_the_day_of_the_import(confirm, cast, kinds):
    content = csv_file(
        row("Kari", "Nordby", "kari.nordby@example.no", "støy over 80 dB, Nattarbeid"),
        headers=WITH_EXPOSURES,
    )

    plan = confirm("", content=content)

    assert plan.ok, errors_of(plan)
    kari = Employee.objects.get(email="kari.nordby@example.no")
    exposures = Exposure.objects.filter(employee=kari).order_by("exposure_type__name")
    assert [(e.exposure_type.name, e.starts_on, e.created_by) for e in exposures] == [
        ("Nattarbeid", datetime.date(2026, 12, 6), cast.testweb),
        ("Støy over 80 dB", datetime.date(2026, 12, 6), cast.testweb),
    ]
    events = AuditEvent.objects.filter(content_type__model="exposure", action="created")
    assert sorted(e.object_repr for e in events) == [
        "Nattarbeid – Kari Nordby",
        "Støy over 80 dB – Kari Nordby",
    ]


@time_machine.travel(NOW, tick=False)
def test_an_exposure_already_registered_is_kept_and_only_the_new_one_added(
    preview, confirm, cast, kinds
):
    registered = exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=kinds["Støy over 80 dB"],
        starts_on=datetime.date(2024, 1, 1),
    )  # fmt: skip
    content = csv_file(
        row("Donald", "Duck", cast.donald.email, "Støy over 80 dB, Vibrasjon"),
        headers=WITH_EXPOSURES,
    )

    shown = preview("", content=content)
    assert [_change_texts(r) for r in shown.updates] == [["Exposures added: Vibrasjon"]]
    assert confirm("", content=content).ok

    exposures = Exposure.objects.filter(employee=cast.donald)
    assert sorted((e.exposure_type.name, e.starts_on) for e in exposures) == [
        ("Støy over 80 dB", datetime.date(2024, 1, 1)),
        ("Vibrasjon", datetime.date(2026, 12, 6)),
    ]
    registered.refresh_from_db()
    assert registered.version == 0  # the registered one untouched
    again = confirm("", content=content)
    assert again.unchanged == 1
    assert Exposure.objects.filter(employee=cast.donald).count() == 2


def test_an_unknown_exposure_is_an_error_on_its_row_and_nothing_is_written(confirm, cast, kinds):
    content = csv_file(
        row("Kari", "Nordby", "kari.nordby@example.no", "Nattarbeid"),
        row("Per", "Hansen", "per.hansen@example.no", "Støy, Diabetes"),
        headers=WITH_EXPOSURES,
    )

    plan = confirm("", content=content)

    assert errors_of(plan) == [
        (
            3,
            "Eksponering",
            "Støy, Diabetes",
            "“Støy” is not an exposure type. Write one of: Nattarbeid, Støy over 80 dB, Vibrasjon.",
        )
    ]
    assert not Employee.objects.filter(email__in=["kari.nordby@example.no"]).exists()
    assert not Exposure.objects.exists()


def test_without_the_column_no_exposure_is_read_or_written(confirm, cast, kinds):
    assert confirm("", content=csv_file(row("Kari", "Nordby", "k@example.no", "")[:9])).ok
    assert not Exposure.objects.exists()
