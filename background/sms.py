"""Every SMS the portal sends: queued as a task with the change that causes it, sent by a
worker through the backend of the SMS_BACKEND setting, as e-mail goes through EMAIL_BACKEND.

- `FileBackend` (the default): one readable file per message under SMS_FILE_PATH (var/sms/).
- `LocmemBackend` (the tests): the messages are kept in `background.sms.outbox`.
- `HttpBackend` (production): a JSON POST to the provider's SMS_HTTP_URL with a bearer token.

The task's arguments carry the message (no model): the number and a short text. An SMS never
carries a national id or health information; its callers write only a time, a place, the
provider and a short instruction. A failing provider is tried again with back-off; after
SMS_MAX_ATTEMPTS tries the task fails, and its result says why.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import task

from background.queueing import enqueue_later, enqueue_with_change

logger = logging.getLogger(__name__)

#: The messages the LocmemBackend has "sent" (the tests empty it).
outbox: list["SmsMessage"] = []


class SmsSendError(Exception):
    """The provider did not take the message."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str

    @property
    def international_to(self) -> str:
        """+47 before a Norwegian number of eight digits (the stored form), others as stored."""
        return self.to if self.to.startswith("+") else f"+47{self.to}"


class BaseBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class LocmemBackend(BaseBackend):
    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class FileBackend(BaseBackend):
    """Each message in a file of its own, readable: to, time, then the text."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, message: SmsMessage) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        now = timezone.localtime()
        name = f"{now:%Y%m%d-%H%M%S}-{get_random_string(8)}.txt"
        (self.path / name).write_text(
            f"To: {message.international_to}\n"
            f"Date: {now:%Y-%m-%d %H:%M:%S %z}\n"
            f"From: {settings.SMS_SENDER}\n\n"
            f"{message.text}\n",
            encoding="utf-8",
        )


class HttpBackend(BaseBackend):
    """A provider's JSON API: POST {"from", "to", "text"} to SMS_HTTP_URL with
    "Authorization: Bearer SMS_HTTP_TOKEN"; any answer but 2xx is a failure."""

    def send(self, message: SmsMessage) -> None:
        if not settings.SMS_HTTP_URL:
            raise SmsSendError("SMS_HTTP_URL is not set")
        body = json.dumps(
            {"from": settings.SMS_SENDER, "to": message.international_to, "text": message.text}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL is a setting)
            settings.SMS_HTTP_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as error:
            raise SmsSendError(f"The SMS provider answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError) as error:
            raise SmsSendError(f"The SMS provider could not be reached: {error}") from None
        if not 200 <= status < 300:
            raise SmsSendError(f"The SMS provider answered HTTP {status}")


def sms_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_queue(*, to: str, text: str) -> None:
    """Queue one SMS; it goes out once the caller's transaction has committed."""
    enqueue_with_change(sms_send, to=to, text=text)


@task()
def sms_send(*, to: str, text: str, tries: int = 1) -> str:
    """Send the SMS; on failure queue the next try later, and after the last raise, so the
    task's result records the failure. The log gets the kind of error, never the number."""
    try:
        sms_backend().send(SmsMessage(to=to, text=text))
    except Exception as error:
        logger.warning("SMS, attempt %s failed: %s", tries, type(error).__name__)
        if tries >= settings.SMS_MAX_ATTEMPTS:
            raise
        enqueue_later(sms_send, to=to, text=text, tries=tries + 1, attempt=tries)
        return "retrying"
    return "sent"
