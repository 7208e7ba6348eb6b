"""Mail servers for the tests of background work, named by EMAIL_BACKEND in a worker's
environment."""

import os
import threading
from pathlib import Path
from smtplib import SMTPException

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

RECEIVED_TABLE = "test_mail_received"


class CountingBackend(BaseEmailBackend):
    """A recipient that writes down the Message-ID of each mail it gets, in the sender's own
    transaction: what a crashed sender never committed, it never got.

    `COUNTING_HANG_ONCE=<subject>` makes the first worker that sends that subject write it
    down and then hang (until it is killed); a file marks that it has happened."""

    def send_messages(self, email_messages):
        with connection.cursor() as cursor:
            for message in email_messages:
                cursor.execute(
                    f"INSERT INTO {RECEIVED_TABLE} (message_id, worker) VALUES (%s, %s)",
                    [message.extra_headers["Message-ID"], os.environ["TEST_WORKER_NAME"]],
                )
                self._hang_if_asked(message.subject)
        return len(email_messages)

    @staticmethod
    def _hang_if_asked(subject: str) -> None:
        if subject != os.environ.get("COUNTING_HANG_ONCE"):
            return
        marker = Path(os.environ["COUNTING_HANG_MARKER"])
        try:
            marker.touch(exist_ok=False)
        except FileExistsError:
            return  # it hung once already: this is the retry
        marker.write_text(f"{os.getpid()} {os.environ['TEST_WORKER_NAME']}")
        threading.Event().wait()


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the next `failures` mails, then takes them."""

    failures = 0

    def send_messages(self, email_messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise SMTPException("451 4.3.0 mail.example.no: try again later")
        return super().send_messages(email_messages)
