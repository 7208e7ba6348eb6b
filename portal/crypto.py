"""Encryption at rest for national identity numbers, and for the uploaded files that carry
them while they wait for a confirm or a worker.

Keys come from the environment (`NATIONAL_ID_KEYS`, newest first), so a new key can be put in
front while the old ones still decrypt; `NATIONAL_ID_HASH_KEY` keys the digest used to look a
number up and keep it unique without decrypting.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("NATIONAL_ID_KEYS is not set.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


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
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
