"""Encryption at rest for national identity numbers, and for the uploaded files that carry
them while they wait for a confirm or a worker.

Keys come from the environment (`NATIONAL_ID_KEYS`, newest first), so a new key can be put in
front while the old ones still decrypt; `NATIONAL_ID_HASH_KEY` keys the digest used to look a
number up and keep it unique without decrypting. `keyring` gives the same mechanism to other
data with keys of their own (the health answers' `HEALTH_DATA_KEYS`).
"""

import hmac
from collections.abc import Callable
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model

REENCRYPT_BATCH = 1000


@cache
def _fernet(keys: tuple[str, ...], setting: str = "NATIONAL_ID_KEYS") -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(f"{setting} is not set.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def keyring(setting: str) -> MultiFernet:
    """The Fernet keys of the setting `setting` (newest first): encrypts with the first,
    decrypts with any, `rotate` moves a token to the first."""
    return _fernet(tuple(getattr(settings, setting)), setting)


def national_id_encrypt(value: str) -> str:
    return _fernet(tuple(settings.NATIONAL_ID_KEYS)).encrypt(value.encode()).decode()


def national_id_decrypt(token: str) -> str:
    return _fernet(tuple(settings.NATIONAL_ID_KEYS)).decrypt(token.encode()).decode()


def national_id_reencrypt(token: str) -> str:
    """Encrypt again with the newest key."""
    return _fernet(tuple(settings.NATIONAL_ID_KEYS)).rotate(token.encode()).decode()


def content_encrypt(content: bytes) -> bytes:
    """A whole file (an upload holding national ids) for the database, with the same keys."""
    return _fernet(tuple(settings.NATIONAL_ID_KEYS)).encrypt(content)


def content_decrypt(token: bytes) -> bytes:
    return _fernet(tuple(settings.NATIONAL_ID_KEYS)).decrypt(token)


def national_id_digest(value: str) -> str:
    key = settings.NATIONAL_ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("NATIONAL_ID_HASH_KEY is not set.")
    # The one-shot form: the same HMAC-SHA256, without building an HMAC object per number
    # (an import takes the digest of every row, in its preview and again in its confirm).
    return hmac.digest(key.encode(), value.encode(), "sha256").hex()


def tokens_reencrypt(*, model: type[Model], field: str, rotate: Callable[[str], str]) -> int:
    """Encrypt every token in `model.field` again with the newest key, a batch of rows at a
    time (each locked while it is rewritten); returns how many were."""
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                model._default_manager.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(**{field: ""})
                .order_by("pk")
                .only("pk", field)[:REENCRYPT_BATCH]
            )
            if not batch:
                return done
            for row in batch:
                setattr(row, field, rotate(getattr(row, field)))
            model._default_manager.bulk_update(batch, [field])
        done += len(batch)
        last_pk = batch[-1].pk
