"""Who the benchmark signs in as: a user of a whole customer, a user of one department, a
KA/KAM and a superuser, and how they sign in without leaving a trace."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.test import Client
from django.test.utils import override_settings

from accounts.two_factor import SECOND_FACTOR_PENDING
from devtools.world import (
    WORLD_CUSTOMER_USER,
    WORLD_DEPARTMENT_USER,
    WORLD_KAM_USER,
    WORLD_SUPERUSER,
)

CUSTOMER, DEPARTMENT, STAFF, SUPERUSER = "customer", "department", "staff", "superuser"
ROLES = (CUSTOMER, DEPARTMENT, STAFF, SUPERUSER)
CUSTOMER_ROLES = (CUSTOMER, DEPARTMENT)
ROLE_NAMES = {
    CUSTOMER: "customer user",
    DEPARTMENT: "department user",
    STAFF: "staff user",
    SUPERUSER: "superuser",
}
ROLE_OPTIONS = {  # the command's option that names the role's user
    CUSTOMER: "--customer-user",
    DEPARTMENT: "--department-user",
    STAFF: "--staff-user",
    SUPERUSER: "--superuser",
}
DEFAULT_USERNAMES = {
    CUSTOMER: WORLD_CUSTOMER_USER,
    DEPARTMENT: WORLD_DEPARTMENT_USER,
    STAFF: WORLD_KAM_USER,
    SUPERUSER: WORLD_SUPERUSER,
}
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class BenchmarkError(Exception):
    pass


def users_resolve(usernames: dict[str, str]) -> dict:
    """The users by role, in the order of ROLES; every one missing or inactive is named."""
    found = get_user_model().objects.in_bulk(list(usernames.values()), field_name="username")
    users, problems = {}, []
    for role in (role for role in ROLES if role in usernames):
        username = usernames[role]
        user = found.get(username)
        option = ROLE_OPTIONS[role]
        if user is None:
            problems.append(f"there is no user '{username}' (the {ROLE_NAMES[role]}, {option})")
        elif not user.is_active:
            problems.append(f"the {ROLE_NAMES[role]} '{username}' is not active ({option})")
        else:
            users[role] = user
    if problems:
        raise BenchmarkError(
            "; ".join(problems).capitalize()
            + ". Create them (generate_world makes the world-* users), name others with the "
            "options, or leave roles out with --users."
        )
    return users


@contextmanager
def portal_as_deployed():
    """Requests as a browser's would go, outside the test runner: the test client's host,
    queries not kept (DEBUG off), no second factor asked, django-axes out of the way (its
    login log untouched) and no error mail to the admins for a page that fails."""
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        DEBUG=False,
        PORTAL_REQUIRE_STAFF_2FA=False,
        AXES_ENABLED=False,
        ADMINS=[],
    ):
        yield


def client_signed_in(user) -> Client:
    """A client with a session of `user`; the sign-in itself records nothing (last_login stays
    as it was) and owes no second factor."""
    client = Client(raise_request_exception=False)
    quiet = user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    try:
        client.force_login(user, backend=LOGIN_BACKEND)
    finally:
        if quiet:
            user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
    session = client.session
    if session.pop(SECOND_FACTOR_PENDING, None) is not None:
        session.save()
    return client
