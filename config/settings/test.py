"""The test suite: development defaults, fast hashing, mail kept in memory."""

import os

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# (the tests of background work hand their workers a mail server of their own)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
SMS_BACKEND = "background.sms.LocmemBackend"
# The workers the tests start do no periodic work (tests/background/test_sms.py runs
# it on its own clock).
TASKS_PERIODIC = {}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests that need the staff two-factor requirement turn it on themselves.
PORTAL_REQUIRE_STAFF_2FA = False
# Where the error reports of server errors go (tests read them from mail.outbox).
ADMINS = [("Kundeportal drift", "drift@example.no")]
# Tasks run at once, after the transaction that queued them has committed; the tests of the
# worker itself start real workers with TASKS_BACKEND=database (or rq).
if "TASKS_BACKEND" not in os.environ:
    TASKS_BACKEND = "immediate"
    TASKS["default"]["BACKEND"] = TASK_BACKEND_CLASSES[TASKS_BACKEND]
