"""Every answer carries the security headers, also those made before or beside a view: a
refused upload, a forged host, a missing CSRF token, a lock-out, a throttled password reset,
the error pages, a static file, and a middleware that fails (issue 19.12). The header
middlewares wrap all the others."""

from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _too_large(users):
    client = Client()
    return client.post(
        "/portal/employee/import/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.PORTAL_UPLOAD_MAX_BYTES + 1),
    )


def _forged_host(users):
    return Client().get("/login/", HTTP_HOST="angriper.example")


def _csrf_missing(users):
    return Client(enforce_csrf_checks=True).post("/login/", {"username": "kam", "password": "x"})


def _permission_denied(users):
    client = Client()
    client.force_login(users["testweb"])
    return client.get("/portal/customer/")


def _not_found(users):
    client = Client()
    client.force_login(users["kam"])
    return client.get("/finnes-ikke/")


def _server_error(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["kam"])
    with mock.patch("portal.views.reports.ReportsView.get", side_effect=RuntimeError("broken")):
        return client.get("/rapporter/")


def _middleware_error(users):
    """An exception inside a middleware (the session store gone, say) is turned into the 500
    page by that middleware's own wrapper: only the middlewares outside it see the answer."""
    client = Client(raise_request_exception=False)
    client.force_login(users["kam"])
    with mock.patch("accounts.middleware.session_is_idle", side_effect=RuntimeError("broken")):
        return client.get("/")


def _locked_out(users):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/login/?next=/", {"username": "kam", "password": "feil", "next": "/"}
        )
    return response


def _reset_throttled(users):
    client = Client()
    for _attempt in range(settings.PORTAL_PASSWORD_RESET_PER_EMAIL + 1):
        response = client.post("/passord/glemt/", {"email": "testweb@testikkeibruk.no"})
    return response


def _static_file(users):
    """Served by WhiteNoise before the rest of the stack; an SVG could carry a script."""
    return Client().get("/static/portal/favicon.svg")


def _login_required(users):
    return Client().get("/portal/order/")


def _method_not_allowed(users):
    client = Client()
    client.force_login(users["kam"])
    return client.get("/varsler/les-alle/")


ANSWERS = {
    "413 upload too large": (_too_large, 413),
    "400 forged host": (_forged_host, 400),
    "403 CSRF failure": (_csrf_missing, 403),
    "403 permission denied": (_permission_denied, 403),
    "404 not found": (_not_found, 404),
    "500 in a view": (_server_error, 500),
    "500 in a middleware": (_middleware_error, 500),
    "429 locked out": (_locked_out, 429),
    "200 static file": (_static_file, 200),
    "302 to the login": (_login_required, 302),
    "302 throttled password reset": (_reset_throttled, 302),
    "405 method not allowed": (_method_not_allowed, 405),
}


@pytest.mark.parametrize("name", ANSWERS)
def test_every_answer_carries_the_security_headers(name, users):
    make, status = ANSWERS[name]

    response = make(users)

    assert response.status_code == status
    assert response.get("X-Frame-Options") == "DENY"
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") == "same-origin"
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin"
    assert "frame-ancestors 'none'" in response.get("Content-Security-Policy", "")
