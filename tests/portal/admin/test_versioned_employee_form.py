"""Two people edit the same employee: the second save is refused, says what the first
changed, and writes nothing over it; saved again from the page it then shows, both stay."""

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from portal import services
from portal.models import Employee
from portal.services.versions import StaleEdit
from tests.permissions.helpers import form_data
from tests.portal.two_browsers import browser, errors_of, opened

pytestmark = pytest.mark.django_db

NUMBER = "13091850189"  # Donald's birth date, 13.09.2018


def url(employee):
    """The employee's form (a customer's page is the form after «Rediger»)."""
    return f"/portal/employee/{employee.pk}/change/?edit=1"


def test_the_second_save_is_refused_naming_the_changed_field_and_the_mobile_is_kept(cast):
    # given testweb and kam both open Donald Duck
    first, second = browser("testweb"), browser("kam")
    first_form, second_form = opened(first, url(cast.donald)), opened(second, url(cast.donald))

    # when testweb saves a new mobile number, then kam a new last name
    first_form["mobile"] = "912 34 567"
    assert first.post(url(cast.donald), first_form).status_code == 302
    second_form["last_name"] = "Duck-Andersen"
    response = second.post(url(cast.donald), second_form)

    # then kam's save is refused: nothing written, the mobile number kept
    assert response.status_code == 200
    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.last_name) == ("91234567", "Duck")
    # and kam is told, in Norwegian, which field changed and what it holds now
    errors = errors_of(response)
    assert "Mobilnummer" in errors["__all__"]
    assert "ingenting av ditt er lagret" in errors["__all__"]
    assert "Etternavn" not in errors["__all__"]
    assert errors["mobile"] == (
        "Endret av noen andre etter at du åpnet siden; nå står det: 912 34 567."
    )
    assert set(errors) == {"__all__", "mobile"}
    assert AuditEvent.objects.filter(object_id=str(cast.donald.pk), action="changed").count() == 1


def test_saved_again_from_the_refusal_both_changes_stay(cast):
    first, second = browser("testweb"), browser("kam")
    first_form, second_form = opened(first, url(cast.donald)), opened(second, url(cast.donald))
    first_form["mobile"] = "91234567"
    first.post(url(cast.donald), first_form)
    second_form["last_name"] = "Duck-Andersen"
    refused = second.post(url(cast.donald), second_form)

    # the page shows their mobile number and kam's own last name; kam saves it as it is
    again = form_data(refused)
    assert (again["mobile"], again["last_name"]) == ("91234567", "Duck-Andersen")
    assert second.post(url(cast.donald), again).status_code == 302

    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.last_name) == ("91234567", "Duck-Andersen")


def test_both_changed_the_same_field_the_second_keeps_their_own_value_on_the_page(cast):
    first, second = browser("testweb"), browser("kam")
    first_form, second_form = opened(first, url(cast.donald)), opened(second, url(cast.donald))
    first_form["mobile"] = "91234567"
    first.post(url(cast.donald), first_form)
    second_form["mobile"] = "98765432"

    refused = second.post(url(cast.donald), second_form)

    cast.donald.refresh_from_db()
    assert cast.donald.mobile == "91234567"
    assert "nå står det: 912 34 567" in errors_of(refused)["mobile"]
    assert form_data(refused)["mobile"] == "98765432"  # kam decides, seeing both


def test_a_national_id_changed_in_between_is_named_never_shown(cast):
    first, second = browser("testweb"), browser("kam")
    second_form = opened(second, url(cast.donald))
    first_form = opened(first, url(cast.donald))
    first_form["national_id"] = NUMBER
    assert first.post(url(cast.donald), first_form).status_code == 302
    second_form["first_name"] = "Donaldo"

    refused = second.post(url(cast.donald), second_form)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert NUMBER not in page
    assert NUMBER[:6] not in page
    assert "Sjekk skjemaet og lagre på nytt" in errors_of(refused)["__all__"]
    cast.donald.refresh_from_db()
    assert cast.donald.first_name == "Donald"


def test_the_service_refuses_an_edit_begun_on_an_older_version(cast):
    """For every caller, not only the form: an import, a command, a test."""
    testweb = get_user_model().objects.get(username="testweb")
    opened_on = cast.donald.version
    services.employee_update(employee=cast.donald, actor=testweb, mobile="91234567")

    with pytest.raises(StaleEdit) as refusal:
        services.employee_update(
            employee=Employee.objects.get(pk=cast.donald.pk),
            actor=testweb,
            version=opened_on,
            last_name="Duck-Andersen",
        )

    assert "Donald Duck ble endret av noen andre" in refusal.value.messages[0]
    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.last_name, cast.donald.version) == (
        "91234567",
        "Duck",
        1,
    )


def test_a_save_that_races_past_the_form_check_is_refused_by_the_service(cast, monkeypatch):
    """Someone else's save lands between this form's check and its write: the service's
    claim refuses it, and the page, asked again, says what changed."""
    testweb = get_user_model().objects.get(username="testweb")
    original = services.employee_update

    def someone_else_first(**kwargs):
        monkeypatch.setattr(services, "employee_update", original)
        original(employee=Employee.objects.get(pk=cast.donald.pk), actor=testweb, mobile="91234567")
        return original(**kwargs)

    kam = browser("kam")
    form = opened(kam, url(cast.donald))
    monkeypatch.setattr(services, "employee_update", someone_else_first)
    form["last_name"] = "Duck-Andersen"

    refused = kam.post(url(cast.donald), form)

    assert refused.status_code == 200
    assert "nå står det: 912 34 567" in errors_of(refused)["mobile"]
    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.last_name) == ("91234567", "Duck")


@pytest.mark.parametrize("version", ["abc", "-1", "9" * 40])
def test_a_damaged_version_is_a_clear_message_not_an_error_page(cast, version):
    kam = browser("kam")
    form = opened(kam, url(cast.donald))
    form["edit_version"] = version
    form["last_name"] = "Duck-Andersen"

    refused = kam.post(url(cast.donald), form)

    assert refused.status_code == 200
    assert "åpne den på nytt" in errors_of(refused)["__all__"]
    cast.donald.refresh_from_db()
    assert cast.donald.last_name == "Duck"
