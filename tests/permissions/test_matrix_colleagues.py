# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""«Brukere og tilganger» over the fixed cast: a customer's administrators only, each on the
grants they may change; any other grant answers as one that does not exist. Staff manage
access under «Portaltilgang» and get 403 here. The expected answers are written out.

Every POST of the pages, forged by every member of the cast, either does what the page
offers that member or is refused and changes nothing.
"""

import pytest
from django.db import transaction

from audit.models import AuditEvent
from permissions.capabilities import Role
from permissions.models import DepartmentUserObjectPermission, Grant
from tests.factories import customer_user

from .helpers import CAST, DENY, LOGIN, OK, assert_matrix

MISSING = 404
DONE = "302 → /tilganger/"


@pytest.fixture
def grants(cast):
    """Testbedriften's grants on each department alone, besides testweb's and annen's whole
    customer ones: the HR user of Bergen TEST, and an HR user of «Testbedriften AS» only."""
    main_hr = customer_user("hovedhr", cast.testbedriften, Role.HR, departments=[cast.tb_main])
    cast.make("bergen", "bergen_hr", "orderer", "hr", "finance", "no_grant", "inactive")
    return {
        "bergen_hr": Grant.objects.get(user=cast.bergen_hr),
        "main_hr": Grant.objects.get(user=main_hr),
        "testweb": Grant.objects.get(user=cast.testweb),
        "bergen": Grant.objects.get(user=cast.bergen),
        "annen": Grant.objects.get(user=cast.annen),
    }


# fmt: off
#  columns:                             superuser staff    cust.adm orderer  hr       finance  bergen   other    no_grant inactive anonymous
MATRIX = [
    ("/tilganger/",                     (DENY,    DENY,    OK,      DENY,    DENY,    DENY,    OK,      OK,      LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/inviter/",             (DENY,    DENY,    OK,      DENY,    DENY,    DENY,    OK,      OK,      LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{bergen_hr.pk}/endre/", (DENY,   DENY,    OK,      DENY,    DENY,    DENY,    OK,      MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{bergen_hr.pk}/fjern/", (DENY,   DENY,    OK,      DENY,    DENY,    DENY,    OK,      MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{main_hr.pk}/endre/",  (DENY,    DENY,    OK,      DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{main_hr.pk}/fjern/",  (DENY,    DENY,    OK,      DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    # testweb's own grant, on the whole customer: not theirs to change, nor Bergen's.
    ("/tilganger/{testweb.pk}/endre/",  (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{testweb.pk}/fjern/",  (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{bergen.pk}/endre/",   (DENY,    DENY,    OK,      DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{annen.pk}/endre/",    (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{annen.pk}/fjern/",    (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/999999/endre/",        (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/999999/fjern/",        (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
]

# The POSTs, forged by each member: the role and departments they name are Bergen TEST's.
#  columns:                             superuser staff    cust.adm orderer  hr       finance  bergen   other    no_grant inactive anonymous
POSTS = [
    ("/tilganger/{bergen_hr.pk}/endre/", (DENY,   DENY,    DONE,    DENY,    DENY,    DENY,    DONE,    MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{bergen_hr.pk}/fjern/", (DENY,   DENY,    DONE,    DENY,    DENY,    DENY,    DONE,    MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{main_hr.pk}/endre/",  (DENY,    DENY,    DONE,    DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{main_hr.pk}/fjern/",  (DENY,    DENY,    DONE,    DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{testweb.pk}/endre/",  (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{testweb.pk}/fjern/",  (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{bergen.pk}/fjern/",   (DENY,    DENY,    DONE,    DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{annen.pk}/endre/",    (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/tilganger/{annen.pk}/fjern/",    (DENY,    DENY,    MISSING, DENY,    DENY,    DENY,    MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    # An invitation on Bergen TEST: the administrators of Testbedriften may; annen's form has
    # no such department (the form names the field: 200, nothing saved).
    ("/tilganger/inviter/",             (DENY,    DENY,    DONE,    DENY,    DENY,    DENY,    DONE,    OK,      LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.mark.parametrize("member", CAST)
def test_the_pages_of_users_and_access(member, cast, world, grants, client):
    assert_matrix(client, cast, member, MATRIX, world=world, fill=grants)


def _state():
    return (
        sorted(
            (g.user_id, g.role, tuple(sorted(d.pk for d in g.departments.all())))
            for g in Grant.objects.prefetch_related("departments")
        ),
        DepartmentUserObjectPermission.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("member", CAST)
def test_every_post_is_done_or_refused_with_nothing_changed(member, cast, world, grants, client):
    """Each POST on a fresh state (rolled back after it), as `member` forges it."""
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)
    data = {
        "role": "finance",
        "departments": [str(cast.tb_bergen.pk)],
        "email": "forfalsket@testikkeibruk.no",
        "first_name": "For",
        "last_name": "Falsket",
    }
    wrong = []
    for template, answers in POSTS:
        expected = answers[CAST.index(member)]
        url = template.format(**grants)
        with transaction.atomic():
            before = _state()
            response = client.post(url, data)
            got = response.status_code
            if got == 302:
                location = response["Location"]
                got = LOGIN if location.startswith("/login/") else f"302 → {location}"
            if got != expected:
                wrong.append(f"POST {url}: expected {expected}, got {got}")
            elif expected != DONE and _state() != before:
                wrong.append(f"POST {url}: refused, yet something changed")
            transaction.set_rollback(True)

    assert not wrong, f"{member}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("member", CAST)
def test_the_menu_shows_users_and_access_to_customer_administrators_only(
    member, cast, world, grants, client
):
    user = getattr(cast, member)
    if user is None or not user.is_active or member == "no_grant":
        return  # no menu: the login page
    client.force_login(user)

    shown = 'href="/tilganger/"' in client.get("/").content.decode()

    assert shown == (member in ("testweb", "bergen", "annen"))
