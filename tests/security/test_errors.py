"""Error pages: Norwegian, in the portal's look, showing no data; no debug output when DEBUG
is off (production refuses to start with it on: tests/test_settings.py)."""

import io
import logging
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.views.debug import get_exception_reporter_class

from accounts.reporting import MaskingFormatter, PortalExceptionReporterFilter

pytestmark = pytest.mark.django_db

DEBUG_MARKERS = ("Traceback", "Django tried these URL patterns", "DEBUG = True", "Request Method")


def _error_page(response, status):
    text = response.content.decode()
    assert response.status_code == status
    assert f'data-testid="error-page" data-status="{status}"' in text
    assert 'lang="nb"' in text
    assert "--color-primary-600" in text  # the portal's own colours
    for marker in DEBUG_MARKERS:
        assert marker not in text
    return text


def test_404_names_nothing_of_the_request(users, client):
    client.force_login(users["kam"])

    text = _error_page(client.get("/hemmelig/sti-med-data-12345/"), 404)

    assert "hemmelig" not in text
    assert "12345" not in text
    assert "Kari" not in text  # not even who is asking


def test_403_shows_no_data(users, client):
    client.force_login(users["testweb"])

    text = _error_page(client.get("/portal/customer/"), 403)

    assert "Testbedriften" not in text
    assert "Eksempel" not in text


def test_500_shows_no_traceback_and_no_data(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["kam"])

    with mock.patch(
        "portal.views.reports.ReportsView.get", side_effect=RuntimeError("hemmelig 31129956715")
    ):
        response = client.get("/rapporter/")

    text = _error_page(response, 500)
    assert "hemmelig" not in text
    assert "31129956715" not in text


def test_400_for_a_forged_host(client):
    _error_page(client.get("/login/", HTTP_HOST="angriper.example"), 400)


def test_a_form_without_its_csrf_token_gets_the_norwegian_403(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "kam", "password": "demo"})

    _error_page(response, 403)


PERSONAL = {
    "email": "kari.nordmann@example.no",
    "mobile": "98765432",
    "national_id": "31129956715",
    "birth_date": "02.04.1985",
    "first_name": "Kari",
}
CSRF_COOKIE = "h3mmeligCsrfCookieVerdi0123456789"
SESSION_COOKIE = "h3mmeligSesjonsnokkel98765"


def _report_of_a_failed_post(rf):
    """The report Django would mail for a POST of an employee's data that failed in a view
    holding the data in local variables, and quoting one in its exception's text."""
    request = rf.post(
        "/portal/employee/add/?q=kari.nordmann@example.no&p=2",
        {**PERSONAL, "_save": "Lagre", "csrfmiddlewaretoken": "h3mmeligSkjemaToken"},
        HTTP_COOKIE=f"csrftoken={CSRF_COOKIE}; sessionid={SESSION_COOKIE}; django_language=nb",
        HTTP_AUTHORIZATION="Basic aGVtbWVsaWc6cGFzc29yZA==",
        HTTP_X_CSRFTOKEN=CSRF_COOKIE,
        HTTP_REFERER="https://kundeportal.example.no/portal/employee/?q=31129956715",
    )
    request.META["CSRF_COOKIE"] = CSRF_COOKIE

    def view(request):
        email = request.POST["email"]  # noqa: F841 -- a local the report must not show
        form_data = dict(request.POST.items())  # noqa: F841
        raise ValueError(f"duplicate key: (email)=({PERSONAL['email']}), {PERSONAL['mobile']}")

    try:
        view(request)
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info(), is_email=True)
    return reporter


@pytest.mark.parametrize("render", ["get_traceback_text", "get_traceback_html"])
def test_an_error_report_carries_no_personal_data_and_no_cookie(rf, render):
    # given a POST of an employee's data, with cookies and credentials, that failed
    reporter = _report_of_a_failed_post(rf)

    # when the report is rendered, as the mail to ADMINS has it
    report = getattr(reporter, render)()

    # then no value a person typed, no cookie and no credential is in it
    for value in (*PERSONAL.values(), "1985", "31129956715"):
        assert value not in report, value
    for secret in (CSRF_COOKIE, SESSION_COOKIE, "h3mmeligSkjemaToken", "aGVtbWVsaWc6"):
        assert secret not in report, secret
    # while the report still says where it happened and what was posted
    assert "/portal/employee/add/" in report
    assert "duplicate key" in report
    assert "birth_date" in report
    assert "Lagre" in report  # the button, which is listed as safe


def test_the_filter_masks_every_field_unless_listed(rf):
    request = rf.post("/", {"username": "kam", "password": "hemmelig", "action": "delete"})

    cleansed = PortalExceptionReporterFilter().get_post_parameters(request)

    assert cleansed["username"] == "********************"
    assert cleansed["password"] == "********************"
    assert cleansed["action"] == "delete"


def test_a_log_line_masks_what_the_exception_quotes(caplog):
    """The console's formatter: an exception's text may quote a value a person typed."""
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(MaskingFormatter())
    logger = logging.getLogger("tests.masking")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("Key (email)=(kari.nordmann@example.no) 31129956715 98765432")
        except ValueError:
            logger.exception("Internal Server Error: /portal/employee/add/")
    finally:
        logger.removeHandler(handler)

    line = handler.stream.getvalue()
    assert "Internal Server Error: /portal/employee/add/" in line
    assert "Key (email)" in line
    for value in ("kari.nordmann@example.no", "31129956715", "98765432"):
        assert value not in line


def test_a_server_error_report_to_admins_carries_no_personal_data(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["kam"])
    mail.outbox.clear()

    with mock.patch(
        "portal.views.reports.ReportsView.dispatch", side_effect=RuntimeError("broken")
    ):
        response = client.post("/rapporter/", {**PERSONAL, "password": "hemmelig"})

    assert response.status_code == 500
    assert mail.outbox, "Django mails ADMINS a report of every server error"
    reports = "".join(m.body + "".join(str(a[0]) for a in m.alternatives) for m in mail.outbox)
    assert "national_id" in reports  # the report does list the field
    assert "hemmelig" not in reports
    for value in PERSONAL.values():
        assert value not in reports, value
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_cookie not in reports
