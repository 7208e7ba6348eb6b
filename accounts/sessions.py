"""The idle clock of a session: when its user last did something."""

import time

from django.conf import settings

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
