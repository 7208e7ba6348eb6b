"""Settings shared by every environment, read from the environment through one reader.

`dev` and `test` add safe defaults for a developer's machine; `production` refuses to start
without its secrets.
"""

import datetime
import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# openpyxl parses with defusedxml's pure-Python parser when it is installed: three to four
# times slower than the C one. An upload reaches openpyxl only after imports/xlsx.py has
# refused any part that declares a DOCTYPE (so no entity can be defined, let alone expanded),
# so openpyxl's own switch lets it use the C parser. Read once, when openpyxl is imported.
os.environ.setdefault("OPENPYXL_DEFUSEDXML", "False")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "unfold.contrib.guardian",
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_filters",
    "import_export",
    "portal",
    "permissions",
    "imports",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "accounts",
    "audit",
    "django_tasks",
    "django_tasks_db",
    "background",
    "health",
    "webhooks",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # The security headers first, so that they wrap every other middleware: an answer made
    # early (a refused upload, a forged host, a static file) or an error raised in a
    # middleware passes through them on its way out too.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    # Before anything reads the body: an oversized upload is refused unread.
    "accounts.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware has checked the host: links in mails may follow it (development).
    "portal.links.RequestBaseUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the login page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# SQLite has more than one process writing to it (the demo's server and worker, gunicorn's
# workers): a transaction takes the write lock when it begins, so that one that read first
# cannot fail with "database is locked" when it goes on to write, and waits its turn up to
# 20 s; write-ahead logging lets readers go on while somebody writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work (django-tasks, the backport of Django's tasks framework): e-mails, large
# imports and exports, run by `manage.py worker`. The database queue by default (a task is
# written in the same transaction as its change); TASKS_BACKEND=rq puts it on Redis (REDIS_URL).
TASK_BACKEND_CLASSES = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
TASKS = {"default": {"BACKEND": TASK_BACKEND_CLASSES[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
# A worker that has not said it is alive for this long has died: its task goes to another.
TASKS_WORKER_TIMEOUT = env.int("TASKS_WORKER_TIMEOUT", default=60)
# A task whose worker died this many times is failed rather than tried again.
TASKS_MAX_CLAIMS = env.int("TASKS_MAX_CLAIMS", default=3)
# A failed try is tried again after 30 s, 2 min, 8 min, 32 min (each four times the last).
TASKS_RETRY_BASE_SECONDS = env.int("TASKS_RETRY_BASE_SECONDS", default=30)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=5)
# Webhooks (webhooks/): a delivery the receiver does not take (no 2xx within WEBHOOKS_TIMEOUT
# seconds) is tried again after each of these many seconds, a day and a few hours in all
# (Standard Webhooks' schedule), with the same webhook-id; after the last the endpoint is
# disabled and its staff told.
WEBHOOKS_RETRY_SCHEDULE = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10.0)
# Only https:// endpoints on public addresses (SSRF); development and tests allow http:// and
# private, loopback and link-local addresses (a receiver on the same machine).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
# Large work runs as a job in a worker, with a progress page, instead of in the request: an
# employee import confirm of more rows than this, an export or report export of more rows than
# this. Below them the answer comes at once, as before.
JOBS_IMPORT_ROWS_THRESHOLD = env.int("JOBS_IMPORT_ROWS_THRESHOLD", default=2_000)
JOBS_EXPORT_ROWS_THRESHOLD = env.int("JOBS_EXPORT_ROWS_THRESHOLD", default=5_000)
# A report's table has a row per month, or per customer for staff's health check coverage.
JOBS_REPORT_ROWS_THRESHOLD = env.int("JOBS_REPORT_ROWS_THRESHOLD", default=500)
# A job records its progress at most once per this many rows (one small UPDATE each time).
JOBS_PROGRESS_EVERY = env.int("JOBS_PROGRESS_EVERY", default=500)
# A job's result (its file) is kept for its owner this long after it finished, then deleted.
JOBS_TTL = env.int("JOBS_TTL", default=7 * 24 * 60 * 60)

AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt on a locked-out account or address (django-axes).
    "accounts.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# A reset link works once (it hashes the password it replaces) and for an hour; the
# invitation link has its own 7-day token (permissions.invitations).
PASSWORD_RESET_TIMEOUT = 60 * 60
# Reset links asked for within PORTAL_PASSWORD_RESET_WINDOW seconds: at most this many per
# e-mail address and per client address; beyond them the same answer, and no mail.
PORTAL_PASSWORD_RESET_WINDOW = env.int("PORTAL_PASSWORD_RESET_WINDOW", default=60 * 60)
PORTAL_PASSWORD_RESET_PER_EMAIL = env.int("PORTAL_PASSWORD_RESET_PER_EMAIL", default=3)
PORTAL_PASSWORD_RESET_PER_ADDRESS = env.int("PORTAL_PASSWORD_RESET_PER_ADDRESS", default=20)
# The employee's page from the booking mail (/timeavtale/<token>/): requests within
# PORTAL_BOOKING_PAGE_WINDOW seconds, at most this many per link and per client address,
# counted in the cache; beyond them a «try again later» page.
PORTAL_BOOKING_PAGE_WINDOW = env.int("PORTAL_BOOKING_PAGE_WINDOW", default=10 * 60)
PORTAL_BOOKING_PAGE_PER_LINK = env.int("PORTAL_BOOKING_PAGE_PER_LINK", default=60)
PORTAL_BOOKING_PAGE_PER_ADDRESS = env.int("PORTAL_BOOKING_PAGE_PER_ADDRESS", default=300)

# Sign-in and sessions (issue 11). A session ends after 30 minutes without a request
# (accounts.middleware.IdleSessionMiddleware) and everywhere when the password changes
# (Django's session auth hash).
PORTAL_SESSION_IDLE_SECONDS = env.int("PORTAL_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = PORTAL_SESSION_IDLE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Lock-out (django-axes, accounts.lockout): after AXES_FAILURE_LIMIT failed logins for one
# user name (existing or not) from one address, that name is refused from that address for
# AXES_COOLOFF_MINUTES; after PORTAL_LOCKOUT_ADDRESS_LIMIT failed logins from one address,
# whatever the names, every login from it is. Colleagues behind one office address are not
# shut out by one person's typos.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
PORTAL_LOCKOUT_ADDRESS_LIMIT = env.int("PORTAL_LOCKOUT_ADDRESS_LIMIT", default=50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.PortalLockoutHandler"
# Attempts during a lock-out do not prolong it: nobody can keep another's account locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no start-up banner on every command; lock-outs are still logged
# How many proxies (load balancer, ingress) stand in front of the app and append to
# X-Forwarded-For: the client address is the one the outermost of them saw.
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)
# Two-factor sign-in (django-otp, TOTP + recovery codes): required for staff; customers may
# turn it on. Dev and test settings turn the staff requirement off for the demo users.
PORTAL_REQUIRE_STAFF_2FA = env.bool("PORTAL_REQUIRE_STAFF_2FA", default=True)
PORTAL_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Kundeportal")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# import-export: importing and exporting are permissions of their own, not "any admin user".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Export only: the employee import is the portal's own (imports/), which keeps an upload in the
# database between preview and confirm for this long, and refuses files beyond these limits.
IMPORTS_MAX_FILE_SIZE = env.int("IMPORTS_MAX_FILE_SIZE", default=5 * 1024 * 1024)
IMPORTS_MAX_UNPACKED_SIZE = env.int("IMPORTS_MAX_UNPACKED_SIZE", default=50 * 1024 * 1024)
IMPORTS_MAX_ROWS = env.int("IMPORTS_MAX_ROWS", default=20_000)
# What a file may make the reader do, whatever its size on disk: no cell longer than any real
# one, so much text in all, so many XML elements (each costs openpyxl microseconds; 20,000 rows
# of eight text cells have 660,000), and a shared-strings table (read whole into memory up
# front) of at most this size unpacked.
IMPORTS_MAX_CELL_CHARS = env.int("IMPORTS_MAX_CELL_CHARS", default=1_000)
IMPORTS_MAX_TEXT_CHARS = env.int("IMPORTS_MAX_TEXT_CHARS", default=10_000_000)
IMPORTS_MAX_XML_ELEMENTS = env.int("IMPORTS_MAX_XML_ELEMENTS", default=700_000)
IMPORTS_MAX_SHARED_STRINGS_SIZE = env.int(
    "IMPORTS_MAX_SHARED_STRINGS_SIZE", default=16 * 1024 * 1024
)
IMPORTS_UPLOAD_TTL = env.int("IMPORTS_UPLOAD_TTL", default=60 * 60)

# Guardian: no anonymous user (nobody unauthenticated holds object permissions).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
# Project strings first, then the catalogue for Unfold, import-export and guardian.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Uploads: a request body above PORTAL_UPLOAD_MAX_BYTES is refused unread (413), a file of
# another type than PORTAL_UPLOAD_EXTENSIONS is refused as it arrives (400), and forms
# check size, type and content with accounts.uploads.validate_upload.
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
PORTAL_UPLOAD_EXTENSIONS = ["xlsx", "csv", "pdf"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # fields other than files: 2.5 MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file
FILE_UPLOAD_HANDLERS = [
    "accounts.uploads.AllowedTypesUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Headers in every environment; production adds HSTS and secure cookies. Unfold's pages need
# 'unsafe-eval' (Alpine.js evaluates its x-data/x-on expressions with Function) and inline
# styles (the theme's colour variables, Alpine's x-show, htmx's indicator style); no inline
# script runs anywhere, so script-src has no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Errors: Norwegian pages in the portal's look that show no data; error reports (to ADMINS,
# to the log) never carry a password, a one-time code or a national id number.
CSRF_FAILURE_VIEW = "accounts.views.errors.csrf_failure"
# They mask every POST field, GET parameter, cookie and frame variable not listed as safe
# (accounts.reporting), and so do the log lines the console shows.
DEFAULT_EXCEPTION_REPORTER_FILTER = "accounts.reporting.PortalExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "accounts.reporting.PortalExceptionReporter"
ADMINS = [(address, address) for address in env.list("ADMINS", default=[])]
SERVER_EMAIL = env.str("SERVER_EMAIL", default="kundeportal@example.no")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kundeportal <kundeportal@example.no>")
# SMS (reminders): each message goes to a file under SMS_FILE_PATH by default; in production
# the HTTP provider adapter posts it as JSON to SMS_HTTP_URL with SMS_HTTP_TOKEN (background.sms).
SMS_BACKEND = env.str("SMS_BACKEND", default="background.sms.FileBackend")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Kundeportal")  # 11 characters at most
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10.0)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=3)
# Reminders: the booked employees are reminded this many hours before their appointment; HR
# get their daily summary from this hour (Oslo time). Workers run the pass every
# PORTAL_REMINDERS_EVERY seconds (0: never; then cron runs `manage.py send_reminders`).
PORTAL_REMINDER_HOURS_BEFORE = env.int("PORTAL_REMINDER_HOURS_BEFORE", default=24)
PORTAL_HR_SUMMARY_HOUR = env.int("PORTAL_HR_SUMMARY_HOUR", default=7)
# An employee who has not submitted the health declaration this many days before the
# appointment is reminded of it once (when it was sent to them at least that long before).
PORTAL_DECLARATION_REMINDER_DAYS_BEFORE = env.int(
    "PORTAL_DECLARATION_REMINDER_DAYS_BEFORE", default=3
)
PORTAL_REMINDERS_EVERY = env.int("PORTAL_REMINDERS_EVERY", default=300)
# The answers of a health declaration are deleted this many days after its appointment, or
# sooner once health personnel have marked them transferred to the health record; the status
# («mottatt») stays. Workers look for due ones every HEALTH_RETENTION_EVERY seconds (0: never;
# then cron runs `manage.py delete_health_answers`).
HEALTH_ANSWERS_RETENTION_DAYS = env.int("HEALTH_ANSWERS_RETENTION_DAYS", default=90)
HEALTH_RETENTION_EVERY = env.int("HEALTH_RETENTION_EVERY", default=3600)
# Work every worker runs on a clock: dotted path of a function -> seconds between runs.
TASKS_PERIODIC = {
    "portal.services.reminders.reminders_run": PORTAL_REMINDERS_EVERY,
    "health.retention.declarations_delete_due": HEALTH_RETENTION_EVERY,
}
# The provider as its invoices name it: required in production, the demo's in development.
PORTAL_PROVIDER_NAME = env.str("PORTAL_PROVIDER_NAME", default="")
PORTAL_PROVIDER_ADDRESS = env.str("PORTAL_PROVIDER_ADDRESS", default="")  # street or PO box
PORTAL_PROVIDER_POSTAL_CODE = env.str("PORTAL_PROVIDER_POSTAL_CODE", default="")
PORTAL_PROVIDER_CITY = env.str("PORTAL_PROVIDER_CITY", default="")
PORTAL_PROVIDER_ORG_NUMBER = env.str("PORTAL_PROVIDER_ORG_NUMBER", default="")
# Registered for VAT: the invoice writes «MVA» after the organisation number.
PORTAL_PROVIDER_VAT_REGISTERED = env.bool("PORTAL_PROVIDER_VAT_REGISTERED", default=False)
# The bank account customers pay into: 11 digits, no dots.
PORTAL_PROVIDER_ACCOUNT_NUMBER = env.str("PORTAL_PROVIDER_ACCOUNT_NUMBER", default="")
# Optional: the invoice's footer names them where set.
PORTAL_PROVIDER_EMAIL = env.str("PORTAL_PROVIDER_EMAIL", default="")
PORTAL_PROVIDER_PHONE = env.str("PORTAL_PROVIDER_PHONE", default="")
# Absolute links in e-mails (the request is not at hand when a mail is sent after commit).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Links in mails written during a request use the address that request came in on instead
# (portal.links): development only, where the portal may run on any port.
PORTAL_LINKS_FROM_REQUEST = False
# Where a customer's replies go when the customer has no (active) KA/KAM; empty: to the
# members of the staff group "Kundeservice".
PORTAL_CUSTOMER_SERVICE_EMAIL = env.str("PORTAL_CUSTOMER_SERVICE_EMAIL", default="")
# The right-hand side of every Message-ID the portal writes.
PORTAL_MAIL_DOMAIN = env.str("PORTAL_MAIL_DOMAIN", default="kundeportal.example.no")

# Synthetic national id numbers (month + 40 / + 80) are test data: off unless a setting allows.
PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = env.bool("PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS", default=False)
# H-numbers (month + 40) are the health sector's aids, not identities an employer holds.
PORTAL_ALLOW_H_NUMBERS = env.bool("PORTAL_ALLOW_H_NUMBERS", default=False)
# Fernet keys for national id numbers, newest first; a hash key for look-ups.
NATIONAL_ID_KEYS = env.list("NATIONAL_ID_KEYS", default=[])
NATIONAL_ID_HASH_KEY = env.str("NATIONAL_ID_HASH_KEY", default="")
# Fernet keys for the answers of health questionnaires (egenerklæringer), newest first: keys of
# their own, so that whoever holds the national-id keys cannot read health data.
HEALTH_DATA_KEYS = env.list("HEALTH_DATA_KEYS", default=[])

# Nothing logs a request's body or parameters (django.request logs the path; django-axes
# masks the user name and address); an exception's text may quote a value, so it is masked.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"masked": {"()": "accounts.reporting.MaskingFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "masked"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The REST API for the provider's other systems (api/): Django REST framework, a token per
# system, its requests counted per token. The counts live in the cache: shared by every app
# server with REDIS_URL, per process without it (a limit, not state anything depends on).
API_RATE_PER_TOKEN = env.str("API_RATE_PER_TOKEN", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE_PER_TOKEN},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.UpdatedCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kundeportal API",
    "DESCRIPTION": (
        "The customer portal's API for the provider's other systems (CRM, accounting, EPJ). "
        "Authenticate with `Authorization: Bearer <token>`; a token is issued by staff under "
        "«API-nøkler». Lists page with a cursor (`next`); `updated_since` gives the rows "
        "changed since a time. Updates need the row's ETag in `If-Match`. Errors are RFC 9457 "
        "problem details, in Norwegian unless `Accept-Language: en`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's script and styles come from the project's static files (no CDN), and
    # its start-up script is a file of its own: the Content-Security-Policy allows no inline
    # script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {},
}

from config.unfold import UNFOLD  # noqa: E402,F401
