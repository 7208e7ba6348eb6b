"""The KA/KAM's phone: typed as people type it, stored in one form, shown and dialled."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from portal.models import StaffProfile
from tests.factories import StaffFactory


@pytest.mark.parametrize("typed", ["23456789", "234 56 789", "+47 23 45 67 89", "0047 23456789"])
def test_a_norwegian_number_is_stored_as_eight_digits(typed, db):
    profile = StaffProfile(user=StaffFactory(), phone=typed)

    profile.full_clean()

    assert profile.phone == "23456789"
    assert profile.phone_display == "234 56 789"
    assert profile.phone_uri == "tel:+4723456789"


def test_a_foreign_number_keeps_its_country_code(db):
    profile = StaffProfile(user=StaffFactory(), phone="+46 70 123 45 67")

    profile.full_clean()

    assert profile.phone_uri == "tel:+46701234567"


def test_letters_are_refused_beside_the_field(db):
    profile = StaffProfile(user=StaffFactory(), phone="ring meg")

    with pytest.raises(ValidationError) as refused:
        profile.full_clean()

    assert list(refused.value.message_dict) == ["phone"]


def test_the_superuser_sets_the_phone_on_the_users_page(demo, login):
    client = login("admin")
    kam = get_user_model().objects.get(username="kam")

    page = client.get(f"/auth/user/{kam.pk}/change/")

    assert page.status_code == 200
    assert 'name="staff_profile-0-phone"' in page.content.decode()
    assert 'value="23456789"' in page.content.decode()


def test_without_a_phone_the_account_manager_is_shown_with_name_and_e_mail(demo, login):
    StaffProfile.objects.all().delete()

    response = login("testweb").get("/")

    page = response.content.decode()
    assert "Kari Kundeansvarlig" in page
    assert 'href="mailto:kam@example.no"' in page
    assert "tel:" not in page
