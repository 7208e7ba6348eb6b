"""Nothing that must survive between two requests may live in one process.

Production runs several gunicorn processes on several machines, with Redis when `REDIS_URL` is
set and Django's local-memory cache (one per process) when it is not. The portal is made to
work in both: sessions, uploads waiting for their confirm, lock-outs, tasks and jobs are in the
database, and the portal keeps nothing in the cache (Unfold's search, which would, is off).
This check refuses to start a configuration that would put such state into a per-process cache
or temp folder again, whatever the number of processes.

`provider_check` refuses to start without what every invoice says of the provider.
"""

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.core.exceptions import ValidationError
from import_export.admin import ImportMixin

from portal.validators import validate_account_number, validate_org_number, validate_postal_code

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)
CACHE_SESSIONS = (
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
)
CACHE_LOCKOUTS = ("axes.handlers.cache.AxesCacheHandler", "axes.handlers.cache.AxesHandler")


def _local(alias: str) -> bool:
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return backend in LOCAL_CACHES


@checks.register(checks.Tags.compatibility)
def shared_state_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if settings.SESSION_ENGINE in CACHE_SESSIONS and _local(
        getattr(settings, "SESSION_CACHE_ALIAS", "default")
    ):
        errors.append(
            checks.Error(
                "Sessions are kept in a cache of one process: a user's next request on another "
                "process (or after a restart) finds no session.",
                hint="Set REDIS_URL, or use the database session engine.",
                id="portal.E101",
            )
        )
    if getattr(settings, "AXES_HANDLER", "") in CACHE_LOCKOUTS and _local(
        getattr(settings, "AXES_CACHE", "default")
    ):
        errors.append(
            checks.Error(
                "Failed logins are counted in a cache of one process: the lock-out does not hold "
                "across processes.",
                hint="Use axes.handlers.database.AxesDatabaseHandler.",
                id="portal.E102",
            )
        )
    errors.extend(_admins_importing_through_import_export())
    return errors


def _admins_importing_through_import_export() -> list[checks.CheckMessage]:
    """import-export's ImportMixin keeps the upload between preview and confirm in a temp
    folder or a cache of one process: every import goes through `imports.pipeline` instead."""
    return [
        checks.Error(
            f"{type(model_admin).__name__} imports through import-export's ImportMixin, which "
            "keeps the upload in one process between the preview and the confirm.",
            hint="Make it an importer of imports.pipeline (see PipelineImportMixin).",
            obj=model_admin,
            id="portal.E103",
        )
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ImportMixin)
    ]


# -- The provider on its invoices -------------------------------------------------------------

PROVIDER_REQUIRED = (
    "PORTAL_PROVIDER_NAME",
    "PORTAL_PROVIDER_ADDRESS",
    "PORTAL_PROVIDER_POSTAL_CODE",
    "PORTAL_PROVIDER_CITY",
    "PORTAL_PROVIDER_ORG_NUMBER",
    "PORTAL_PROVIDER_ACCOUNT_NUMBER",
)


@checks.register()
def provider_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every invoice prints the provider's name, address, organisation and account numbers: a
    missing one, or a typo in a number, is caught at start, not by a customer's bank."""
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{name} is not set: every invoice needs it.",
            hint=f"Set {name} in the environment.",
            id="portal.E110",
        )
        for name in PROVIDER_REQUIRED
        if not getattr(settings, name, "")
    ]
    numbers = [
        ("PORTAL_PROVIDER_ORG_NUMBER", validate_org_number, "portal.E111"),
        ("PORTAL_PROVIDER_ACCOUNT_NUMBER", validate_account_number, "portal.E112"),
    ]
    for name, validate, check_id in numbers:
        value = getattr(settings, name, "")
        if not value:
            continue
        try:
            validate(value)
        except ValidationError as error:
            errors.append(
                checks.Error(
                    f"{name} {value!r} is not valid: {' '.join(error.messages)}",
                    hint="Write its digits only, without spaces or dots.",
                    id=check_id,
                )
            )
    postal_code = getattr(settings, "PORTAL_PROVIDER_POSTAL_CODE", "")
    try:
        if postal_code:
            validate_postal_code(postal_code)
    except ValidationError:
        errors.append(
            checks.Error(
                f"PORTAL_PROVIDER_POSTAL_CODE {postal_code!r} is not a Norwegian postal code.",
                hint="Four digits, e.g. 0150.",
                id="portal.E113",
            )
        )
    return errors


@checks.register(checks.Tags.compatibility)
def sms_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """SMS reminders through the provider's API need its address: without it every SMS would
    fail in the worker, long after the deploy."""
    if settings.SMS_BACKEND == "background.sms.HttpBackend" and not settings.SMS_HTTP_URL:
        return [
            checks.Warning(
                "SMS_HTTP_URL is not set: no SMS reminder can be sent.",
                hint="Set SMS_HTTP_URL (and SMS_HTTP_TOKEN) to the SMS provider's API, or "
                "SMS_BACKEND=background.sms.FileBackend to keep the messages in files.",
                id="portal.W120",
            )
        ]
    return []
