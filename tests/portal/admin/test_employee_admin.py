"""The Ansatte tab as a customer uses it: Finn ansatte, Ny ansatt, the employee page with its
«Deaktiver» / «Reaktiver» dialogs, and «Deaktiver valgte ansatte» from the list."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from audit.models import AuditEvent
from permissions.capabilities import Role
from permissions.services import grant_create
from portal import services
from portal.formatting import format_datetime
from portal.models import Employee, Order
from tests.factories import AppointmentFactory, BookingFactory, UserFactory
from tests.permissions.helpers import form_data
from tests.portal.filters.helpers import offered
from tests.portal.helpers import MASK, NUMBER, leaked_runs, messages_of

pytestmark = pytest.mark.django_db

LIST = "/portal/employee/"
ADD = "/portal/employee/add/"


def url(employee, view="change"):
    return f"/portal/employee/{employee.pk}/{view}/"


def form_url(employee):
    """The employee's form: a customer reads the page first and gets it after «Rediger»."""
    return f"{url(employee)}?edit=1"


def listed(response) -> set[str]:
    """The names in the «Navn» column."""
    cells = re.findall(r'<t[hd] class="field-name\b[^"]*"[^>]*>(.*?)</t[hd]>', response.text, re.S)
    return {" ".join(strip_tags(cell).split()) for cell in cells}


def post_dialog(client, employee, view, **headers):
    """Press the dialog's button: a POST with Unfold's `_form_submitted`."""
    return client.post(url(employee, view), {"_form_submitted": "on"}, **headers)


def bulk_deactivate(client, *employees, follow=True):
    return client.post(
        LIST,
        {
            "action": "deactivate_selected",
            "_selected_action": [str(e.pk) for e in employees],
            "index": "0",
        },
        follow=follow,
    )


def audit_actions(employee) -> list[str]:
    return list(
        AuditEvent.objects.filter(content_type__model="employee", object_id=str(employee.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# -- Finn ansatte ----------------------------------------------------------------------------


def test_free_text_finds_donald_duck_and_links_to_his_page(cast, login):
    response = login(cast.testweb).get(LIST, {"text": "donald duck"})

    assert listed(response) == {"Donald Duck"}
    assert f'href="{url(cast.donald)}' in response.text


def test_deactivated_employees_are_hidden_until_the_status_filter_asks(cast, login):
    # given Donald Duck deactivated
    client = login(cast.testweb)
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    # when testweb lists the employees, then with the Status filter «Deaktiverte», then «Alle»
    default = client.get(LIST)
    deactivated = client.get(LIST, {"active": "deactivated"})
    everyone = client.get(LIST, {"active": "all", "text": "Duck"})

    # then he is only in the lists that ask for deactivated employees
    assert "Donald Duck" not in listed(default)
    assert listed(deactivated) == {"Donald Duck"}
    assert "Donald Duck" in listed(everyone)
    assert re.search(
        r'<option value="deactivated"[^>]*selected[^>]*>\s*Deaktiverte', deactivated.text
    )


# -- the «Deaktiver» dialog ------------------------------------------------------------------


def test_the_deactivate_dialog_posts_deactivates_and_says_so(cast, login):
    # given Donald's page with its «Deaktiver» action
    client = login(cast.testweb)
    page = client.get(url(cast.donald))
    assert f'href="{url(cast.donald, "deactivate")}' in page.text

    # when testweb confirms the dialog
    response = post_dialog(client, cast.donald, "deactivate", follow=True)

    # then they are back on Donald's page, told he is deactivated, and he is
    assert response.redirect_chain[-1][0] == url(cast.donald)
    assert messages_of(response) == ["Donald Duck er deaktivert."]
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is False
    assert cast.donald.deactivated_by == cast.testweb
    # and the page now offers «Reaktiver» instead, and tells it in the history
    assert f'href="{url(cast.donald, "reactivate")}' in response.text
    assert f'href="{url(cast.donald, "deactivate")}' not in response.text
    assert "Deaktivert" in response.text


def test_the_dialog_posted_through_htmx_reloads_the_page(cast, login):
    response = post_dialog(login(cast.testweb), cast.donald, "deactivate", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == url(cast.donald)
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is False


def test_a_get_of_deactivate_only_shows_the_dialog_and_changes_nothing(cast, login):
    response = login(cast.testweb).get(url(cast.donald, "deactivate"))

    assert response.status_code == 200
    assert re.search(r'<form[^>]*method="post"', response.text)
    assert 'name="_form_submitted"' in response.text
    assert "Deaktiver ansatt" in response.text
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is True
    assert audit_actions(cast.donald) == []


def test_a_post_without_the_dialogs_field_changes_nothing(cast, login):
    response = login(cast.testweb).post(url(cast.donald, "deactivate"), {})

    assert response.status_code == 200
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is True


def test_deactivating_tells_which_future_bookings_were_cancelled(cast, login):
    # given Donald booked on a health check in ten days
    appointment = AppointmentFactory(
        order=Order.objects.get(number=290467),
        starts_at=timezone.now() + datetime.timedelta(days=10),
    )
    BookingFactory(employee=cast.donald, appointment=appointment)

    # when testweb deactivates him
    response = post_dialog(login(cast.testweb), cast.donald, "deactivate", follow=True)

    # then the message names the booking's time
    assert messages_of(response) == [
        f"Donald Duck er deaktivert. Én booking ble avbestilt: "
        f"{format_datetime(appointment.starts_at)}."
    ]


# -- the «Reaktiver» dialog ------------------------------------------------------------------


def test_the_reactivate_dialog_makes_the_employee_active_again(cast, login):
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)

    response = post_dialog(login(cast.testweb), cast.donald, "reactivate", follow=True)

    assert messages_of(response) == ["Donald Duck er aktiv igjen."]
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is True


def test_reactivating_when_the_address_is_taken_says_why_and_changes_nothing(cast, login):
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)
    services.employee_create(
        actor=cast.testweb,
        department=cast.tb_main,
        first_name="Fetter",
        last_name="Anton",
        email="duck@testikkeibruk.no",
    )

    response = post_dialog(login(cast.testweb), cast.donald, "reactivate", follow=True)

    assert messages_of(response) == [
        "Duck@testikkeibruk.no brukes nå av en aktiv kollega. "
        "Gi Donald Duck en annen e-postadresse først."
    ]
    cast.donald.refresh_from_db()
    assert cast.donald.is_active is False


def _history(response) -> str:
    section = re.search(r'<section[^>]*id="employee-history".*?</section>', response.text, re.S)
    assert section, "no history section on the employee page"
    return " ".join(strip_tags(section.group(0)).split())


def test_the_history_reads_in_norwegian(cast, login):
    # given an employee added (a man) and then deactivated
    employee = services.employee_create(
        actor=cast.testweb,
        department=cast.tb_main,
        first_name="Fetter",
        last_name="Anton",
        email="fetter@testikkeibruk.no",
        gender="male",
    )
    services.employee_deactivate(employee=employee, actor=cast.testweb)

    # when testweb reads the history on his page
    history = _history(login(cast.testweb).get(url(employee)))

    # then it says what happened in words, not in the database's values
    assert "kjønn: Mann" in history
    assert re.search(r"\bDeaktivert\b", history), history
    assert "aktiv: Ja → Nei" not in history  # «Deaktivert» says it
    assert not re.search(r"\b(male|True|False)\b", history), history


def test_a_deactivated_employees_page_says_so(cast, login):
    services.employee_deactivate(employee=cast.donald, actor=cast.testweb)
    cast.donald.refresh_from_db()

    response = login(cast.testweb).get(url(cast.donald))

    # not only in the history: the page itself tells that (and when) he was deactivated
    page = re.sub(r'<section[^>]*id="employee-history".*?</section>', "", response.text, flags=re.S)
    text = " ".join(strip_tags(page).split())
    assert f"Deaktivert {format_datetime(cast.donald.deactivated_at)}" in text


# -- «Deaktiver valgte ansatte» --------------------------------------------------------------


def test_bulk_deactivation_deactivates_the_selected_own_employees(cast, login):
    response = bulk_deactivate(login(cast.testweb), cast.donald, cast.dolly)

    assert set(messages_of(response)) == {
        "Donald Duck er deaktivert.",
        "Dolly Duck er deaktivert.",
        "2 ansatte deaktivert.",
    }
    assert set(Employee.objects.filter(is_active=False).values_list("first_name", flat=True)) == {
        "Donald",
        "Dolly",
    }
    assert listed(response) == {"Anton Duck", "Skrue McDuck"}


def test_bulk_deactivation_ignores_a_forged_id_of_another_customers_employee(cast, login):
    # given testweb's list, with Ola Nordmann's id (Eksempel Industri) forged into the selection
    response = bulk_deactivate(login(cast.testweb), cast.donald, cast.ola)

    # then only Donald is deactivated, and nothing names Ola
    cast.ola.refresh_from_db()
    cast.donald.refresh_from_db()
    assert (cast.donald.is_active, cast.ola.is_active) == (False, True)
    assert audit_actions(cast.ola) == []
    assert "Nordmann" not in response.text


def test_bulk_deactivation_by_a_department_user_ignores_the_other_department(cast, login):
    # given a user who administers only "Bergen TEST", with Donald's id forged into the selection
    user = UserFactory(username="bergen")
    grant_create(
        user=user, customer=cast.testbedriften, role=Role.ADMIN, departments=[cast.tb_bergen]
    )

    bulk_deactivate(login(user), cast.anton, cast.donald)

    cast.anton.refresh_from_db()
    cast.donald.refresh_from_db()
    assert (cast.anton.is_active, cast.donald.is_active) == (False, True)


def test_the_bulk_action_is_not_offered_to_a_user_who_may_only_look(cast, login):
    response = login(cast.viewer).get(LIST)

    assert "deactivate_selected" not in response.text
    assert response.status_code == 200


# -- Ny ansatt / Rediger ansatt --------------------------------------------------------------


def buttons(response) -> list[str]:
    """The texts of the page's submit row: its buttons and links."""
    row = re.search(r'<div id="submit-row".*?</div>\s*</div>\s*</div>', response.text, re.S)
    assert row
    found = re.findall(r"<(?:button|a)\b[^>]*>(.*?)</(?:button|a)>", row.group(0), re.S)
    return [" ".join(strip_tags(text).split()) for text in found]


def test_a_customer_reads_the_employee_first_with_deaktiver_and_rediger(cast, login):
    page = login(cast.testweb).get(url(cast.donald))

    text = " ".join(strip_tags(page.text).split())
    assert "Duck@testikkeibruk.no" in text
    assert "123 45 678" in text
    assert not re.search(r'<input[^>]*name="(first_name|email|mobile)"', page.text)
    assert f'href="{url(cast.donald, "deactivate")}"' in page.text
    assert f'href="{url(cast.donald, "edit")}"' in page.text
    assert "Lagre" not in buttons(page)


def test_rediger_opens_the_form_with_lagre_and_avbryt_alone(cast, login):
    client = login(cast.testweb)

    response = client.get(url(cast.donald, "edit"), follow=True)

    assert response.redirect_chain[-1][0] == form_url(cast.donald)
    assert re.search(r'<input[^>]*name="email"[^>]*value="Duck@testikkeibruk.no"', response.text)
    assert buttons(response) == ["Lagre", "Avbryt"]
    assert f'href="{url(cast.donald)}"' in response.text  # «Avbryt»: back to his page
    assert f'href="{url(cast.donald, "edit")}"' not in response.text


def test_the_new_employee_form_has_lagre_and_avbryt_alone(cast, login):
    response = login(cast.testweb).get(ADD)

    assert buttons(response) == ["Lagre", "Avbryt"]


def test_staff_get_the_form_at_once_with_what_helps_them(cast, login):
    response = login(cast.kam).get(url(cast.donald))

    assert re.search(r'<input[^>]*name="email"', response.text)
    assert "Lagre og fortsett å redigere" in buttons(response)
    assert f'href="{url(cast.donald, "edit")}"' not in response.text


def test_a_user_who_may_only_look_gets_no_rediger(cast, login):
    page = login(cast.viewer).get(url(cast.donald))

    assert page.status_code == 200
    assert f'href="{url(cast.donald, "edit")}"' not in page.text
    assert not re.search(r'<input[^>]*name="email"', page.text)
    # typing «?edit=1» into the address gives the same page to read, not the form
    typed = login(cast.viewer).get(form_url(cast.donald))
    assert typed.status_code == 200
    assert not re.search(r'<input[^>]*name="email"', typed.text)
    assert "Lagre" not in buttons(typed)
    # and «Rediger»'s own address gives them nothing either
    assert login(cast.viewer).get(url(cast.donald, "edit")).status_code == 403


def test_another_customers_employee_is_told_as_one_that_is_not_there(cast, login):
    response = login(cast.testweb).get(url(cast.ola), follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert messages_of(response) == [
        "Den ansatte finnes ikke, eller du har ikke tilgang til den ansatte."
    ]
    assert "Ola" not in response.text


def test_ny_ansatt_opens_the_new_employee_form(cast, login):
    client = login(cast.testweb)

    assert 'href="/portal/employee/new/"' in client.get(LIST).text
    response = client.get("/portal/employee/new/", follow=True)

    assert response.redirect_chain[-1][0] == ADD
    page = response.text
    for label in ("Fornavn", "Etternavn", "E-post", "Mobilnummer", "Fødselsdato", "Kjønn"):
        assert label in page
    assert "Fødselsnummer (11 siffer)" in page


def test_a_new_employee_is_saved_with_the_mobile_in_one_form_and_the_number_masked(cast, login):
    client = login(cast.testweb)
    data = form_data(client.get(ADD))
    data.update(
        first_name="Fetter",
        last_name="Anton",
        email="fetter@testikkeibruk.no",
        mobile="+47 987 65 432",
        birth_date="13.09.2018",
        gender="male",
        department=str(cast.tb_main.pk),
        national_id=NUMBER,
    )

    response = client.post(ADD, data, follow=True)

    employee = Employee.objects.get(first_name="Fetter")
    assert response.redirect_chain, response.context["adminform"].form.errors
    assert messages_of(response) == ["Ansatt Fetter Anton er lagt til."]
    assert (employee.mobile, employee.birth_date) == ("98765432", datetime.date(2018, 9, 13))
    assert employee.reveal_national_id() == NUMBER
    page = client.get(url(employee)).text
    assert MASK in page
    assert leaked_runs(page) == []
    assert audit_actions(employee) == ["created"]


def test_a_new_employee_with_a_colleagues_address_is_refused_beside_the_field(cast, login):
    # given testweb fills in «Ny ansatt» with Donald's address in other letters
    client = login(cast.testweb)
    data = form_data(client.get(ADD))
    data.update(
        first_name="Fetter",
        last_name="Anton",
        email="DUCK@testikkeibruk.no",
        mobile="99887766",
        department=str(cast.tb_main.pk),
    )

    response = client.post(ADD, data)

    # then the form comes back with the error on the e-mail, and what was typed is kept
    assert response.status_code == 200, (
        f"answered {response.status_code} {response.get('Location')}"
    )
    errors = response.context["adminform"].form.errors
    assert "email" in errors
    assert "e-postadresse" in " ".join(errors["email"])
    assert 'value="Fetter"' in response.text
    assert not Employee.objects.filter(first_name="Fetter").exists()


def test_changing_to_a_colleagues_address_is_refused_beside_the_field(cast, login):
    client = login(cast.testweb)
    data = form_data(client.get(form_url(cast.dolly)))
    data["email"] = "duck@TESTIKKEIBRUK.no"

    response = client.post(form_url(cast.dolly), data)

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    cast.dolly.refresh_from_db()
    assert cast.dolly.email == "dolly@testikkeibruk.no"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("mobile", "tolv34", "Et mobilnummer har bare siffer (mellomrom og + først er greit)."),
        ("mobile", "1234", "Et norsk mobilnummer har 8 siffer."),
        ("national_id", "31129956716", "Kontrollsifrene i fødselsnummeret er feil."),
        ("national_id", "3112995671x", "Et fødselsnummer består bare av siffer."),
        ("email", "", "Feltet er påkrevet."),
    ],
)
def test_each_form_error_says_what_is_wrong_in_norwegian(cast, login, field, typed, message):
    client = login(cast.testweb)
    data = form_data(client.get(form_url(cast.donald)))
    data[field] = typed

    response = client.post(form_url(cast.donald), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.email, cast.donald.has_national_id) == (
        "12345678",
        "Duck@testikkeibruk.no",
        False,
    )


def test_editing_the_mobile_shows_it_on_the_employees_page_and_records_it(cast, login):
    client = login(cast.testweb)
    data = form_data(client.get(form_url(cast.donald)))
    data.update(mobile="+47 987 65 432")

    response = client.post(form_url(cast.donald), data, follow=True)  # «Lagre»

    assert response.redirect_chain[-1][0] == url(cast.donald)  # the page, read again
    cast.donald.refresh_from_db()
    assert cast.donald.mobile == "98765432"
    text = " ".join(strip_tags(response.text).split())
    assert "Ansatt Donald Duck er lagret." in text
    assert "987 65 432" in text
    assert "mobilnummer: 12345678 → 98765432" in text


def test_a_customer_cannot_add_an_employee_in_another_customers_department(cast, login):
    client = login(cast.testweb)
    data = form_data(client.get(ADD))
    data.update(
        first_name="Fetter", last_name="Anton", email="f@x.no", department=str(cast.ek_main.pk)
    )

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert "Eksempel Industri" not in response.text
    assert not Employee.objects.filter(first_name="Fetter").exists()


def test_staff_choose_the_department_by_typing_and_move_an_employee(cast, login):
    """Staff see every customer's departments: the form renders the chosen one only, and the
    autocomplete names each with its customer."""
    client = login(cast.kam)
    page = client.get(url(cast.donald))
    select = re.search(r'<select name="department"([^>]*)>(.*?)</select>', page.text, re.S)

    assert select
    assert "admin-autocomplete" in select.group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select.group(2)) == ["Testbedriften AS"]
    assert offered(client, "employee", "department", term="berg") == [
        "Testbedriften AS – Bergen TEST"
    ]

    data = form_data(page)
    data.update(department=str(cast.tb_bergen.pk))
    response = client.post(url(cast.donald), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    cast.donald.refresh_from_db()
    assert cast.donald.department == cast.tb_bergen


def test_a_customer_chooses_the_department_from_their_own_few(cast, login):
    page = login(cast.testweb).get(form_url(cast.donald))
    select = re.search(r'<select name="department"([^>]*)>(.*?)</select>', page.text, re.S)

    assert select
    assert "admin-autocomplete" not in select.group(1)
    assert re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select.group(2)) == [
        "Bergen TEST",
        "Testbedriften AS",
    ]


# -- the page's cost -------------------------------------------------------------------------


def test_the_employee_page_costs_the_same_with_one_or_many_bookings(cast, login):
    client = login(cast.testweb)
    order = Order.objects.get(number=290467)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(cast.donald)).status_code == 200
        return len(captured)

    BookingFactory(employee=cast.donald, appointment=AppointmentFactory(order=order))
    one = queries()
    for _ in range(5):
        BookingFactory(employee=cast.donald, appointment=AppointmentFactory(order=order))
    assert queries() == one
