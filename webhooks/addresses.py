"""Where the portal may POST: `https://` only, and never to a private, loopback or link-local
address (SSRF), unless the settings of development and tests allow them.

The host is resolved when the endpoint is saved and again at each delivery, and the POST goes
to the address that was checked (a name that resolves to a public address when saved and to
127.0.0.1 later is refused then, and cannot switch between the check and the connection)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def url_parts(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an endpoint's URL; refused unless it is one the portal may
    call under the settings."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise ValidationError(_("The URL must start with https://."), code="scheme")
    if not parts.hostname or parts.username or parts.password:
        raise ValidationError(_("The URL must name a host, without a user name."), code="host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("The URL's port is not a number."), code="port") from None
    return parts.scheme, parts.hostname, port


def addresses_resolve(host: str, port: int) -> list[str]:
    """The host's addresses, every one of them allowed; refused otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            _("The host %(host)s cannot be found.") % {"host": host}, code="unresolved"
        ) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES and any(map(_refused_address, addresses)):
        raise ValidationError(
            _(
                "The host %(host)s has a private, loopback or link-local address; the portal "
                "only calls public addresses."
            )
            % {"host": host},
            code="private_address",
        )
    if not addresses:
        raise ValidationError(
            _("The host %(host)s cannot be found.") % {"host": host}, code="unresolved"
        )
    return addresses


def endpoint_url_check(url: str) -> None:
    """Refuse a URL the portal would not deliver to (a form's and the service's check)."""
    _scheme, host, port = url_parts(url)
    addresses_resolve(host, port)
