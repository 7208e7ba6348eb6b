"""The OpenAPI document validates, and the docs page works under the site's
Content-Security-Policy with its files from the project's own static files (no CDN)."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_document_validates_as_openapi_3(schema):
    validate(schema)

    assert schema["openapi"].startswith("3.")


def test_every_operation_needs_a_token_and_documents_its_refusals(schema):
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["token"]["description"],
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation["security"] == [{"token": []}], (path, method)
            for code in ("401", "403", "429"):
                problem = operation["responses"][code]["content"]
                assert list(problem) == ["application/problem+json"], (path, method, code)
            if method == "patch":
                assert {"412", "428"} <= set(operation["responses"])


def test_the_national_id_is_write_only_in_the_document(schema):
    components = schema["components"]["schemas"]

    assert "national_id" not in components["Employee"]["properties"]
    assert "national_id" in components["EmployeeWriteRequest"]["properties"]


def test_lists_offer_updated_since_where_rows_have_a_time_of_change(schema):
    for path in ("orders", "employees", "appointments", "bookings"):
        names = [p["name"] for p in schema["paths"][f"/api/v1/{path}/"]["get"]["parameters"]]
        assert "updated_since" in names
        assert "cursor" in names


def test_the_docs_page_loads_its_files_from_the_projects_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Content-Security-Policy" in response
    # No inline script (the policy allows none): every <script> has a src.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "http://" not in page
    assert "https://" not in page
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"


def test_a_rows_id_is_a_whole_number_in_the_document(schema):
    for path, operations in schema["paths"].items():
        if "{id}" not in path:
            continue
        for method, operation in operations.items():
            (id_parameter,) = [p for p in operation["parameters"] if p["name"] == "id"]
            assert id_parameter["schema"]["type"] == "integer", (path, method)


def test_the_workflow_steps_document_their_refusals(schema):
    for step in ("accept-enquiry", "confirm-seller", "confirm", "delivered", "state"):
        operation = schema["paths"][f"/api/v1/orders/{{id}}/{step}/"]["post"]
        assert {"403", "404", "409", "412", "428"} <= set(operation["responses"]), step
        assert any(p["name"] == "If-Match" for p in operation["parameters"]), step
    attendance = schema["paths"]["/api/v1/bookings/{id}/attendance/"]["post"]
    assert {"403", "404", "409"} <= set(attendance["responses"])
    assert "/api/v1/audit-events/" in schema["paths"]
