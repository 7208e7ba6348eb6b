"""The employee tests' people beyond the cast: the KA/KAM allowed to reveal national ids, and
Donald Duck with a national id registered."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from portal import services

from .helpers import NUMBER


@pytest.fixture
def reveal_permission(cast):
    """kam, now holding portal.reveal_national_id."""
    cast.kam.user_permissions.add(
        Permission.objects.get(content_type__app_label="portal", codename="reveal_national_id")
    )
    return get_user_model().objects.get(pk=cast.kam.pk)


@pytest.fixture
def donald_with_number(cast):
    """Donald Duck with the national id NUMBER registered (through the service)."""
    services.employee_update(employee=cast.donald, actor=cast.testweb, national_id=NUMBER)
    cast.donald.refresh_from_db()
    return cast.donald
