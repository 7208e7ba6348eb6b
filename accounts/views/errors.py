"""Error pages: Norwegian, in the portal's look, and showing nothing of the request, the
user or the error (no path, no exception text, no debug output)."""

import logging
from typing import Any

from django.contrib import admin
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _look(request) -> dict:
    """The theme (title, colours, favicon, stylesheet) and nothing else of the site's context:
    an error page must render even when the database is the error."""
    # Unfold 0.91 reads its theme only inside UnfoldAdminSite.each_context, which also builds
    # the sidebar, the tabs and the account links from the user and the database; it has no
    # public way to read one setting resolved for a request. So the theme's keys are read
    # through its private readers (_get_config, _get_colors, _get_favicons, _get_list), in a
    # try: an Unfold upgrade that renames them costs the error pages their look, not the page.
    site: Any = admin.site  # UnfoldAdminSite; its private readers are not in AdminSite's type
    try:
        return {
            "site_title": site._get_config("SITE_TITLE", request),
            "site_header": site._get_config("SITE_HEADER", request),
            "site_symbol": site._get_config("SITE_SYMBOL", request),
            "colors": site._get_colors("COLORS", request),
            "border_radius": site._get_config("BORDER_RADIUS", request),
            "site_favicons": site._get_favicons("SITE_FAVICONS", request),
            "styles": site._get_list("STYLES", request),
        }
    except Exception:  # the look is a nicety; the error page is not
        logger.exception("The error page's theme could not be read")
        return {}


def _render(request, template_name: str, status: int, *, with_request: bool = True):
    context = {**_look(request), "status": status}
    body = loader.get_template(template_name).render(
        context, request=request if with_request else None
    )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _render(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


def server_error(request):
    """Rendered without the request's context processors (they may need the database)."""
    try:
        return _render(request, "500.html", 500, with_request=False)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            f"<h1>{_('Something went wrong')}</h1><p>{_('Please try again later.')}</p>",
            content_type="text/html",
        )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was too old or came from elsewhere; the reason is logged
    by Django, not shown."""
    return _render(request, "403_csrf.html", 403)


def upload_too_large(request):
    return _render(request, "413.html", 413, with_request=False)
