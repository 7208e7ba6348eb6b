"""The test suite: development defaults, fast hashing, mail kept in memory."""

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests that need the staff two-factor requirement turn it on themselves.
PORTAL_REQUIRE_STAFF_2FA = False
# Where the error reports of server errors go (tests read them from mail.outbox).
ADMINS = [("Kundeportal drift", "drift@example.no")]
