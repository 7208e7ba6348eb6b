"""Production: DEBUG off, secrets required, secure cookies and headers."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DEBUG,
    HEALTH_DATA_KEYS,
    NATIONAL_ID_HASH_KEY,
    NATIONAL_ID_KEYS,
    PORTAL_PROVIDER_ACCOUNT_NUMBER,
    PORTAL_PROVIDER_ADDRESS,
    PORTAL_PROVIDER_CITY,
    PORTAL_PROVIDER_NAME,
    PORTAL_PROVIDER_ORG_NUMBER,
    PORTAL_PROVIDER_POSTAL_CODE,
    SECRET_KEY,
    env,
)

# The links in every mail: never a development default.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")
PORTAL_LINKS_FROM_REQUEST = False

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
for name, value in [
    ("SECRET_KEY", SECRET_KEY),
    ("ALLOWED_HOSTS", ALLOWED_HOSTS),
    ("NATIONAL_ID_KEYS", NATIONAL_ID_KEYS),
    ("NATIONAL_ID_HASH_KEY", NATIONAL_ID_HASH_KEY),
    ("HEALTH_DATA_KEYS", HEALTH_DATA_KEYS),
    ("PORTAL_BASE_URL", PORTAL_BASE_URL),
    # What an invoice must say of its seller (portal/checks.py checks the numbers).
    ("PORTAL_PROVIDER_NAME", PORTAL_PROVIDER_NAME),
    ("PORTAL_PROVIDER_ADDRESS", PORTAL_PROVIDER_ADDRESS),
    ("PORTAL_PROVIDER_POSTAL_CODE", PORTAL_PROVIDER_POSTAL_CODE),
    ("PORTAL_PROVIDER_CITY", PORTAL_PROVIDER_CITY),
    ("PORTAL_PROVIDER_ORG_NUMBER", PORTAL_PROVIDER_ORG_NUMBER),
    ("PORTAL_PROVIDER_ACCOUNT_NUMBER", PORTAL_PROVIDER_ACCOUNT_NUMBER),
]:
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment.")

# Any number of gunicorn processes, with or without REDIS_URL: nothing that must survive between
# two requests is kept in the cache (see the README, "Any number of processes"); the checks of
# portal/checks.py refuse a configuration that would keep it in one process.

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Staff see every customer: their second factor is not optional in production.
PORTAL_REQUIRE_STAFF_2FA = True
# Behind the load balancer: the client's address is the one it appends to X-Forwarded-For.
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=1)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# SMS through the provider's HTTP API (SMS_HTTP_URL, SMS_HTTP_TOKEN, SMS_SENDER).
SMS_BACKEND = env.str("SMS_BACKEND", default="background.sms.HttpBackend")
# Webhooks: https:// to public addresses only, whatever the environment says (SSRF).
WEBHOOKS_ALLOW_HTTP = False
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
