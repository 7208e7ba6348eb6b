"""Nothing that must survive between two requests lives in one process: the portal starts
only when sessions, lock-outs and import uploads are kept where every process finds them."""

import pytest
from django.contrib import admin
from import_export.admin import ImportMixin

from portal.checks import shared_state_check
from portal.models import Invoice

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def ids() -> list[str]:
    return [str(message.id) for message in shared_state_check()]


def test_the_portal_as_configured_keeps_no_state_in_one_process():
    assert ids() == []


def test_no_admin_imports_through_import_export():
    """Every import is the portal's pipeline (upload in the database), none import-export's
    (upload in a cache or temp folder of one process)."""
    importing = [
        type(m).__name__ for m in admin.site._registry.values() if isinstance(m, ImportMixin)
    ]
    assert importing == []


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"],
)
def test_sessions_in_a_local_memory_cache_are_refused(engine, settings):
    settings.CACHES, settings.SESSION_ENGINE = LOCAL, engine

    assert ids() == ["portal.E101"]


def test_sessions_in_redis_are_fine(settings):
    settings.CACHES = REDIS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"

    assert ids() == []


def test_lockouts_counted_in_a_local_memory_cache_are_refused(settings):
    settings.CACHES, settings.AXES_HANDLER = LOCAL, "axes.handlers.cache.AxesCacheHandler"

    assert ids() == ["portal.E102"]


def test_an_admin_importing_through_import_export_is_refused(monkeypatch):
    invoice_admin = admin.site._registry[Invoice]
    monkeypatch.setattr(
        invoice_admin, "__class__", type("OldInvoiceAdmin", (ImportMixin, type(invoice_admin)), {})
    )

    assert ids() == ["portal.E103"]
