"""«Vis fødselsnummer»: kam, holding the permission, presses the button on Donald Duck's page
and reads the number in the dialog; the look is in the audit trail. A KA/KAM without the
permission finds no button and gets no number. Screenshots in var/screenshots/reveal-*.png."""

import re

from django.contrib.auth.models import Permission, User
from playwright.sync_api import expect

from audit.models import AuditEvent
from portal import services
from portal.models import Employee

NUMBER = "13091850189"  # Donald's birth date, 13.09.2018


def _donald_with_a_number() -> Employee:
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    services.employee_update(
        employee=donald, actor=User.objects.get(username="testweb"), national_id=NUMBER
    )
    return donald


def _grant_reveal(username: str) -> None:
    User.objects.get(username=username).user_permissions.add(
        Permission.objects.get(content_type__app_label="portal", codename="reveal_national_id")
    )


def _reveals():
    return AuditEvent.objects.filter(action="national_id_revealed")


def test_staff_with_the_permission_read_the_number_in_the_dialog(page, login, screenshot):
    donald = _donald_with_a_number()
    _grant_reveal("kam")
    login(page, "kam")

    page.goto(f"/portal/employee/{donald.pk}/change/")
    assert NUMBER not in page.content()
    page.locator("a", has_text="Vis fødselsnummer").first.click()
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Hver visning av et fødselsnummer logges.")
    assert not _reveals().exists()  # opening the dialog shows and logs nothing
    screenshot(page, "reveal-01-dialog")

    dialog.get_by_role("button", name="Vis").click()

    expect(dialog.get_by_test_id("revealed-number")).to_have_text(NUMBER)
    expect(dialog).to_contain_text("Denne visningen er logget.")
    screenshot(page, "reveal-02-number-shown")
    event = _reveals().get()
    assert event.actor.username == "kam"
    assert (event.content_type.model, event.object_id) == ("employee", str(donald.pk))
    assert NUMBER not in str(event.changes)


def test_staff_without_the_permission_get_no_button_and_no_number(page, login):
    donald = _donald_with_a_number()
    login(page, "kam")

    page.goto(f"/portal/employee/{donald.pk}/change/")
    expect(page.get_by_label("Mobilnummer")).to_be_visible()
    expect(page.locator("a", has_text="Vis fødselsnummer")).to_have_count(0)

    # The dialog's address typed by hand answers with a refusal, without the number.
    answer = page.request.post(
        f"/portal/employee/{donald.pk}/reveal/",
        form={"_form_submitted": "on"},
        headers={"HX-Request": "true", "X-CSRFToken": _csrf(page)},
    )
    assert answer.status == 403
    assert NUMBER not in answer.text()
    assert not _reveals().exists()
    assert re.search(r"/portal/employee/\d+/change/", page.url)


def _csrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
