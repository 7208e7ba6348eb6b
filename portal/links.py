"""Absolute links for e-mails.

Production links to PORTAL_BASE_URL. On a developer's machine the portal may be served on any
address, so while a request is handled (`RequestBaseUrlMiddleware`) a mail written in it links
to the address that request came in on; a mail written elsewhere (a worker, a command) falls
back to PORTAL_BASE_URL.
"""

from contextvars import ContextVar

from django.conf import settings

_request_base_url: ContextVar[str] = ContextVar("request_base_url", default="")


def absolute_url(path: str) -> str:
    """`path` on the portal's address, for a link in a mail."""
    base = _request_base_url.get() or settings.PORTAL_BASE_URL
    return base.rstrip("/") + path


class RequestBaseUrlMiddleware:
    """Record the request's own address for `absolute_url` when PORTAL_LINKS_FROM_REQUEST
    (development without PORTAL_BASE_URL); otherwise do nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PORTAL_LINKS_FROM_REQUEST:
            return self.get_response(request)
        token = _request_base_url.set(request.build_absolute_uri("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base_url.reset(token)
