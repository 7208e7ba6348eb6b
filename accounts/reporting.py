"""What an error report (the mail to ADMINS, the log) may carry of a request: the shape of
it, never a person's data. Every POST field, GET parameter, cookie and frame variable is
masked unless it is listed as safe here; so are the request headers that carry cookies or
credentials, and e-mail addresses, long numbers and dates in the exception's own text."""

import logging
import re

from django.conf import settings
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

#: POST fields whose values may show: which button or step was posted, never what was typed.
VISIBLE_POST_FIELDS = frozenset(
    {"action", "index", "select_across", "_save", "_continue", "_addanother", "_saveasnew"}
)
#: GET parameters whose values may show: paging, sorting and the admin's popup switches.
VISIBLE_GET_PARAMETERS = frozenset({"p", "o", "_popup", "_to_field"})
#: Request headers and server variables whose values may show.
VISIBLE_META = frozenset(
    {
        "REQUEST_METHOD",
        "PATH_INFO",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
        "GATEWAY_INTERFACE",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "REMOTE_ADDR",
        "HTTP_HOST",
        "HTTP_USER_AGENT",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_ENCODING",
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_CONNECTION",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "wsgi.url_scheme",
        "wsgi.multithread",
        "wsgi.multiprocess",
        "wsgi.run_once",
        "wsgi.version",
    }
)

#: An e-mail address; a run of eight digits or more (a mobile number, a national id number,
#: also written 6 + 5); a date (an ISO date or dd.mm.yyyy, a birth date perhaps).
PERSONAL_DATA = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<!\d)(?:\d{6} \d{5}|\+?\d{8,})(?!\d)"
    r"|(?<!\d)(?:\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4})(?!\d)"
)
MASK = "********************"


def mask_personal_data(text: str) -> str:
    return PERSONAL_DATA.sub(MASK, text)


class PortalExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter turned round: everything is masked unless it is listed as safe, whether
    or not its view was decorated with @sensitive_post_parameters. With DEBUG on (a developer's
    own machine) it masks nothing, as Django's does."""

    def _masked(self, request, items, visible):
        if not self.is_active(request):
            return items
        cleansed = items.copy()
        for name in cleansed:
            if name not in visible:
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return self._masked(request, request.POST, VISIBLE_POST_FIELDS)

    def get_get_parameters(self, request):
        if request is None:
            return {}
        return self._masked(request, request.GET, VISIBLE_GET_PARAMETERS)

    def get_files(self, request):
        if request is None:
            return {}
        return self._masked(request, request.FILES, frozenset())

    def get_safe_cookies(self, request):
        cookies = getattr(request, "COOKIES", {})
        return self._masked(request, dict(cookies), frozenset({settings.LANGUAGE_COOKIE_NAME}))

    def get_safe_request_meta(self, request):
        meta = getattr(request, "META", None)
        if meta is None:
            return {}
        if not self.is_active(request):
            return super().get_safe_request_meta(request)
        return {
            name: value if name in VISIBLE_META else self.cleansed_substitute
            for name, value in meta.items()
        }

    def get_traceback_frame_variables(self, request, tb_frame):
        """The names of a frame's variables, not their values: a form, a row or a string in
        a frame may hold anything a person typed."""
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class PortalExceptionReporter(ExceptionReporter):
    """Django's report, with the parts its filter does not reach masked by the filter too:
    the GET parameters, the query string of the URL, the uploaded files and the exception's
    text (a database error quotes the value it refused)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if not self.filter.is_active(self.request):
            return data
        if data.get("user_str"):
            data["user_str"] = mask_personal_data(str(data["user_str"]))
        if "exception_value" in data:
            data["exception_value"] = mask_personal_data(str(data["exception_value"]))
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = mask_personal_data(str(frame["exc_cause"]))
        if self.request is not None:
            data["request_GET_items"] = self.filter.get_get_parameters(self.request).items()
            data["request_FILES_items"] = self.filter.get_files(self.request).items()
            data["request_insecure_uri"] = self._uri_without_query()
        return data

    def _uri_without_query(self) -> str:
        uri = self._get_raw_insecure_uri()  # type: ignore[attr-defined]  # Django 5.2's own
        path, _sep, query = uri.partition("?")
        return f"{path}?{self.filter.cleansed_substitute}" if query else path


class MaskingFormatter(logging.Formatter):
    """The log line and its traceback with e-mail addresses, long numbers and dates masked: an
    exception's text may quote what a person typed."""

    def format(self, record):
        return mask_personal_data(super().format(record))
