"""Standard Webhooks signatures (https://www.standardwebhooks.com/): the receiver checks
`webhook-signature` against HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` under
the secret's bytes (the base64 after `whsec_`)."""

import base64
import hashlib
import hmac

from webhooks.models import SECRET_PREFIX


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The header's value: `v1,` and the signature in base64."""
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_verify(*, secret: str, headers: dict, body: str) -> bool:
    """What a receiver does (the README's example, and the tests' receiver)."""
    expected = signature(
        secret=secret,
        message_id=headers["webhook-id"],
        timestamp=int(headers["webhook-timestamp"]),
        body=body,
    )
    return any(
        hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split()
    )
