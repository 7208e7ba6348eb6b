"""A developer's machine: DEBUG on, SQLite, mails as files under var/mail/."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# The world generator, the benchmarks and the translation helpers: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS = env.bool("PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS", default=True)
NATIONAL_ID_KEYS = env.list(
    "NATIONAL_ID_KEYS", default=["cEkxbHmBpz2SyLXdoDwAEyZEpm7DmrP1297MsGkYnUM="]
)
NATIONAL_ID_HASH_KEY = env.str("NATIONAL_ID_HASH_KEY", default="dev-only-hash-key")
HEALTH_DATA_KEYS = env.list(
    "HEALTH_DATA_KEYS", default=["4-oT7NNCfTzbWh7-MnvOSIYxzx2kqewViBU49DNPWm4="]
)
# The demo's provider (the organisation and account numbers are made up, with valid check
# digits).
PORTAL_PROVIDER_NAME = env.str("PORTAL_PROVIDER_NAME", default="Avonova")
PORTAL_PROVIDER_ADDRESS = env.str("PORTAL_PROVIDER_ADDRESS", default="Eksempelveien 1")
PORTAL_PROVIDER_POSTAL_CODE = env.str("PORTAL_PROVIDER_POSTAL_CODE", default="0150")
PORTAL_PROVIDER_CITY = env.str("PORTAL_PROVIDER_CITY", default="Oslo")
PORTAL_PROVIDER_ORG_NUMBER = env.str("PORTAL_PROVIDER_ORG_NUMBER", default="999999999")
PORTAL_PROVIDER_VAT_REGISTERED = env.bool("PORTAL_PROVIDER_VAT_REGISTERED", default=True)
PORTAL_PROVIDER_ACCOUNT_NUMBER = env.str("PORTAL_PROVIDER_ACCOUNT_NUMBER", default="15031234562")
PORTAL_PROVIDER_EMAIL = env.str("PORTAL_PROVIDER_EMAIL", default="faktura@example.no")
PORTAL_PROVIDER_PHONE = env.str("PORTAL_PROVIDER_PHONE", default="")
# Serve static files from the apps while developing; production serves collected files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo's staff users (kam, admin) sign in without a second factor on a developer's
# machine; set PORTAL_REQUIRE_STAFF_2FA=true to try the requirement.
PORTAL_REQUIRE_STAFF_2FA = env.bool("PORTAL_REQUIRE_STAFF_2FA", default=False)
# Links in mails follow the address the portal was opened on (any port), unless
# PORTAL_BASE_URL is set; mails written outside a request use PORTAL_BASE_URL's default.
PORTAL_LINKS_FROM_REQUEST = "PORTAL_BASE_URL" not in os.environ
# Webhooks to a receiver on this machine (http://127.0.0.1:…).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=True)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=True)
PORTAL_CUSTOMER_SERVICE_EMAIL = env.str(
    "PORTAL_CUSTOMER_SERVICE_EMAIL", default="kundeservice@example.no"
)
