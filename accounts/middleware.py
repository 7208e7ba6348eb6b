"""Request guards of the sign-in and hardening work: upload size, idle sessions, and the
second factor before any page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .sessions import (
    session_is_idle,
    session_needs_touch,
    session_touch,
    user_session_forget,
    user_session_register,
)
from .two_factor import SECOND_FACTOR_PENDING, two_factor_enabled, two_factor_required
from .views.errors import upload_too_large

#: Reachable by a signed-in user who still owes a second factor.
ALWAYS_ALLOWED = frozenset({"admin:logout", "set_language", "admin:jsi18n"})
VERIFY_PAGE = "two_factor_verify"
SETUP_PAGES = frozenset({"two_factor_setup"})


class UploadLimitMiddleware:
    """Refuse a request body above PORTAL_UPLOAD_MAX_BYTES before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PORTAL_UPLOAD_MAX_BYTES:
            return upload_too_large(request)
        return self.get_response(request)


class IdleSessionMiddleware:
    """End a session after PORTAL_SESSION_IDLE_SECONDS without a request, and keep the session
    filed under its user when its key changes.

    The clock is written at most once a minute, so a session is not saved on every request
    (SESSION_SAVE_EVERY_REQUEST would); the session's own expiry (SESSION_COOKIE_AGE, the
    same 30 minutes) moves with it and ends it on the server too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session_is_idle(session):
            logout(request)
            minutes = settings.PORTAL_SESSION_IDLE_SECONDS // 60
            messages.info(
                request,
                _("You were logged out after %(minutes)d minutes without activity.")
                % {"minutes": minutes},
            )
        elif SESSION_KEY in session and session_needs_touch(session):
            session_touch(session)
        key_before = session.session_key
        response = self.get_response(request)
        if session.session_key != key_before and SESSION_KEY in session:
            # A new key for the same sign-in (a password change cycles it): filed again, so
            # that revoking access still ends it.
            user_session_forget(session_key=key_before)
            user_session_register(
                user_id=get_user_model()._meta.pk.to_python(session[SESSION_KEY]),
                session=session,
            )
        return response


def _to(url_name: str, request):
    next_url = request.get_full_path() if request.method == "GET" else reverse("admin:index")
    return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


class SecondFactorMiddleware:
    """A sign-in that owes its second factor reaches only the page that asks for it; staff
    without a second factor (while PORTAL_REQUIRE_STAFF_2FA is on) reach only the set-up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else None
        if name in ALWAYS_ALLOWED:
            return None
        if request.session.get(SECOND_FACTOR_PENDING) and not user.is_verified():
            return None if name == VERIFY_PAGE else _to(VERIFY_PAGE, request)
        if two_factor_required(user) and not user.is_verified():
            if two_factor_enabled(user):
                request.session[SECOND_FACTOR_PENDING] = True
                return None if name == VERIFY_PAGE else _to(VERIFY_PAGE, request)
            return None if name in SETUP_PAGES else _to("two_factor_setup", request)
        return None
