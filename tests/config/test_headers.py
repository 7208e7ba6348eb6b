"""Security headers on every page; in production also HSTS and secure, HttpOnly cookies."""

import subprocess
import sys

import pytest
from django.conf import settings

from tests.config.test_settings import BASE_DIR, CLEAN_ENV, PRODUCTION_SECRETS

from .production import PRODUCTION_HEADERS

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["/login/", "/passord/glemt/", "/finnes-ikke/"])
def test_every_page_carries_the_policy_and_headers(url, client):
    response = client.get(url)

    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-eval'"]  # no inline script
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signed_in_pages_too(cast, client):
    client.force_login(cast.kam)

    response = client.get("/portal/order/")

    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_production_adds_hsts_and_secure_cookies(cast, client, settings):
    for name, value in PRODUCTION_HEADERS.items():
        setattr(settings, name, value)

    response = client.post("/login/?next=/", {"username": "kam", "password": "demo"}, secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"]
    assert csrf["httponly"]


def test_the_production_settings_are_the_ones_tested():
    """PRODUCTION_HEADERS mirrors config/settings/production.py (HTTPS redirect aside)."""

    names = sorted(PRODUCTION_HEADERS)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"print(repr({{n: getattr(settings, n) for n in {names!r}}}))",
        ],
        cwd=BASE_DIR,
        env={
            **CLEAN_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            **PRODUCTION_SECRETS,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr({n: PRODUCTION_HEADERS[n] for n in names})
    assert settings.CONTENT_SECURITY_POLICY  # the policy itself is the same everywhere
