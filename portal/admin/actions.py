"""Helpers for admin pages whose buttons and forms call a service: a dialog that asks before
it posts, the page's object fetched once for all its buttons, and a service's refusal shown
as a message instead of a stack trace."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from unfold.forms import BaseDialogForm

_FETCHED_ATTR = "_portal_fetched_once"


def action_dialog(title, description, *, submit=None, form_class=BaseDialogForm) -> dict:
    """The dialog of an Unfold action that changes something; its button says `submit`, or
    the title when that says it already."""
    return {
        "title": title,
        "description": description,
        "form_class": form_class,
        "form_submit_text": title if submit is None else submit,
    }


def fetched_once(request, fetch, object_id):
    """`fetch(request, object_id)`, remembered for the rest of the request: Unfold asks each
    button on a page for its permission in turn, and each would fetch the object again."""
    if not object_id:
        return None
    fetched = request.__dict__.setdefault(_FETCHED_ATTR, {})
    key = (fetch, str(object_id))
    if key not in fetched:
        fetched[key] = fetch(request, str(object_id))
    return fetched[key]


def redirect_back(request, url: str) -> HttpResponse:
    """After a dialog posted through htmx, reload the page; otherwise a plain redirect."""
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def show_refusal(request, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


def run_service(request, service, *, success: str, **kwargs) -> bool:
    """Call a service; show its refusal as a message. True when it went through."""
    try:
        service(**kwargs)
    except (ValidationError, PermissionDenied) as error:
        show_refusal(request, error)
        return False
    messages.success(request, success)
    return True


def adopt_saved(obj, saved) -> None:
    """Let the admin's unsaved `obj` stand for the row a service saved: the admin goes on to
    save the inlines, log the change and redirect with it."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db


class ServiceRefusalMixin:
    """For an admin whose `save_model` calls a service: a rule only the service can see (a
    race on an e-mail address, a booked employee's other appointment) is said as a message
    over the form again, instead of an error page."""

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            show_refusal(request, error)
            return redirect(request.get_full_path())
