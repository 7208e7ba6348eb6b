"""The exposure form, the employee's exposures and the due list («Helseovervåking») as a
customer's HR uses them."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from portal.admin.exposures import SurveillanceDueAdmin
from portal.filters.surveillance import list_today
from portal.models import Exposure, ExposureType, Order
from portal.services.employees import employee_deactivate
from portal.services.exposures import exposure_create
from tests.factories import EmployeeFactory
from tests.permissions.helpers import staff_form_data

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def noise(cast):
    return ExposureType.objects.create(
        name="Støy over 80 dB", product_group=cast.product_group, first_check_months=6,
        interval_months=36,
    )  # fmt: skip


def _add_data(cast, noise, **changes):
    data = staff_form_data("/portal/exposure/add/")
    data.update(employee=str(cast.donald.pk), exposure_type=str(noise.pk), starts_on="01.02.2026")
    data.update(changes)
    return data


def test_a_note_about_health_is_refused_on_the_form_and_nothing_is_saved(cast, login, noise):
    client = login(cast.testweb)
    response = client.post("/portal/exposure/add/", _add_data(cast, noise, note="Er gravid"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Teksten ser ut til å inneholde helseopplysninger («gravid»)" in text
    assert not Exposure.objects.exists()


def test_an_end_before_the_start_is_refused_on_its_field(cast, login, noise):
    client = login(cast.testweb)
    data = _add_data(cast, noise, ends_on="01.01.2026")
    response = client.post("/portal/exposure/add/", data)

    assert response.context["adminform"].form.errors["ends_on"] == [
        "Eksponeringen kan ikke slutte før den starter."
    ]
    assert not Exposure.objects.exists()


def test_the_employees_page_lists_the_exposures_and_offers_to_add_one(cast, login, noise):
    exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 1, 5),
        note="Hall 2",
    )  # fmt: skip
    text = login(cast.testweb).get(f"/portal/employee/{cast.donald.pk}/change/").content.decode()

    assert "Eksponeringer" in text
    assert "Støy over 80 dB" in text
    assert "05.01.2026" in text
    assert f"/portal/employee/{cast.donald.pk}/add-exposure/" in text


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_the_due_list_filters_by_status_and_says_when_each_is_due(cast, login, noise):
    for employee, starts_on in [(cast.donald, D(2024, 1, 1)), (cast.anton, D(2026, 11, 1))]:
        exposure_create(
            actor=cast.testweb, employee=employee, exposure_type=noise, starts_on=starts_on
        )
    client = login(cast.testweb)

    everyone = client.get("/portal/surveillancedue/").content.decode()
    overdue = client.get("/portal/surveillancedue/?status=overdue").content.decode()

    assert "Donald Duck" in everyone
    assert "Anton Duck" in everyone
    assert "01.07.2024" in everyone  # Donald's first check was due then
    assert "01.05.2027" in everyone  # Anton's is due then
    assert "Forfalt" in everyone
    assert "Ikke undersøkt" in everyone
    assert "Donald Duck" in overdue
    assert "Anton Duck" not in overdue


def test_order_a_check_from_the_due_list_opens_the_new_order(cast, login, noise):
    exposure = exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2024, 1, 1)
    )
    client = login(cast.testweb)

    response = client.post(
        "/portal/surveillancedue/",
        {"action": "order_checks", "_selected_action": [str(exposure.pk)], "index": "0"},
        follow=True,
    )

    order = Order.objects.get(description__contains="Donald Duck")
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    text = response.content.decode()
    assert f"Bestilling {order.number} er sendt." in text
    assert "Helseovervåking (Støy over 80 dB) for Donald Duck." in text


def test_hr_without_ordering_is_not_offered_to_order_a_check(cast, login, noise):
    exposure_create(
        actor=cast.hr, employee=cast.donald, exposure_type=noise, starts_on=D(2024, 1, 1)
    )
    text = login(cast.hr).get("/portal/surveillancedue/").content.decode()
    assert "Donald Duck" in text
    assert "order_checks" not in text


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_the_due_list_exports_the_users_own_rows_without_the_notes(cast, login, noise):
    for actor, employee in [(cast.testweb, cast.donald), (cast.annen, cast.ola)]:
        exposure_create(
            actor=actor, employee=employee, exposure_type=noise, starts_on=D(2024, 1, 1),
            note=f"Hall {employee.first_name}",
        )  # fmt: skip
    client = login(cast.testweb)
    assert client.get("/portal/surveillancedue/export/").status_code == 200

    response = client.post("/portal/surveillancedue/export/", {"resource": "0", "format": "1"})

    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        '"Fornavn";"Etternavn";"Bedrift/avdeling";"Eksponering";"Fra";"Til";'
        '"Siste kontroll";"Neste frist";"Status";"Booket"'
    )
    assert lines[1:] == [
        '"Donald";"Duck";"Testbedriften AS";"Støy over 80 dB";"01.01.2024";"";"";'
        '"01.07.2024";"Forfalt";""'
    ]
    assert "Hall" not in response.content.decode("utf-8-sig")


def test_who_may_not_see_employees_may_not_export_the_due_list(cast, login):
    assert login(cast.orderer).get("/portal/surveillancedue/export/").status_code == 403


def test_staff_removing_an_exposure_in_the_admin_is_audited(cast, login, noise):
    exposure = exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2026, 1, 5)
    )
    client = login(cast.kam)

    client.post(f"/portal/exposure/{exposure.pk}/delete/", {"post": "yes"})

    assert not Exposure.objects.filter(pk=exposure.pk).exists()
    [event] = AuditEvent.objects.filter(
        content_type__model="exposure", object_id=str(exposure.pk), action="deleted"
    )
    assert event.actor == cast.kam


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_the_due_list_explains_its_exposures_to_the_customer(cast, login, noise):
    """Each exposure on the page explained under the list (a phone has no hover) and on its
    name: what it is and when its checks are due; an exposure not on the list is not."""
    noise.explanation = "Daglig støy over 80 dB(A) krever hørselskontroll."
    noise.save(update_fields=["explanation"])
    night = ExposureType.objects.create(
        name="Nattarbeid", product_group=cast.product_group, first_check_months=1,
        interval_months=None, explanation="Nattarbeidere skal tilbys helsekontroll.",
    )  # fmt: skip
    ExposureType.objects.create(
        name="Dykking", product_group=cast.product_group, first_check_months=1,
        interval_months=12, explanation="Dykkere skal ha gyldig helseerklæring.",
    )  # fmt: skip
    exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2024, 1, 1)
    )
    exposure_create(
        actor=cast.testweb, employee=cast.anton, exposure_type=night, starts_on=D(2026, 1, 1)
    )

    text = login(cast.testweb).get("/portal/surveillancedue/").content.decode()

    legend = text[text.index('data-testid="exposure-legend"') :]
    assert "Om eksponeringene i listen" in legend
    assert "Daglig støy over 80 dB(A) krever hørselskontroll." in legend
    assert "Første kontroll innen 6 måneder, deretter hver 36. måned." in legend
    assert "Nattarbeidere skal tilbys helsekontroll." in legend
    assert "Første kontroll innen 1 måned; kontrollen er et tilbud, ikke et krav." in legend
    assert "Dykking" not in legend  # (the filter offers it; the legend is of the rows)
    assert 'title="Daglig støy over 80 dB(A) krever hørselskontroll."' in text


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_the_due_lists_footer_counts_exposures_in_norwegian(cast, login, noise):
    client = login(cast.testweb)
    exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2024, 1, 1)
    )

    one = " ".join(client.get("/portal/surveillancedue/").content.decode().split())
    exposure_create(
        actor=cast.testweb, employee=cast.anton, exposure_type=noise, starts_on=D(2024, 1, 1)
    )
    two = " ".join(client.get("/portal/surveillancedue/").content.decode().split())

    assert "1 eksponering under helseovervåking" in one
    assert "2 eksponeringer under helseovervåking" in two
    assert "2 helseovervåking" not in two


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("who", ["testweb", "kam"])
def test_the_due_lists_pages_are_the_most_urgent_first_the_longest_overdue_first(
    cast, login, noise, monkeypatch, who
):
    """Page after page (three rows each), the rows are the whole list in its order: by status
    from overdue to in order, within one the earliest due first, then by name; the offered
    check without a due day last among the not examined (who left is not listed)."""
    night = ExposureType.objects.create(
        name="Nattarbeid", product_group=cast.product_group, first_check_months=1,
        interval_months=None,
    )  # fmt: skip
    rows = [
        ("Dahl", "Kari", noise, D(2026, 6, 1)),  # overdue since 1 December
        ("Berg", "Ola", noise, D(2024, 1, 1)),  # overdue since 1 July 2024
        ("Aas", "Per", noise, D(2024, 1, 1)),  # the same day: by name
        ("Aas", "Anne", noise, D(2024, 1, 1)),
        ("Eik", "Lise", noise, D(2026, 8, 1)),  # due 1 February: within 90 days
        ("Fjell", "Jon", night, D(2026, 1, 1)),  # offered: not examined, no due day
        ("Gran", "Eva", noise, D(2026, 11, 1)),  # not examined, due 1 May 2027
        ("Hagen", "Tor", noise, D(2026, 10, 1)),  # not examined, due 1 April 2027
        ("Lie", "Siv", noise, D(2024, 1, 1)),  # left the company: not listed
    ]
    for last_name, first_name, kind, starts_on in rows:
        employee = EmployeeFactory(
            department=cast.tb_main, last_name=last_name, first_name=first_name
        )
        exposure_create(actor=cast.kam, employee=employee, exposure_type=kind, starts_on=starts_on)
    employee_deactivate(employee=employee, actor=cast.kam)
    monkeypatch.setattr(SurveillanceDueAdmin, "list_per_page", 3)
    client = login(getattr(cast, who))

    pages = [
        [
            (row.employee.last_name, row.employee.first_name)
            for row in client.get(f"/portal/surveillancedue/?p={page}").context["cl"].result_list
        ]
        for page in (1, 2, 3)
    ]

    assert pages == [
        [("Aas", "Anne"), ("Aas", "Per"), ("Berg", "Ola")],
        [("Dahl", "Kari"), ("Eik", "Lise"), ("Hagen", "Tor")],
        [("Gran", "Eva"), ("Fjell", "Jon")],
    ]


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("who", ["testweb", "kam"])
@pytest.mark.parametrize("direction", ["", "-"])
def test_the_due_list_sorted_by_status_pages_through_each_status_by_name(
    cast, login, noise, monkeypatch, who, direction
):
    """Sorted by «Status» (either way), page after page: the statuses in turn, each by name.
    Staff's pages are read status by status on PostgreSQL; the rows are the same."""
    for last_name, first_name, starts_on in [
        ("Dahl", "Kari", D(2026, 6, 1)),  # overdue
        ("Berg", "Ola", D(2024, 1, 1)),  # overdue
        ("Aas", "Per", D(2024, 1, 1)),  # overdue
        ("Eik", "Lise", D(2026, 8, 1)),  # due within 90 days
        ("Hagen", "Tor", D(2026, 10, 1)),  # not examined
        ("Gran", "Eva", D(2026, 11, 1)),  # not examined
        ("Aas", "Anne", D(2026, 10, 1)),  # not examined
    ]:
        employee = EmployeeFactory(
            department=cast.tb_main, last_name=last_name, first_name=first_name
        )
        exposure_create(actor=cast.kam, employee=employee, exposure_type=noise, starts_on=starts_on)
    monkeypatch.setattr(SurveillanceDueAdmin, "list_per_page", 3)
    client = login(getattr(cast, who))
    column = (
        client.get("/portal/surveillancedue/").context["cl"].list_display.index("status_display")
    )

    lists = [
        client.get(f"/portal/surveillancedue/?o={direction}{column}&p={page}").context["cl"]
        for page in (1, 2, 3)
    ]

    overdue = [("Aas", "Per"), ("Berg", "Ola"), ("Dahl", "Kari")]
    not_examined = [("Aas", "Anne"), ("Gran", "Eva"), ("Hagen", "Tor")]
    rows = [
        (row.employee.last_name, row.employee.first_name) for cl in lists for row in cl.result_list
    ]
    if direction:
        assert rows == [*not_examined, ("Eik", "Lise"), *overdue]
    else:
        assert rows == [*overdue, ("Eik", "Lise"), *not_examined]
    by_status = who == "kam" and connection.features.supports_slicing_ordering_in_compound
    expected = ("desc" if direction else "asc") if by_status else None
    assert [cl.status_sort() for cl in lists] == [expected] * 3
    assert client.get("/portal/surveillancedue/?o=99").status_code == 200  # no such column


def test_a_request_works_the_due_list_out_for_one_day_even_across_midnight(rf):
    """The status filter, the rows' statuses and the page's order take the same day."""
    request = rf.get("/portal/surveillancedue/?status=overdue")
    oslo = timezone.get_default_timezone()
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=oslo)) as clock:
        assert list_today(request) == D(2026, 12, 31)
        clock.shift(datetime.timedelta(seconds=2))
        assert timezone.localdate() == D(2027, 1, 1)
        assert list_today(request) == D(2026, 12, 31)
        assert list_today(rf.get("/")) == D(2027, 1, 1)  # the next request, the next day
