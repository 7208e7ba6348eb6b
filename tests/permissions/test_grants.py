"""Granting and revoking portal access: the command, the services, new departments, logging
in through the real form, and inviting a contact with a set-password link."""

import datetime
import html
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from audit.models import AuditEvent
from audit.services import audit_for
from permissions.capabilities import ROLE_CAPABILITIES, Capability, Role
from permissions.models import DepartmentUserObjectPermission, Grant
from permissions.scoping import has_any_access, scope
from permissions.services import grant_create, grant_revoke
from portal.forms import PortalAuthenticationForm
from portal.models import Department, Employee, Invoice
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory

from .helpers import leaked

TESTBEDRIFTEN_ORG = "998877660"


def _contact(username="kontakt"):
    return UserFactory(username=username, first_name="Kari", last_name="Kontakt")


def _capabilities(user) -> dict[str, set[str]]:
    """{department name: {capability, ...}} as stored for the user."""
    held: dict[str, set[str]] = {}
    for name, codename in DepartmentUserObjectPermission.objects.filter(user=user).values_list(
        "content_object__name", "permission__codename"
    ):
        held.setdefault(name, set()).add(codename)
    return held


def _fresh(user):
    """The user as the next request sees them (no cached department ids)."""
    return get_user_model().objects.get(pk=user.pk)


def _employee_names(user):
    return {
        e.full_name for e in scope(Employee.objects.all(), _fresh(user), Capability.VIEW_EMPLOYEES)
    }


# -- the grant_access command ---------------------------------------------------------------


def test_grant_access_by_org_number_for_one_department(demo):
    user = _contact()

    call_command(
        "grant_access", "kontakt", TESTBEDRIFTEN_ORG, role="hr", department=["Bergen TEST"]
    )

    grant = Grant.objects.get(user=user)
    assert (grant.customer.name, grant.role) == ("Testbedriften AS", Role.HR)
    assert [d.name for d in grant.departments.all()] == ["Bergen TEST"]
    assert _capabilities(user) == {
        "Bergen TEST": {"view_orders", "view_employees", "manage_employees", "book_employees"}
    }
    assert _employee_names(user) == {"Anton Duck", "Skrue McDuck"}


def test_grant_access_by_customer_name_for_the_whole_customer(demo):
    user = _contact()

    call_command("grant_access", "kontakt", "Testbedriften AS", role="finance")

    grant = Grant.objects.get(user=user)
    assert list(grant.departments.all()) == []
    assert _capabilities(user) == {
        "Testbedriften AS": {"view_orders", "view_invoices"},
        "Bergen TEST": {"view_orders", "view_invoices"},
    }
    invoices = scope(Invoice.objects.all(), _fresh(user), Capability.VIEW_INVOICES, path="payer")
    assert {i.number for i in invoices} == {
        "2017-118350",
        "2017-118352",
        "2017-118359",
        "2018-118371",
        "2018-118376",
    }


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (("ingen", TESTBEDRIFTEN_ORG), {"role": "hr"}, "No user is called ingen."),
        (
            ("kontakt", "123456789"),
            {"role": "hr"},
            "No single customer has the organisation number or name 123456789.",
        ),
        (
            ("kontakt", "Finnes Ikke AS"),
            {"role": "hr"},
            "No single customer has the organisation number or name Finnes Ikke AS.",
        ),
        (
            ("kontakt", TESTBEDRIFTEN_ORG),
            {"role": "hr", "department": ["Stavanger"]},
            "Testbedriften AS has no department called Stavanger.",
        ),
        (
            ("kontakt", TESTBEDRIFTEN_ORG),
            {"role": "hr", "department": ["Eksempel Industri Trondheim"]},
            "Testbedriften AS has no department called Eksempel Industri Trondheim.",
        ),
        (
            ("kam", TESTBEDRIFTEN_ORG),
            {"role": "hr"},
            "Staff users see every customer already; portal access is for customer users.",
        ),
        (
            ("kontakt", TESTBEDRIFTEN_ORG),
            {"role": "hr", "revoke": True},
            "kontakt has no such role.",
        ),
    ],
    ids=[
        "no-user",
        "no-org-number",
        "no-name",
        "no-department",
        "other-customers-department",
        "staff",
        "revoke-missing",
    ],
)
def test_grant_access_refuses_with_a_clear_message(args, options, message, demo):
    _contact()

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("grant_access", *args, **options)

    assert str(refused.value) == message
    assert not Grant.objects.filter(user__username=args[0]).exists()


def test_grant_access_refuses_an_unknown_role(demo):
    _contact()

    with pytest.raises(CommandError, match="role"):
        call_command("grant_access", "kontakt", TESTBEDRIFTEN_ORG, role="boss")


def test_grant_access_revoke_takes_the_role_away(demo):
    user = _contact()
    call_command("grant_access", "kontakt", TESTBEDRIFTEN_ORG, role="hr")
    assert has_any_access(_fresh(user))

    call_command("grant_access", "kontakt", TESTBEDRIFTEN_ORG, role="hr", revoke=True)

    assert not Grant.objects.filter(user=user).exists()
    assert _capabilities(user) == {}
    assert not has_any_access(_fresh(user))
    assert _employee_names(user) == set()


# -- the services -----------------------------------------------------------------------------


def test_grant_create_refuses_another_customers_department(world, cast):
    user = _contact()

    with pytest.raises(ValidationError):
        grant_create(
            user=user, customer=cast.testbedriften, role=Role.HR, departments=[cast.ek_main]
        )

    assert not Grant.objects.filter(user=user).exists()
    assert _capabilities(user) == {}


def test_grant_create_refuses_staff(world, cast):
    with pytest.raises(ValidationError):
        grant_create(user=cast.kam, customer=cast.testbedriften, role=Role.HR)

    assert not Grant.objects.filter(user=cast.kam).exists()


def test_grant_create_twice_is_one_grant(world, cast):
    user = _contact()

    grant_create(user=user, customer=cast.testbedriften, role=Role.ORDERER)
    grant_create(user=user, customer=cast.testbedriften, role=Role.ORDERER)

    assert Grant.objects.filter(user=user).count() == 1


def test_grant_revoke_keeps_what_another_role_gives(world, cast):
    """Given an orderer who is also finance, when finance is revoked, then the orderer's
    capabilities stay and the invoices go."""
    user = _contact()
    grant_create(user=user, customer=cast.testbedriften, role=Role.ORDERER)
    finance = grant_create(user=user, customer=cast.testbedriften, role=Role.FINANCE)

    grant_revoke(grant=finance)

    expected = {"view_orders", "place_orders", "confirm_orders"}
    assert _capabilities(user) == {"Testbedriften AS": expected, "Bergen TEST": expected}


def test_grant_revoke_of_the_last_grant_ends_portal_access(world, cast):
    grant_revoke(grant=world.tb_grant)

    assert _capabilities(cast.testweb) == {}
    assert not has_any_access(_fresh(cast.testweb))


# -- a new department ---------------------------------------------------------------------------


def test_a_new_department_is_visible_at_once_to_whole_customer_users(world, cast, login, client):
    """Given Testbedriften's users, when staff add the department "Stavanger TEST" with an
    employee, then the whole-customer users see them at once, the Bergen user does not, and
    the other customer's user does not."""
    stavanger = DepartmentFactory(customer=cast.testbedriften, name="Stavanger TEST")
    EmployeeFactory(
        department=stavanger, first_name="Fetter", last_name="Anton", email="fa@example.no"
    )

    seen = {}
    for member in (cast.testweb, cast.hr, cast.bergen, world.ek_grant.user):
        login(member)
        employees = client.get("/portal/employee/").content.decode()
        add_form = client.get("/portal/employee/add/").content.decode()
        seen[member.username] = (
            leaked(employees, ["Fetter Anton"]) != [],
            leaked(add_form, ["Stavanger TEST"]) != [],
        )

    assert seen == {
        "testweb": (True, True),
        "hrbruker": (True, True),
        "bergen": (False, False),
        "annen": (False, False),
    }


def test_a_new_department_is_covered_by_whole_customer_grants_only(world, cast):
    stavanger = DepartmentFactory(customer=cast.testbedriften, name="Stavanger TEST")

    assert "Stavanger TEST" in _capabilities(cast.hr)
    assert "Stavanger TEST" not in _capabilities(cast.bergen)
    assert Department.objects.get(pk=stavanger.pk).customer == cast.testbedriften


# -- logging in through the real form -------------------------------------------------------------


def _log_in(client, username, password="demo", language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.get("/login/")
    return client.post("/login/", {"username": username, "password": password})


def _form_messages(language) -> set[str]:
    """The refusals PortalAuthenticationForm can show, as a user reads them in `language`."""
    with translation.override(language):
        username = str(get_user_model()._meta.get_field("username").verbose_name)
        return {
            str(message) % {"username": username}
            for code, message in PortalAuthenticationForm.error_messages.items()
            if code != "inactive"  # Django's, for backends that authenticate inactive users
        }


def _refusal(response) -> str:
    (error,) = response.context["form"].non_field_errors()
    return error


def test_a_customer_user_with_a_grant_logs_in(world, client):
    response = _log_in(client, "testweb")

    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_user_without_grants_cannot_log_in(language, cast, client):
    response = _log_in(client, cast.no_grant.username, language=language)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert _refusal(response) in _form_messages(language)
    assert html.escape(_refusal(response)) in response.content.decode()


def test_the_refusal_is_in_norwegian_by_default_and_english_on_request(cast, client):
    norwegian = _refusal(_log_in(client, cast.no_grant.username))
    english = _refusal(_log_in(client, cast.no_grant.username, language="en"))

    assert norwegian in _form_messages("nb")
    assert english in _form_messages("en")
    assert norwegian != english


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_inactive_user_cannot_log_in(language, cast, client):
    response = _log_in(client, cast.inactive.username, language=language)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert _refusal(response) in _form_messages(language)


# -- inviting a contact ---------------------------------------------------------------------------

INVITE = {
    "email": "Ny.Kontakt@testikkeibruk.no",
    "first_name": "Ny",
    "last_name": "Kontakt",
    "role": "hr",
}


@pytest.fixture
def invitation(world, cast, login, django_capture_on_commit_callbacks):
    """kam invites a contact to Bergen TEST as HR; returns (user, link path)."""
    client = login(cast.kam)
    url = f"/portal/customer/{cast.testbedriften.pk}/invite-contact/"
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**INVITE, "departments": [str(cast.tb_bergen.pk)]})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/portal/customer/{cast.testbedriften.pk}/change/"
    client.logout()
    user = get_user_model().objects.get(username="ny.kontakt@testikkeibruk.no")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/invitasjon/\S+/)", message.body)
    assert link, message.body
    return user, message, link.group(1)


def _set_password(client, link, password="Et langt passord 42"):
    """Open the link and choose a password; the response of the last step."""
    opened = client.get(link)
    if opened.status_code != 302:
        return opened
    form_url = opened["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_staff_invite_a_contact_with_a_role_and_an_email(invitation, world, cast):
    user, message, link = invitation

    assert (user.email, user.first_name, user.last_name) == (
        "ny.kontakt@testikkeibruk.no",
        "Ny",
        "Kontakt",
    )
    assert not user.has_usable_password()
    grant = Grant.objects.get(user=user)
    assert (grant.customer, grant.role) == (cast.testbedriften, Role.HR)
    assert list(grant.departments.all()) == [cast.tb_bergen]
    assert message.to == ["ny.kontakt@testikkeibruk.no"]
    assert message.reply_to == ["kam@example.no"]  # the customer's KA/KAM
    assert link.startswith("/invitasjon/")


def test_the_invitation_link_sets_a_password_once(invitation, client):
    user, _message, link = invitation

    done = _set_password(client, link)

    assert done.status_code == 302
    assert done["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password("Et langt passord 42")
    assert _log_in(client, user.username, "Et langt passord 42").status_code == 302
    client.logout()

    again = client.get(link)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "Invitasjonslenken er utløpt eller allerede brukt." in again.content.decode()
    assert _set_password(client, link, "Et annet passord 43").status_code == 200
    user.refresh_from_db()
    assert user.check_password("Et langt passord 42")


def _later(days, seconds=0):
    """The clock, stopped this long after the invitation went out."""
    return time_machine.travel(
        timezone.now() + datetime.timedelta(days=days, seconds=seconds), tick=False
    )


def test_the_invitation_link_still_works_on_the_sixth_day(invitation, client):
    user, _message, link = invitation

    with _later(days=6, seconds=23 * 3600):
        done = _set_password(client, link)

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.has_usable_password()


def test_the_invitation_link_is_refused_after_seven_days(invitation, client):
    user, _message, link = invitation

    with _later(days=7, seconds=60):
        opened = client.get(link)
        posted = _set_password(client, link)

    assert opened.status_code == 200
    assert opened.context["validlink"] is False
    assert posted.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_revoking_through_the_grant_delete_view_ends_access(world, cast, login, client):
    """Given testweb's grant, when kam deletes it on the grant's delete page, then testweb's
    session sees nothing and testweb can no longer log in."""
    testweb = world.tb_grant.user
    login(cast.kam)
    delete_url = f"/permissions/grant/{world.tb_grant.pk}/delete/"
    assert client.get(delete_url).status_code == 200

    response = client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert not Grant.objects.filter(user=testweb).exists()
    assert _capabilities(testweb) == {}
    login(testweb)
    assert client.get("/portal/order/")["Location"].startswith("/login/")
    client.logout()
    refused = _log_in(client, "testweb")
    assert refused.status_code == 200
    assert _refusal(refused) in _form_messages("nb")


def test_staff_grant_and_revoke_on_the_grant_page_are_audited(cast, login):
    # given a customer user with no access yet
    contact = UserFactory(username="nykontakt")
    client = login(cast.kam)

    # when kam gives them HR on Bergen TEST on the grant page, then deletes the grant
    response = client.post(
        "/permissions/grant/add/",
        {
            "user": contact.pk,
            "customer": cast.testbedriften.pk,
            "role": Role.HR,
            "departments": [cast.tb_bergen.pk],
        },
    )
    assert response.status_code == 302
    grant = Grant.objects.get(user=contact)
    capabilities = _capabilities(contact)
    events = list(audit_for(grant))

    client.post(f"/permissions/grant/{grant.pk}/delete/", {"post": "yes"})

    # then the access followed the grant, and the audit trail says who did what and when
    assert capabilities == {"Bergen TEST": {str(c) for c in ROLE_CAPABILITIES[Role.HR]}}
    assert _capabilities(contact) == {}
    [granted] = events
    assert (granted.actor, granted.action) == (cast.kam, "granted")
    assert granted.changes == {"role": [None, "hr"], "departments": [None, ["Bergen TEST"]]}
    revoked = AuditEvent.objects.filter(action="revoked", object_id=str(grant.pk)).get()
    assert revoked.actor == cast.kam


def test_the_grant_list_counts_portaltilganger_in_norwegian(demo, login):
    count = Grant.objects.count()
    assert count > 1

    page = login("admin").get("/permissions/grant/")

    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    assert f"{count} portaltilganger" in text
