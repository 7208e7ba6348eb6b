# ruff: noqa: E501 -- the matrices are wide tables on purpose: one row per URL, one column per user.
"""Who may do what with exposures, exposure types and the due list («Helseovervåking»), over
the fixed cast, for a GET (what is shown) and for a POST (what changes).

Exposures follow their employee: whoever sees the employee sees them, whoever may manage the
employee keeps them. Exposure types are the provider's, kept by staff. The expected answers are
written out here, not worked out from the code under test.
"""

import datetime

import pytest

from audit.models import AuditEvent
from portal.models import Exposure, ExposureType, Order
from portal.services.exposures import exposure_create

from .helpers import CAST, DENY, GONE, LOGIN, OK, assert_matrix, hidden_names, staff_form_data

# fmt: off
#  columns:                                        superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
GET_MATRIX = [
    ("/portal/surveillancedue/",                   (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/surveillancedue/?status=overdue",    (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/surveillancedue/export/",            (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/surveillancedue/{donald}/change/",   (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposure/",                          (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposure/add/",                      (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposure/{donald}/change/",          (OK,      OK,    OK,      DENY,   OK,   DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposure/{anton}/change/",           (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposure/{ola}/change/",             (OK,      OK,    GONE,    DENY,   GONE, DENY,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposure/999999/change/",            (GONE,    GONE,  GONE,    DENY,   GONE, DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposuretype/",                      (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposuretype/add/",                  (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/exposuretype/{noise}/change/",       (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{e_donald}/add-exposure/",  ("302 → /portal/exposure/add/?employee={e_donald}",) * 3 + (DENY, "302 → /portal/exposure/add/?employee={e_donald}", DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    ("/portal/employee/{e_ola}/add-exposure/",     ("302 → /portal/exposure/add/?employee={e_ola}",) * 2 + (DENY, DENY, DENY, DENY, DENY, "302 → /portal/exposure/add/?employee={e_ola}", LOGIN, LOGIN, LOGIN)),
]

# What a POST achieves: True where it went through.
#  columns:                       superuser staff  cust.adm orderer hr     finance bergen other  no_grant inactive anonymous
POST_MATRIX = {
    "add for Donald":            (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "add for Anton":             (True,     True,  True,    False,  True,  False,  True,  False, False,   False,   False),
    "add for Ola":               (True,     True,  False,   False,  False, False,  False, True,  False,   False,   False),
    "end Donald's":              (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "change the noise type":     (True,     True,  False,   False,  False, False,  False, False, False,   False,   False),
    "order a check for Donald":  (True,     True,  True,    False,  False, False,  False, False, False,   False,   False),
    "order a check for Ola":     (True,     True,  False,   False,  False, False,  False, True,  False,   False,   False),
}
# fmt: on


@pytest.fixture
def exposures(world, cast):
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=cast.product_group, first_check_months=6,
        interval_months=36,
    )  # fmt: skip
    made = {
        name: exposure_create(
            actor=cast.superuser,
            employee=getattr(cast, name),
            exposure_type=noise,
            starts_on=datetime.date(2024, 1, 1),
            note=f"Verksted {name}",
        )
        for name in ("donald", "anton", "ola")
    }
    return noise, made


def _fill(cast, exposures):
    noise, made = exposures
    ids = {name: exposure.pk for name, exposure in made.items()}
    return {**ids, "noise": noise.pk, "e_donald": cast.donald.pk, "e_ola": cast.ola.pk}


def _hidden(member, cast) -> list[str]:
    """What a customer user must never read: the other customer's exposures' notes."""
    notes = {
        "testweb": ["Verksted ola"], "orderer": ["Verksted ola"], "hr": ["Verksted ola"],
        "finance": ["Verksted ola"], "bergen": ["Verksted ola", "Verksted donald"],
        "annen": ["Verksted donald", "Verksted anton"],
    }  # fmt: skip
    return [*hidden_names(member, cast), *notes.get(member, [])]


@pytest.mark.parametrize("member", CAST)
def test_exposure_pages_answer_a_get_as_the_matrix_says(member, cast, world, exposures, client):
    fill = _fill(cast, exposures)
    matrix = [
        (url, tuple(a.format(**fill) if isinstance(a, str) else a for a in row))
        for url, row in GET_MATRIX
    ]
    getattr(cast, member)
    before = (Exposure.objects.count(), AuditEvent.objects.count())

    assert_matrix(
        client, cast, member, matrix, world=world, fill=fill, hidden=_hidden(member, cast)
    )
    assert (Exposure.objects.count(), AuditEvent.objects.count()) == before


def test_the_due_list_shows_each_user_only_their_own_employees(cast, world, exposures, client):
    seen = {}
    for member in ("testweb", "bergen", "annen", "kam"):
        client.force_login(getattr(cast, member))
        text = client.get("/portal/surveillancedue/").content.decode()
        seen[member] = {
            name for name in ("Donald Duck", "Anton Duck", "Ola Nordmann") if name in text
        }
    assert seen == {
        "testweb": {"Donald Duck", "Anton Duck"},
        "bergen": {"Anton Duck"},
        "annen": {"Ola Nordmann"},
        "kam": {"Donald Duck", "Anton Duck", "Ola Nordmann"},
    }


@pytest.mark.parametrize("member", CAST)
def test_exposure_posts_change_only_what_the_matrix_allows(member, cast, world, exposures, client):
    noise, made = exposures
    user = getattr(cast, member)
    column = CAST.index(member)
    if user is not None:
        client.force_login(user)

    def add(employee):
        data = staff_form_data("/portal/exposure/add/")
        data.update(
            employee=str(employee.pk), exposure_type=str(noise.pk), starts_on="01.02.2026",
            note="Ny " + employee.first_name,
        )  # fmt: skip
        client.post("/portal/exposure/add/", data)
        return Exposure.objects.filter(note="Ny " + employee.first_name).exists()

    happened = {
        "add for Donald": add(cast.donald),
        "add for Anton": add(cast.anton),
        "add for Ola": add(cast.ola),
    }
    donald = made["donald"]
    data = staff_form_data(f"/portal/exposure/{donald.pk}/change/")
    data["ends_on"] = "30.11.2026"
    client.post(f"/portal/exposure/{donald.pk}/change/", data)
    happened["end Donald's"] = Exposure.objects.get(pk=donald.pk).ends_on is not None
    data = staff_form_data(f"/portal/exposuretype/{noise.pk}/change/")
    data["interval_months"] = "24"
    client.post(f"/portal/exposuretype/{noise.pk}/change/", data)
    happened["change the noise type"] = ExposureType.objects.get(pk=noise.pk).interval_months == 24

    for name in ("donald", "ola"):
        employee = getattr(cast, name)
        client.post(
            "/portal/surveillancedue/",
            {"action": "order_checks", "_selected_action": [str(made[name].pk)], "index": "0"},
        )
        happened[f"order a check for {employee.first_name}"] = Order.objects.filter(
            description__contains=employee.full_name
        ).exists()

    expected = {action: row[column] for action, row in POST_MATRIX.items()}
    assert happened == expected, f"{member} ({user})"
