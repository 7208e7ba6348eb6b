"""Helpers for Unfold actions that call a service: messages instead of stack traces."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect


def redirect_back(request, url: str) -> HttpResponse:
    """After a dialog posted through htmx, reload the page; otherwise a plain redirect."""
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def run_service(request, service, *, success: str, **kwargs) -> bool:
    """Call a service; show its refusal as a message. True when it went through."""
    try:
        service(**kwargs)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(getattr(error, "messages", None) or [str(error)])
        messages.error(request, text)
        return False
    messages.success(request, success)
    return True
