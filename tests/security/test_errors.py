"""Error pages: Norwegian, in the portal's look, showing no data; no debug output when DEBUG
is off (production refuses to start with it on: tests/test_settings.py)."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from accounts.reporting import PortalExceptionReporterFilter

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


def test_error_reports_mask_passwords_codes_and_national_ids(rf):
    request = rf.post(
        "/",
        {
            "username": "kam",
            "password": "hemmelig",
            "national_id": "31129956715",
            "token": "123456",
            "new_password1": "x",
            "mobile": "98765432",
        },
    )

    cleansed = PortalExceptionReporterFilter().get_post_parameters(request)

    assert cleansed["username"] == "kam"
    assert cleansed["mobile"] == "98765432"
    for name in ("password", "national_id", "token", "new_password1"):
        assert cleansed[name] == "********************"


def test_a_server_error_report_to_admins_carries_no_national_id(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["kam"])
    mail.outbox.clear()

    with mock.patch(
        "portal.views.reports.ReportsView.dispatch", side_effect=RuntimeError("broken")
    ):
        response = client.post(
            "/rapporter/", {"national_id": "31129956715", "password": "hemmelig"}
        )

    assert response.status_code == 500
    assert mail.outbox, "Django mails ADMINS a report of every server error"
    reports = "".join(m.body + "".join(str(a[0]) for a in m.alternatives) for m in mail.outbox)
    assert "national_id" in reports  # the report does list the field
    assert "31129956715" not in reports
    assert "hemmelig" not in reports
