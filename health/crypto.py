"""Encryption at rest for the answers of health questionnaires, with keys of their own
(`HEALTH_DATA_KEYS`, newest first): whoever holds the national-id keys cannot read them."""

import json

from portal.crypto import keyring

SETTING = "HEALTH_DATA_KEYS"


def answers_encrypt(answers: dict[str, object]) -> str:
    """The answers (question id → value) as one token for the database."""
    text = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    return keyring(SETTING).encrypt(text.encode()).decode()


def answers_decrypt(token: str) -> dict[str, object]:
    if not token:
        return {}
    return json.loads(keyring(SETTING).decrypt(token.encode()).decode())


def answers_reencrypt(token: str) -> str:
    """Encrypt again with the newest key."""
    return keyring(SETTING).rotate(token.encode()).decode()
