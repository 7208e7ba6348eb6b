"""Exposures are kept by whoever may manage the employee, audited, and never hold health data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from imports.employees import employee_import_confirm
from permissions.capabilities import Capability
from permissions.policies import EXPOSURES
from portal.models import Exposure, ExposureType, Notification, Order
from portal.services.employees import employee_update
from portal.services.exposures import (
    exposure_create,
    exposure_delete,
    exposure_type_save,
    exposure_update,
    surveillance_orders_place,
)
from portal.services.versions import StaleEdit
from tests.imports.conftest import csv_file

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def noise(cast):
    return ExposureType.objects.create(
        name="Støy over 80 dB",
        product_group=cast.product_group,
        first_check_months=6,
        interval_months=36,
    )


def events(obj):
    return list(
        AuditEvent.objects.filter(
            content_type__model=obj._meta.model_name, object_id=str(obj.pk)
        ).order_by("pk")
    )


def test_hr_registers_an_exposure_and_the_trail_says_who_and_what(cast, noise):
    exposure = exposure_create(
        actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 3, 1),
        note="Platearbeid i hall 2",
    )  # fmt: skip

    [event] = events(exposure)
    assert event.actor == cast.hr
    assert event.action == "created"
    assert event.changes == {
        "exposure_type": [None, "Støy over 80 dB"],
        "starts_on": [None, "01.03.2026"],
        "note": [None, "Platearbeid i hall 2"],
    }
    assert event.object_repr == "Støy over 80 dB – Donald Duck"


@pytest.mark.parametrize("who", ["annen", "bergen_hr", "orderer", "viewer", "no_grant"])
def test_who_may_not_manage_the_employee_may_not_register_an_exposure(cast, noise, who):
    """Another customer, HR of another department, an orderer, a reader of employees."""
    with pytest.raises(PermissionDenied):
        exposure_create(
            actor=getattr(cast, who), employee=cast.donald, exposure_type=noise,
            starts_on=D(2026, 3, 1),
        )  # fmt: skip
    assert not Exposure.objects.exists()


def test_staff_and_department_hr_may(cast, noise):
    exposure_create(actor=cast.kam, employee=cast.ola, exposure_type=noise, starts_on=D(2026, 1, 1))
    exposure_create(
        actor=cast.bergen_hr, employee=cast.anton, exposure_type=noise, starts_on=D(2026, 1, 1)
    )
    assert Exposure.objects.count() == 2


@pytest.mark.parametrize(
    ("note", "words"),
    [
        ("Har diabetes, tåler ikke nattskift", ["helseopplysninger", "«diabetes»"]),
        ("Gjelder 311299 56715", ["fødselsnummer"]),
    ],
)
def test_a_note_with_health_data_is_refused_with_the_reason(cast, noise, note, words):
    with pytest.raises(ValidationError) as refused:
        exposure_create(
            actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 3, 1),
            note=note,
        )  # fmt: skip
    message = " ".join(refused.value.message_dict["note"])
    for word in words:
        assert word in message
    assert "Ikke skriv sensitive opplysninger her." in message
    assert "56715" not in message
    assert not Exposure.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="exposure").exists()


def test_an_exposure_cannot_end_before_it_starts_nor_use_a_retired_type(cast, noise):
    with pytest.raises(ValidationError) as refused:
        exposure_create(
            actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 3, 1),
            ends_on=D(2026, 2, 1),
        )  # fmt: skip
    assert "kan ikke slutte før" in " ".join(refused.value.message_dict["ends_on"])
    noise.is_active = False
    noise.save()
    with pytest.raises(ValidationError) as refused:
        exposure_create(
            actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 3, 1)
        )
    assert "exposure_type" in refused.value.message_dict
    assert not Exposure.objects.exists()


def test_ending_and_removing_an_exposure_are_audited(cast, noise):
    exposure = exposure_create(
        actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 3, 1)
    )
    exposure_update(actor=cast.testweb, exposure=exposure, ends_on=D(2026, 11, 30))
    with pytest.raises(StaleEdit):
        exposure_update(actor=cast.hr, exposure=exposure, version=0, note="Annen hall")

    pk = exposure.pk
    exposure_delete(actor=cast.kam, exposure=exposure)

    assert not Exposure.objects.filter(pk=pk).exists()
    trail = list(
        AuditEvent.objects.filter(content_type__model="exposure", object_id=str(pk)).order_by("pk")
    )
    assert [(e.action, e.actor) for e in trail] == [
        ("created", cast.hr),
        ("changed", cast.testweb),
        ("deleted", cast.kam),
    ]
    assert trail[1].changes == {"ends_on": [None, "30.11.2026"]}
    assert trail[2].changes["exposure_type"] == ["Støy over 80 dB", None]


def test_another_customer_may_not_remove_an_exposure(cast, noise):
    exposure = exposure_create(
        actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 3, 1)
    )
    with pytest.raises(PermissionDenied):
        exposure_delete(actor=cast.annen, exposure=exposure)
    assert Exposure.objects.filter(pk=exposure.pk).exists()


def test_a_change_of_an_exposure_type_is_audited(cast, noise):
    noise.interval_months = 24
    exposure_type_save(actor=cast.superuser, exposure_type=noise)
    [event] = events(noise)
    assert event.changes == {"interval_months": [36, 24]}


def test_ordering_checks_makes_one_order_per_department_and_check(cast, noise):
    """Donald and Dolly (Testbedriften AS) for noise and Anton (Bergen TEST) for solvents: a
    hearing check order for the main department naming the two, and one for Bergen. The
    KA/KAM is told of each, as of any order."""
    hearing = noise.product_group
    solvents = ExposureType.objects.create(
        name="Løsemidler", product_group=hearing, first_check_months=6, interval_months=36
    )
    chosen = [
        exposure_create(actor=cast.testweb, employee=e, exposure_type=k, starts_on=D(2024, 1, 1))
        for e, k in [(cast.donald, noise), (cast.dolly, noise), (cast.anton, solvents)]
    ]
    told_before = Notification.objects.filter(recipient=cast.kam).count()

    orders = surveillance_orders_place(actor=cast.testweb, exposures=chosen)

    assert [(o.department, o.product_group, o.status) for o in orders] == [
        (cast.tb_main, hearing, "awaiting_seller"),
        (cast.tb_bergen, hearing, "awaiting_seller"),
    ]
    assert orders[0].description == (
        "Helseovervåking (Støy over 80 dB) for Dolly Duck, Donald Duck."
    )
    assert orders[1].description == "Helseovervåking (Løsemidler) for Anton Duck."
    assert orders[0].contract == cast.tb_contract
    assert orders[0].submitted_by == cast.testweb
    assert Notification.objects.filter(recipient=cast.kam).count() == told_before + 2


def test_ordering_checks_for_a_department_one_may_not_order_for_orders_nothing(cast, noise):
    chosen = [
        exposure_create(actor=cast.kam, employee=e, exposure_type=noise, starts_on=D(2024, 1, 1))
        for e in (cast.anton, cast.donald)
    ]
    before = Order.objects.count()
    with pytest.raises(PermissionDenied):
        surveillance_orders_place(actor=cast.bergen, exposures=chosen)  # Bergen's admin
    with pytest.raises(PermissionDenied):
        surveillance_orders_place(actor=cast.hr, exposures=chosen)  # HR places no orders
    assert Order.objects.count() == before


def test_an_exposure_moves_with_its_employee_to_another_department(cast, noise):
    """The due list reads the department off the exposure: an employee moved by HR takes their
    exposures along, into what the new department's HR sees and out of the old one's."""
    dolly = cast.dolly
    if dolly.department_id != cast.tb_main.pk:
        dolly = employee_update(employee=dolly, actor=cast.testweb, department=cast.tb_main)
    exposure = exposure_create(
        actor=cast.testweb, employee=dolly, exposure_type=noise, starts_on=D(2026, 1, 5)
    )

    def bergen_sees():
        return exposure in EXPOSURES.instances_for(cast.bergen_hr, Capability.VIEW_EMPLOYEES)

    assert exposure.department_id == cast.tb_main.pk
    assert not bergen_sees()

    employee_update(employee=dolly, actor=cast.testweb, department=cast.tb_bergen)

    exposure.refresh_from_db()
    assert exposure.department_id == cast.tb_bergen.pk
    assert bergen_sees()


def test_an_exposure_moves_with_its_employee_in_an_import(cast, noise):
    dolly = cast.dolly
    exposure = exposure_create(
        actor=cast.testweb, employee=dolly, exposure_type=noise, starts_on=D(2026, 1, 5)
    )
    target = cast.tb_bergen if dolly.department_id != cast.tb_bergen.pk else cast.tb_main
    row = [dolly.first_name, dolly.last_name, dolly.email, "", "", "", target.name]

    content = csv_file(row)
    plan = employee_import_confirm(actor=cast.testweb, customer=cast.testbedriften, content=content)

    assert plan.ok, plan.errors

    exposure.refresh_from_db()
    dolly.refresh_from_db()
    assert (dolly.department_id, exposure.department_id) == (target.pk, target.pk)
