"""The role «Helsepersonell»: the only users who read health declarations. A superuser does not
get it implicitly, unlike every other permission."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from permissions.capabilities import STAFF_GROUP_HEALTH_PERSONNEL
from permissions.health import may_define_questionnaires, may_read_health_answers

from .helpers import CAST

# Every member of the cast, with health personnel and customer service: (reads answers,
# defines questionnaires). Exactly one reads answers.
EXPECTED = {
    "superuser": (False, True),
    "kam": (False, True),
    "health": (True, True),
    "customer_service": (False, False),
    "testweb": (False, False),
    "orderer": (False, False),
    "hr": (False, False),
    "finance": (False, False),
    "bergen": (False, False),
    "annen": (False, False),
    "no_grant": (False, False),
    "inactive": (False, False),
    "anonymous": (False, False),
}


def test_the_table_covers_the_whole_cast():
    assert set(CAST) < set(EXPECTED)
    assert [name for name, (reads, _defines) in EXPECTED.items() if reads] == ["health"]


@pytest.mark.parametrize("name", EXPECTED)
def test_who_reads_answers_and_who_defines_questionnaires(cast, name):
    user = getattr(cast, name) or AnonymousUser()

    reads, defines = EXPECTED[name]
    assert may_read_health_answers(user) is reads
    assert may_define_questionnaires(user) is defines


def test_a_superuser_does_not_read_answers_though_django_says_they_have_every_permission(cast):
    # Django's own answer is yes: that is why the check does not ask it
    assert cast.superuser.has_perm("health.read_answers")

    assert not may_read_health_answers(cast.superuser)


def test_a_superuser_given_the_role_reads_answers(cast):
    cast.superuser.groups.add(Group.objects.get(name=STAFF_GROUP_HEALTH_PERSONNEL))

    assert may_read_health_answers(cast.superuser)


def test_the_permission_given_to_a_staff_user_directly_counts(cast):
    cast.kam.user_permissions.add(
        Permission.objects.get(content_type__app_label="health", codename="read_answers")
    )

    assert may_read_health_answers(cast.kam)


def test_a_customer_user_holding_the_permission_still_reads_nothing(cast):
    # staff only: a customer user who somehow holds the permission is refused all the same
    cast.testweb.user_permissions.add(
        Permission.objects.get(content_type__app_label="health", codename="read_answers")
    )

    assert not may_read_health_answers(cast.testweb)


def test_deactivated_health_personnel_read_nothing(cast):
    cast.health.is_active = False
    cast.health.save(update_fields=["is_active"])

    assert not may_read_health_answers(cast.health)
