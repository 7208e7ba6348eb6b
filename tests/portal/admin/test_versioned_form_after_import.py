"""The imports write rows a staff form may have open: they move the version on, so that a
form opened before an import is refused after it instead of writing the old values back."""

import pytest

from imports.employees import employee_import_confirm
from portal.models import Employee
from tests.imports.conftest import csv_file
from tests.portal.two_browsers import browser, errors_of, opened

pytestmark = pytest.mark.django_db


def test_an_employee_form_opened_before_an_import_is_refused_after_it(demo, cast):
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    url = f"/portal/employee/{donald.pk}/change/"
    kam = browser("kam")
    form = opened(kam, url)

    plan = employee_import_confirm(
        actor=donald.department.customer.account_manager,
        customer=cast.testbedriften,
        content=csv_file(
            ["Donald", "Duck", donald.email, "91234567", "", "", donald.department.name]
        ),
    )
    assert plan.ok, plan.errors
    donald.refresh_from_db()
    assert (donald.mobile, donald.version) == ("91234567", 1)

    form["last_name"] = "Duck-Andersen"
    refused = kam.post(url, form)

    assert refused.status_code == 200
    assert "Mobilnummer" in errors_of(refused)["__all__"]
    donald.refresh_from_db()
    assert (donald.mobile, donald.last_name) == ("91234567", "Duck")
