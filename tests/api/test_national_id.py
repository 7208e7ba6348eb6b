"""The national id number is taken by the API and never given back: not in a list, a row, the
answer to a create or an update, nor a refusal."""

import pytest

from portal import services

from .conftest import crawl

pytestmark = pytest.mark.django_db

NUMBER = "13091850189"  # Donald's birth date, 13.09.2018
NEW_NUMBER = "01019010046"  # 01.01.1990


@pytest.fixture
def donald_with_number(cast):
    services.employee_update(employee=cast.donald, actor=cast.superuser, national_id=NUMBER)
    cast.donald.refresh_from_db()
    return cast.donald


@pytest.mark.parametrize("who", ["staff_api", "tb_api"])
def test_no_answer_of_a_crawl_holds_the_number(request, donald_with_number, world, who):
    client = request.getfixturevalue(who)

    answers = crawl(client)

    assert answers
    for response in answers:
        assert NUMBER not in response.content.decode(), response.wsgi_request.path
    donald = client.get(f"/api/v1/employees/{donald_with_number.pk}/").json()
    assert donald["has_national_id"] is True
    assert "national_id" not in donald


def test_writes_take_the_number_and_never_answer_it(tb_api, cast, donald_with_number):
    bodies = []
    created = tb_api.post(
        "/api/v1/employees/",
        {
            "department": cast.tb_main.pk,
            "first_name": "Fetter",
            "last_name": "Anton",
            "email": "fetter@example.no",
            "birth_date": "1990-01-01",
            "national_id": NEW_NUMBER,
        },
        format="json",
    )
    bodies.append(created)
    assert created.status_code == 201, created.content
    # A clash with Donald's number: refused, without the number.
    clash = tb_api.patch(
        f"/api/v1/employees/{donald_with_number.pk}/",
        {"national_id": NUMBER[:-1] + "0"},
        format="json",
        HTTP_IF_MATCH=f'"{donald_with_number.version}"',
    )
    bodies.append(clash)
    changed = tb_api.patch(
        f"/api/v1/employees/{donald_with_number.pk}/",
        {"national_id": NUMBER, "mobile": "98765432"},
        format="json",
        HTTP_IF_MATCH=f'"{donald_with_number.version}"',
    )
    bodies.append(changed)

    assert changed.status_code == 200, changed.content
    for response in bodies:
        text = response.content.decode()
        assert NUMBER not in text
        assert NEW_NUMBER not in text
        assert NUMBER[:-1] + "0" not in text
