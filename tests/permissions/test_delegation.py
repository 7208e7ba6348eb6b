"""«Brukere og tilganger»: a customer's administrator invites colleagues, changes their role
or departments and revokes their access, never beyond what they hold themselves; every
change is audited, and the KA/KAM hears of administrators added or removed."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import UserSession
from audit.models import AuditEvent
from permissions.capabilities import Role
from permissions.delegation import last_administrator_check
from permissions.models import DepartmentUserObjectPermission, Grant
from permissions.services import grant_change, grant_create, grant_revoke
from portal.models import Notification
from tests.factories import UserFactory, customer_user

INVITE = {"email": "kollega@testikkeibruk.no", "first_name": "Kari", "last_name": "Kollega"}


@pytest.fixture(autouse=True)
def people(cast):
    """The Bergen TEST administrator and HR user, and an HR user of the whole customer, made
    before any test counts what there is."""
    cast.make("bergen", "bergen_hr", "hr")


def _state():
    """Everything a refused change must leave as it was."""
    return (
        sorted(
            (g.user_id, g.customer_id, g.role, tuple(sorted(d.pk for d in g.departments.all())))
            for g in Grant.objects.prefetch_related("departments")
        ),
        DepartmentUserObjectPermission.objects.count(),
        AuditEvent.objects.count(),
        get_user_model().objects.count(),
        len(mail.outbox),
    )


def _grant(user) -> Grant:
    return Grant.objects.get(user=user)


# -- who may: the services --------------------------------------------------------------------


def test_a_department_administrator_cannot_grant_on_another_department(cast):
    colleague = UserFactory(username="kollega")
    before = _state()

    with pytest.raises(ValidationError) as refused:
        grant_create(
            user=colleague,
            customer=cast.testbedriften,
            role=Role.HR,
            departments=[cast.tb_main],
            actor=cast.bergen,
        )

    assert "departments" in refused.value.message_dict
    assert "Testbedriften AS" in refused.value.message_dict["departments"][0]
    assert _state() == before


def test_a_department_administrator_cannot_grant_the_whole_customer(cast):
    colleague = UserFactory(username="kollega")
    before = _state()

    with pytest.raises(ValidationError) as refused:
        grant_create(user=colleague, customer=cast.testbedriften, role=Role.HR, actor=cast.bergen)

    assert "departments" in refused.value.message_dict
    assert _state() == before


def test_a_department_administrator_grants_on_their_own_department(cast):
    colleague = UserFactory(username="kollega")

    grant = grant_create(
        user=colleague,
        customer=cast.testbedriften,
        role=Role.HR,
        departments=[cast.tb_bergen],
        actor=cast.bergen,
    )

    assert list(grant.departments.all()) == [cast.tb_bergen]
    assert grant.granted_by == cast.bergen


def test_nobody_raises_their_own_role(cast):
    own = _grant(cast.bergen)
    before = _state()

    with pytest.raises(ValidationError):
        grant_change(grant=own, role=Role.ADMIN, departments=[], actor=cast.bergen)
    with pytest.raises(ValidationError):
        grant_create(
            user=cast.bergen,
            customer=cast.testbedriften,
            role=Role.FINANCE,
            departments=[cast.tb_bergen],
            actor=cast.bergen,
        )

    assert _state() == before


def test_a_department_administrator_cannot_touch_a_whole_customer_grant(cast):
    before = _state()

    for attempt in (
        lambda: grant_revoke(grant=_grant(cast.testweb), actor=cast.bergen),
        lambda: grant_change(
            grant=_grant(cast.testweb),
            role=Role.HR,
            departments=[cast.tb_bergen],
            actor=cast.bergen,
        ),
    ):
        with pytest.raises(ValidationError):
            attempt()

    assert _state() == before


def test_the_last_administrator_cannot_be_removed_by_a_customer_user(cast):
    """testweb is Testbedriften's last administrator besides the Bergen TEST one: the Bergen
    administrator neither removes nor demotes them, and the rule itself refuses any customer
    user who would leave the customer without an administrator."""
    last = _grant(cast.testweb)
    before = _state()

    with pytest.raises(ValidationError):
        grant_revoke(grant=last, actor=cast.bergen)
    with pytest.raises(ValidationError):
        grant_change(grant=last, role=Role.HR, departments=[cast.tb_bergen], actor=cast.bergen)
    assert _state() == before

    cast.bergen.portal_grants.all().delete()  # testweb alone now
    with pytest.raises(ValidationError) as refused:
        last_administrator_check(actor=cast.hr, grant=last, role=None)
    assert refused.value.messages == ["Testbedriften AS må ha minst én administrator."]
    with pytest.raises(ValidationError):
        last_administrator_check(actor=cast.hr, grant=last, role=Role.FINANCE)
    last_administrator_check(actor=cast.hr, grant=last, role=Role.ADMIN)
    last_administrator_check(actor=cast.kam, grant=last, role=None)


def test_staff_may_remove_the_last_administrator(cast):
    grant_revoke(grant=_grant(cast.testweb), actor=cast.kam)

    assert not Grant.objects.filter(user=cast.testweb).exists()


# -- the page ----------------------------------------------------------------------------------


def test_the_page_lists_who_has_access_with_role_and_departments(cast, login):
    cast.make("hr", "bergen_hr")
    response = login(cast.testweb).get("/tilganger/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Brukere og tilganger" in page
    assert "Inviter kollega" in page
    rows = re.findall(r'data-testid="colleague-row">(.*?)</tr>', page, re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert any("Bergenhr" in row and "HR" in row and "Bergen TEST" in row for row in text)
    assert any("Hrbruker" in row and "Alle" in row for row in text)


def test_a_department_administrator_sees_only_grants_reaching_their_departments(cast, login):
    on_main = customer_user("hovedkontor", cast.testbedriften, Role.HR, departments=[cast.tb_main])
    cast.make("bergen_hr")

    page = login(cast.bergen).get("/tilganger/").content.decode()

    assert "Bergenhr" in page
    assert on_main.first_name not in page
    # testweb's whole-customer grant reaches Bergen TEST: shown, without «Endre»
    assert f"/tilganger/{_grant(cast.testweb).pk}/endre/" not in page
    assert f"/tilganger/{_grant(cast.bergen_hr).pk}/endre/" in page
    assert client_get_status(cast.bergen, f"/tilganger/{_grant(on_main).pk}/endre/") == 404


def client_get_status(user, url) -> int:
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


def test_the_invite_form_offers_only_the_administrators_departments(cast, login):
    form = login(cast.bergen).get("/tilganger/inviter/").context["form"]

    assert list(form.fields["departments"].queryset) == [cast.tb_bergen]
    assert form.fields["departments"].required


def test_an_administrator_invites_a_colleague_with_the_staff_invitation(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.bergen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tilganger/inviter/",
            {**INVITE, "role": "hr", "departments": [str(cast.tb_bergen.pk)]},
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/tilganger/"
    colleague = get_user_model().objects.get(username="kollega@testikkeibruk.no")
    grant = _grant(colleague)
    assert (grant.role, list(grant.departments.all())) == (Role.HR, [cast.tb_bergen])
    (message,) = mail.outbox
    assert message.to == ["kollega@testikkeibruk.no"]
    assert re.search(r"/invitasjon/\S+/", message.body)


def test_a_forged_invitation_on_another_department_changes_nothing(cast, login):
    client = login(cast.bergen)
    before = _state()

    response = client.post(
        "/tilganger/inviter/", {**INVITE, "role": "hr", "departments": [str(cast.tb_main.pk)]}
    )

    assert response.status_code == 200
    assert "departments" in response.context["form"].errors
    assert _state() == before


def test_a_forged_invitation_for_the_whole_customer_changes_nothing(cast, login):
    client = login(cast.bergen)
    before = _state()

    response = client.post("/tilganger/inviter/", {**INVITE, "role": "admin"})

    assert response.status_code == 200
    assert "departments" in response.context["form"].errors
    assert _state() == before


def test_forged_posts_on_grants_out_of_reach_are_missing_and_change_nothing(cast, login):
    on_main = customer_user("hovedkontor", cast.testbedriften, Role.HR, departments=[cast.tb_main])
    other_customer = _grant(cast.annen)
    client = login(cast.bergen)
    before = _state()

    answers = [
        client.post(f"/tilganger/{grant.pk}/{step}/", data).status_code
        for grant in (_grant(on_main), other_customer)
        for step, data in (
            ("endre", {"role": "admin", "departments": [str(cast.tb_bergen.pk)]}),
            ("fjern", {}),
        )
    ]

    assert answers == [404, 404, 404, 404]
    assert _state() == before


def test_a_forged_post_on_the_own_grant_is_missing_and_changes_nothing(cast, login):
    own = _grant(cast.bergen)
    client = login(cast.bergen)
    before = _state()

    changed = client.post(
        f"/tilganger/{own.pk}/endre/", {"role": "admin", "departments": [str(cast.tb_bergen.pk)]}
    )
    revoked = client.post(f"/tilganger/{own.pk}/fjern/")

    assert changed.status_code == revoked.status_code == 404
    assert _state() == before


def test_a_refusal_of_the_service_shows_on_the_form_and_changes_nothing(cast, login):
    """A role the colleague holds already: the form names the field, nothing is saved."""
    colleague = cast.bergen_hr
    grant_create(
        user=colleague,
        customer=cast.testbedriften,
        role=Role.ORDERER,
        departments=[cast.tb_bergen],
        actor=cast.bergen,
    )
    grant = Grant.objects.get(user=colleague, role=Role.HR)
    before = _state()

    response = login(cast.bergen).post(
        f"/tilganger/{grant.pk}/endre/",
        {"role": "orderer", "departments": [str(cast.tb_bergen.pk)]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "Bergenhr Testbruker har allerede rollen Bestiller."
    ]
    assert _state() == before


def test_an_administrator_changes_a_colleagues_role_and_departments(cast, login):
    colleague = cast.hr
    grant = _grant(colleague)

    response = login(cast.testweb).post(
        f"/tilganger/{grant.pk}/endre/",
        {"role": "finance", "departments": [str(cast.tb_bergen.pk)]},
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.role, list(grant.departments.all())) == (Role.FINANCE, [cast.tb_bergen])
    event = AuditEvent.objects.filter(action="changed", object_id=str(grant.pk)).get()
    assert event.actor == cast.testweb
    assert event.changes == {
        "role": ["hr", "finance"],
        "departments": [[], ["Bergen TEST"]],
    }


def test_revoking_ends_the_colleagues_sessions_at_once(cast, login):
    colleague = cast.bergen_hr
    elsewhere = Client()
    elsewhere.force_login(colleague)
    phone = Client()
    phone.force_login(colleague)
    assert elsewhere.get("/").status_code == 200
    assert UserSession.objects.filter(user=colleague).count() == 2
    grant = _grant(colleague)

    response = login(cast.bergen).post(f"/tilganger/{grant.pk}/fjern/")

    assert response.status_code == 302
    assert not Grant.objects.filter(user=colleague).exists()
    assert not UserSession.objects.filter(user=colleague).exists()
    assert not Session.objects.filter(
        session_key__in=[elsewhere.session.session_key, phone.session.session_key]
    ).exists()
    assert elsewhere.get("/")["Location"].startswith("/login/")
    # the administrator's own session goes on
    assert login(cast.bergen).get("/tilganger/").status_code == 200


def test_revoking_asks_first(cast, login):
    grant = _grant(cast.bergen_hr)

    response = login(cast.bergen).get(f"/tilganger/{grant.pk}/fjern/")

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert Grant.objects.filter(pk=grant.pk).exists()


# -- the log and the KA/KAM ------------------------------------------------------------------------


def test_every_change_is_in_the_customers_access_changelog_only(cast, login):
    colleague = cast.bergen_hr
    grant_change(
        grant=_grant(colleague), role=Role.ORDERER, departments=[cast.tb_bergen], actor=cast.bergen
    )
    grant_revoke(grant=_grant(colleague), actor=cast.bergen)
    other = customer_user("annenkollega", cast.eksempel, Role.HR)

    page = login(cast.testweb).get("/tilganger/").content.decode()
    log = page[page.index("Endringslogg for tilganger") :]

    rows = re.findall(r'data-testid="changelog-row"', log)
    assert len(rows) >= 3  # granted, changed, revoked
    assert "Tilgang fjernet" in log
    assert "Endret" in log
    assert other.first_name not in page
    # and staff read the same on their audit trail
    trail = login(cast.kam).get("/revisjonslogg/?kind=access").content.decode()
    assert "Tilgang fjernet" in trail


def test_the_ka_kam_is_told_when_a_customer_adds_or_removes_an_administrator(cast):
    colleague = UserFactory(username="nyadmin", first_name="Nina", last_name="Admin")

    grant = grant_create(
        user=colleague,
        customer=cast.testbedriften,
        role=Role.ADMIN,
        departments=[cast.tb_bergen],
        actor=cast.bergen,
    )
    grant_revoke(grant=grant, actor=cast.bergen)
    grant_create(user=colleague, customer=cast.testbedriften, role=Role.HR, actor=cast.testweb)

    told = Notification.objects.filter(recipient=cast.kam, text__contains="Nina Admin")
    assert list(told.order_by("pk").values_list("text", "link")) == [
        (
            "Bergen Testbruker har gjort Nina Admin til administrator for Testbedriften AS.",
            f"/portal/customer/{cast.testbedriften.pk}/change/",
        ),
        (
            "Bergen Testbruker har fjernet Nina Admin som administrator for Testbedriften AS.",
            f"/portal/customer/{cast.testbedriften.pk}/change/",
        ),
    ]


def test_staff_changes_are_not_reported_to_the_ka_kam(cast):
    colleague = UserFactory(username="nyadmin")

    grant_create(user=colleague, customer=cast.testbedriften, role=Role.ADMIN, actor=cast.kam)

    assert not Notification.objects.filter(recipient=cast.kam, text__contains="administrator")


def test_a_session_whose_key_changed_with_a_new_password_is_ended_too(cast, login):
    """Changing the password gives the session a new key; revoking still ends it (the
    colleague keeps another role, so only the ended session sends them to the login)."""
    colleague = cast.bergen_hr
    grant_create(
        user=colleague,
        customer=cast.testbedriften,
        role=Role.ORDERER,
        departments=[cast.tb_bergen],
        actor=cast.bergen,
    )
    colleague.set_password("Et gammelt passord 41")
    colleague.save()
    browser = Client()
    browser.force_login(colleague)
    key_before = browser.session.session_key
    changed = browser.post(
        "/password_change/",
        {
            "old_password": "Et gammelt passord 41",
            "new_password1": "Et langt passord 42",
            "new_password2": "Et langt passord 42",
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    assert browser.session.session_key != key_before
    assert list(
        UserSession.objects.filter(user=colleague).values_list("session_key", flat=True)
    ) == [browser.session.session_key]

    assert browser.get("/").status_code == 200
    hr = Grant.objects.get(user=colleague, role=Role.HR)

    login(cast.bergen).post(f"/tilganger/{hr.pk}/fjern/")

    assert browser.get("/")["Location"].startswith("/login/")
    assert Grant.objects.filter(user=colleague, role=Role.ORDERER).exists()


def test_a_department_administrator_reads_only_the_changes_reaching_their_departments(cast, login):
    on_main = customer_user("hovedkontor", cast.testbedriften, Role.HR, departments=[cast.tb_main])
    grant_change(
        grant=_grant(on_main), role=Role.ORDERER, departments=[cast.tb_main], actor=cast.testweb
    )
    grant_change(
        grant=_grant(cast.bergen_hr),
        role=Role.FINANCE,
        departments=[cast.tb_bergen],
        actor=cast.bergen,
    )

    bergen_log = login(cast.bergen).get("/tilganger/").context["changelog"]
    testweb_log = login(cast.testweb).get("/tilganger/").context["changelog"]

    assert not [row for row in bergen_log if "hovedkontor" in row.object_label]
    assert [row for row in bergen_log if "bergenhr" in row.object_label]
    assert len([row for row in testweb_log if "hovedkontor" in row.object_label]) == 2
