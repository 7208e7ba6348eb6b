"""Two people save the same employee at the same moment, each from the version they opened:
exactly one save is written, the other is refused and writes nothing.

Only PostgreSQL shows it: two threads, each on its own connection, meet at a barrier and save
together. SQLite serialises every writer, so there the tests are skipped."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from portal.models import Employee
from portal.services import employee_update
from portal.services.versions import StaleEdit
from tests.permissions.helpers import form_data

ROUNDS = 5

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _together(*saves) -> list:
    """Run every save at once, each on a fresh connection; their outcomes."""
    barrier = threading.Barrier(len(saves))
    outcomes = [None] * len(saves)

    def run(index, save):
        try:
            prepared = save.prepare()
            barrier.wait(timeout=10)
            outcomes[index] = save.run(prepared)
        except Exception as error:  # every outcome is kept and judged by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, save)) for i, save in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return outcomes


class ServiceSave:
    def __init__(self, pk, version, **fields):
        self.pk, self.version, self.fields = pk, version, fields

    def prepare(self):
        return Employee.objects.select_related("department").get(pk=self.pk)

    def run(self, employee):
        employee_update(
            employee=employee,
            actor=get_user_model().objects.get(username="testweb"),
            version=self.version,
            **self.fields,
        )
        return "saved"


def test_two_services_saving_the_same_version_at_once_write_exactly_one(demo):
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    for _round in range(ROUNDS):
        donald.refresh_from_db()
        opened_on = donald.version

        outcomes = _together(
            ServiceSave(donald.pk, opened_on, mobile=f"9123456{_round}"),
            ServiceSave(donald.pk, opened_on, last_name=f"Duck-{_round}"),
        )

        assert outcomes.count("saved") == 1, outcomes
        [refusal] = [outcome for outcome in outcomes if outcome != "saved"]
        assert isinstance(refusal, StaleEdit), repr(refusal)
        donald.refresh_from_db()
        assert donald.version == opened_on + 1
        mobile_won = donald.mobile == f"9123456{_round}"
        last_name_won = donald.last_name == f"Duck-{_round}"
        assert mobile_won != last_name_won, (donald.mobile, donald.last_name)


class FormSave:
    """A browser that opened the employee's page, and presses «Lagre» with one change."""

    def __init__(self, username, url, **changes):
        self.url, self.changes = url, changes
        self.client = Client()
        self.client.force_login(get_user_model().objects.get(username=username))
        self.data = form_data(self.client.get(url))

    def prepare(self):
        return {**self.data, **self.changes}

    def run(self, data):
        response = self.client.post(self.url, data)
        if response.status_code == 302:
            return "saved"
        return response


def test_two_forms_saved_at_once_write_one_and_tell_the_other_what_changed(demo):
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    url, mobile_before = f"/portal/employee/{donald.pk}/change/?edit=1", donald.mobile

    outcomes = _together(
        FormSave("testweb", url, mobile="91234567"),
        FormSave("kam", url, last_name="Duck-Andersen"),
    )

    assert outcomes.count("saved") == 1, outcomes
    [refused] = [outcome for outcome in outcomes if outcome != "saved"]
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    donald.refresh_from_db()
    if donald.mobile == "91234567":
        assert donald.last_name == "Duck"
        assert "Mobilnummer" in errors["__all__"][0]
    else:
        assert (donald.mobile, donald.last_name) == (mobile_before, "Duck-Andersen")
        assert "Etternavn" in errors["__all__"][0]
