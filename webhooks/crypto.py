"""Encryption at rest for the endpoints' signing secrets, with the national ids' keys
(`NATIONAL_ID_KEYS`, newest first): a database dump alone signs no delivery, and
`manage.py reencrypt_national_ids` moves the secrets to a new key with the numbers."""

from portal.crypto import keyring

SETTING = "NATIONAL_ID_KEYS"


def secret_encrypt(secret: str) -> str:
    return keyring(SETTING).encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return keyring(SETTING).decrypt(token.encode()).decode()


def secret_reencrypt(token: str) -> str:
    """Encrypt again with the newest key."""
    return keyring(SETTING).rotate(token.encode()).decode()
