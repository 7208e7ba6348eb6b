"""The idle clock of a session (when its user last did something), and whose sessions are
whose, to sign a user out everywhere at once."""

import time
from importlib import import_module

from django.conf import settings

from .models import UserSession

LAST_ACTIVITY = "accounts_last_activity"
#: Write the clock at most this often: a session is not saved on every request.
TOUCH_INTERVAL_SECONDS = 60


def session_touch(session, now: float | None = None) -> None:
    """Restart the clock; saving the session also moves its expiry (SESSION_COOKIE_AGE)."""
    session[LAST_ACTIVITY] = int(now if now is not None else time.time())


def session_idle_seconds(session, now: float | None = None) -> float | None:
    last = session.get(LAST_ACTIVITY)
    if last is None:
        return None
    return (now if now is not None else time.time()) - last


def session_is_idle(session, now: float | None = None) -> bool:
    idle = session_idle_seconds(session, now)
    return idle is not None and idle > settings.PORTAL_SESSION_IDLE_SECONDS


def session_needs_touch(session, now: float | None = None) -> bool:
    idle = session_idle_seconds(session, now)
    return idle is None or idle >= TOUCH_INTERVAL_SECONDS


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_session_register(*, session, user=None, user_id=None) -> None:
    """Remember whose this session is (at sign-in), to end it with `user_sessions_end`; the
    user's sessions that have ended meanwhile are forgotten (a few rows per user)."""
    if not session.session_key:
        session.save()
    user_id = user.pk if user is not None else user_id
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user_id": user_id}
    )
    store = _session_store()()
    others = UserSession.objects.filter(user_id=user_id).exclude(session_key=session.session_key)
    ended = [key for key in others.values_list("session_key", flat=True) if not store.exists(key)]
    if ended:
        UserSession.objects.filter(session_key__in=ended).delete()


def user_session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user) -> int:
    """Sign the user out everywhere now: every session they signed in with is deleted from
    the session store (database or Redis alike). Returns how many were ended."""
    store = _session_store()
    keys = list(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)
