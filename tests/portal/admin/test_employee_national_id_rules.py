"""Ny ansatt / Rediger ansatt as a customer: the fødselsnummer is refused beside its field when
its birth date is still to come or is not the employee's, and is taken as people write it."""

import datetime
import zoneinfo

import pytest
import time_machine

from portal.models import Employee
from tests.permissions.helpers import form_data

pytestmark = pytest.mark.django_db

ADD = "/portal/employee/add/"
NOW = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
FUTURE = "18083967354"  # 18.08.2039
DOLLYS = "02048510011"  # 02.04.1985, Dolly's birth date
DONALDS_WRITTEN = {"hyphen": "130918-50189", "space": "130918 50189"}  # 13.09.2018


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def change(employee) -> str:
    """The form a customer reaches with «Rediger» (the page itself reads only)."""
    return f"/portal/employee/{employee.pk}/change/?edit=1"


def errors_of(response, field="national_id") -> list[str]:
    assert response.status_code == 200, "the form was saved"
    return list(response.context["adminform"].form.errors.get(field, []))


def new_employee(client, cast, **changes):
    data = form_data(client.get(ADD))
    data.update(
        first_name="Fetter",
        last_name="Anton",
        email="fetter@testikkeibruk.no",
        department=str(cast.tb_main.pk),
        **changes,
    )
    return client.post(ADD, data)


def edit(client, employee, **changes):
    data = form_data(client.get(change(employee)))
    data.update(changes)
    return client.post(change(employee), data)


def test_a_new_employee_with_a_number_of_someone_not_yet_born_is_refused(cast, login):
    client = login(cast.testweb)

    response = new_employee(client, cast, national_id=FUTURE)

    assert errors_of(response) == [
        "Fødselsnummeret gjelder en person født 18.08.2039, en dato som ennå ikke er kommet."
    ]
    assert not Employee.objects.filter(first_name="Fetter").exists()


def test_a_new_employee_whose_number_contradicts_the_birth_date_is_refused(cast, login):
    client = login(cast.testweb)

    response = new_employee(client, cast, birth_date="13.09.2018", national_id=DOLLYS)

    assert errors_of(response) == [
        "Fødselsnummeret gjelder en person født 02.04.1985, men fødselsdatoen er 13.09.2018."
    ]


def test_changing_donalds_number_to_dollys_is_refused_naming_both_dates(cast, login):
    client = login(cast.testweb)

    response = edit(client, cast.donald, national_id=DOLLYS)

    assert errors_of(response) == [
        "Fødselsnummeret gjelder en person født 02.04.1985, men fødselsdatoen er 13.09.2018."
    ]
    cast.donald.refresh_from_db()
    assert not cast.donald.has_national_id


@pytest.mark.parametrize("way", DONALDS_WRITTEN)
def test_a_number_typed_with_a_hyphen_or_a_space_is_saved(cast, login, way):
    client = login(cast.testweb)

    response = edit(client, cast.donald, national_id=DONALDS_WRITTEN[way])

    assert response.status_code == 302, errors_of(response)
    cast.donald.refresh_from_db()
    assert cast.donald.reveal_national_id() == "13091850189"


@pytest.mark.parametrize("way", DONALDS_WRITTEN)
def test_a_new_employee_typed_with_a_hyphen_or_a_space_is_saved(cast, login, way):
    client = login(cast.testweb)

    response = new_employee(client, cast, birth_date="13.09.2018", national_id=DONALDS_WRITTEN[way])

    assert response.status_code == 302, errors_of(response)
    assert Employee.objects.get(first_name="Fetter").reveal_national_id() == "13091850189"


def test_changing_the_birth_date_away_from_the_registered_number_is_refused(cast, login):
    client = login(cast.testweb)
    assert edit(client, cast.donald, national_id="13091850189").status_code == 302

    response = edit(client, cast.donald, birth_date="14.09.2018")

    assert errors_of(response, "birth_date") == [
        "Fødselsdatoen 14.09.2018 stemmer ikke med det registrerte fødselsnummeret. "
        "Kontroller datoen, eller skriv inn riktig nummer."
    ]
    assert "130918" not in response.content.decode()  # the number's date is not shown
    cast.donald.refresh_from_db()
    assert cast.donald.birth_date == datetime.date(2018, 9, 13)
