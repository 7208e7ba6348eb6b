"""Production, as `manage.py loadtest` serves it on this machine: plain HTTP on loopback.

Only what loopback needs differs from production: no redirect to HTTPS and no secure-only
cookies (there is no TLS between the load generator and gunicorn), no second factor for the
generated staff users (they have none), and neither mails nor SMS are sent. Everything else
(DEBUG off, templates cached, whitenoise, sessions, the checks) is production's own.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
PORTAL_REQUIRE_STAFF_2FA = False
PORTAL_TRUSTED_PROXIES = 0  # no load balancer in front: the client's own address
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
SMS_BACKEND = "background.sms.LocmemBackend"
