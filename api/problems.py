"""Every refusal as an RFC 9457 problem detail (`application/problem+json`): a `type` URI
that names the kind of problem, a `title`, the HTTP `status`, a `detail` for this occurrence,
and, for invalid input, `errors` by field. In Norwegian unless the caller asks for English
(Accept-Language); the message of a service's refusal is the one a person would read."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.services.versions import StaleEdit

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:kundeportal:problem:"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The row was changed after the version you sent in If-Match. Nothing was saved: "
        "fetch it again and repeat the change."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the row's ETag in If-Match: a change must say which version it was made on."
    )
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    """A step the row's current state does not allow (an order already approved, a booking
    cancelled): the request was well formed, the row has moved on. The detail is the
    service's own message, which names the state the row is in and the one needed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The row's current state does not allow this.")
    default_code = "conflict"


@contextmanager
def state_refusals_as_conflict(*codes: str):
    """A service's refusal with one of `codes` (its `ValidationError` codes for "not in this
    state") answers 409 instead of 400; any other refusal is left as it is."""
    try:
        yield
    except StaleEdit:
        raise
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict") and {error.code for error in exc.error_list} & set(codes):
            raise Conflict(" ".join(exc.messages)) from None
        raise


#: status -> (the problem's type, its title)
KINDS = {
    400: ("invalid", _("Invalid request")),
    401: ("unauthenticated", _("Not authenticated")),
    403: ("forbidden", _("Not allowed")),
    404: ("not-found", _("Not found")),
    405: ("method-not-allowed", _("Method not allowed")),
    406: ("not-acceptable", _("Not acceptable")),
    409: ("conflict", _("Not possible in the current state")),
    412: ("stale", _("Changed by someone else")),
    413: ("too-large", _("Request too large")),
    415: ("unsupported-media-type", _("Unsupported media type")),
    428: ("if-match-required", _("If-Match required")),
    429: ("throttled", _("Too many requests")),
}


NOT_FOUND_DETAIL = _("There is no such row, or the token may not see it.")


def problem_body(status_code: int, detail, *, errors=None) -> dict:
    kind, title = KINDS.get(status_code, ("error", _("Error")))
    body = {
        "type": TYPE_PREFIX + kind,
        "title": str(title),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    return body


def problem(status_code: int, detail, *, errors=None, headers=None) -> Response:
    return Response(
        problem_body(status_code, detail, errors=errors),
        status=status_code,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _field_errors(data) -> dict[str, list[str]]:
    """DRF's nested error structure flattened to {field: [messages]} (`non_field_errors` for
    the whole request)."""
    if isinstance(data, list):
        return {"non_field_errors": [str(item) for item in data]}
    flat: dict[str, list[str]] = {}
    for field, value in data.items():
        if isinstance(value, dict):
            for inner, messages in _field_errors(value).items():
                flat[f"{field}.{inner}"] = messages
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            # A list of rows (an invoice's lines): each row's fields, numbered from 0.
            for index, item in enumerate(value):
                for inner, messages in _field_errors(item or {}).items():
                    flat[f"{field}.{index}.{inner}"] = messages
        elif isinstance(value, list):
            flat[field] = [str(item) for item in value]
        else:
            flat[field] = [str(value)]
    return flat


def _detail_of(errors: dict[str, list[str]]) -> str:
    """One line that names each field and what is wrong with it."""
    return "; ".join(
        f"{field}: {' '.join(messages)}" if field != "non_field_errors" else " ".join(messages)
        for field, messages in errors.items()
    )


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        return problem(412, PreconditionFailed.default_detail)
    if isinstance(exc, DjangoValidationError):
        errors = (
            {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        errors = {("non_field_errors" if f == "__all__" else f): m for f, m in errors.items()}
        return problem(400, _detail_of(errors), errors=errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler answers (and reports it, masked)
    headers = {
        name: value
        for name, value in response.items()
        if name in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(response.data)
        return problem(response.status_code, _detail_of(errors), errors=errors, headers=headers)
    if isinstance(exc, exceptions.NotFound):
        # The same words for a row that does not exist and one of another customer.
        return problem(404, NOT_FOUND_DETAIL)
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    return problem(response.status_code, detail, headers=headers)
