"""One POST to an endpoint, to the address `webhooks.addresses` checked, with a short timeout
and no redirect followed (a redirect is an answer like any other that is not 2xx)."""

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.addresses import addresses_resolve, url_parts


class DeliveryError(Exception):
    """The receiver could not be reached or did not answer in time."""


@dataclass(frozen=True)
class Answer:
    status: int


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address, and verifies the certificate against the host name."""

    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body`; the receiver's status, or `DeliveryError` when there is none. Raises
    `ValidationError` when the URL or its host's address is not one the portal calls."""
    scheme, host, port = url_parts(url)
    address = addresses_resolve(host, port)[0]
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=settings.WEBHOOKS_TIMEOUT)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # what a receiver says is not kept; its status is
        return Answer(status=response.status)
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(_error_text(error)) from None
    finally:
        connection.close()


def _error_text(error: Exception) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "Timed out"
    if isinstance(error, ssl.SSLError):
        return f"TLS: {error.reason or error}"
    if isinstance(error, ConnectionRefusedError):
        return "Connection refused"
    return f"{type(error).__name__}: {error}"[:300]
