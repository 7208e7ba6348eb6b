"""Refusals are RFC 9457 problem details, in Norwegian unless the caller asks for English."""

import pytest

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def new_employee(cast, **fields):
    return {
        "department": cast.tb_main.pk,
        "first_name": "Ny",
        "last_name": "Ansatt",
        "email": "ny@example.no",
    } | fields


def test_a_problem_has_type_title_status_and_detail_in_norwegian(tb_api, cast):
    response = tb_api.post("/api/v1/employees/", new_employee(cast, email=""), format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response["Content-Language"] == "nb"
    body = response.json()
    assert body["type"] == "urn:kundeportal:problem:invalid"
    assert body["title"] == "Ugyldig forespørsel"
    assert body["status"] == 400
    assert body["detail"].startswith("email: ")
    assert list(body["errors"]) == ["email"]


def test_english_when_asked(tb_api, cast):
    response = tb_api.post(
        "/api/v1/employees/",
        new_employee(cast, national_id="123"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    body = response.json()
    assert body["title"] == "Invalid request"
    assert body["errors"]["national_id"] == [
        "A national identity number has exactly 11 digits (you typed 3)."
    ]


def test_a_services_refusal_is_a_problem_naming_the_field(tb_api, cast):
    taken = cast.donald.email

    response = tb_api.post("/api/v1/employees/", new_employee(cast, email=taken), format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["email"]
    assert "e-postadresse" in response.json()["detail"]


@pytest.mark.parametrize(
    ("status", "title"),
    [(401, "Ikke autentisert"), (404, "Ikke funnet")],
)
def test_the_titles_are_norwegian(client, tb_api, status, title):
    response = (client if status == 401 else tb_api).get("/api/v1/orders/999999/")

    assert response.status_code == status
    assert response.json()["title"] == title


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=%F0%98%A5%AC", "cursor"),
        ("cursor=" + "cD1ub3QtYS10aW1l", "cursor"),  # p=not-a-time
        ("department=-7.48e%2B298", "department"),
        ("department=99999999999999999999", "department"),
        ("updated_since=yesterday", "updated_since"),
    ],
)
def test_a_bad_query_parameter_is_400_naming_it(tb_api, query, field):
    response = tb_api.get(f"/api/v1/orders/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/customers/0.5/"),
        ("get", "/api/v1/employees/9999999999999999999999/"),
        ("post", "/api/v1/employees/0.5/deactivate/"),
        ("get", "/api/v1/nothing-here/"),
        ("delete", "/api/v1/orders/1/x/"),
    ],
)
def test_any_other_path_under_the_api_is_a_404_problem(tb_api, method, path):
    response = getattr(tb_api, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Ikke funnet"


def test_the_admin_pages_of_the_tokens_are_not_under_the_apis_catch_all(login, cast):
    assert login(cast.superuser).get("/api/apitoken/").status_code == 200
