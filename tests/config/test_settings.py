"""Settings: production refuses to start without its secrets; defaults are Norwegian."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.utils import formats, translation

BASE_DIR = Path(__file__).resolve().parents[2]

# What a clean shell has; nothing of the developer's or CI's environment leaks in.
CLEAN_ENV = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}

PRODUCTION_SECRETS = {
    "SECRET_KEY": "kp-" + "x7Qm2Lr9Tz4Vb8Nc1Hd6Jf3Kg5Wp0Ys" * 2,
    "ALLOWED_HOSTS": "kundeportal.example.no",
    "NATIONAL_ID_KEYS": Fernet.generate_key().decode(),
    "NATIONAL_ID_HASH_KEY": "hash-key-for-the-deploy-check-0123456789",
    "HEALTH_DATA_KEYS": Fernet.generate_key().decode(),
    "PORTAL_BASE_URL": "https://kundeportal.example.no",
    # What every invoice says of the provider.
    "PORTAL_PROVIDER_NAME": "Avonova",
    "PORTAL_PROVIDER_ADDRESS": "Eksempelveien 1",
    "PORTAL_PROVIDER_POSTAL_CODE": "0150",
    "PORTAL_PROVIDER_CITY": "Oslo",
    "PORTAL_PROVIDER_ORG_NUMBER": "999999999",
    "PORTAL_PROVIDER_ACCOUNT_NUMBER": "15031234562",
}


def run(*args, settings_module, **env):
    """Run Python with only the given environment, from the project directory."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setup_and_print(expression: str, *, settings_module: str, **env):
    return run(
        "-c",
        f"import django; django.setup(); from django.conf import settings; print({expression})",
        settings_module=settings_module,
        **env,
    )


# --- Production --------------------------------------------------------------------------


@pytest.mark.parametrize("missing", sorted(PRODUCTION_SECRETS))
def test_production_refuses_to_start_without_a_secret(missing):
    # given every secret but one
    env = {name: value for name, value in PRODUCTION_SECRETS.items() if name != missing}

    # when Django starts with the production settings
    result = setup_and_print("'started'", settings_module="config.settings.production", **env)

    # then it stops, naming what is missing
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set" in result.stderr


def test_production_refuses_to_start_with_no_environment_at_all():
    result = setup_and_print("'started'", settings_module="config.settings.production")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = setup_and_print(
        "'started'",
        settings_module="config.settings.production",
        DJANGO_DEBUG="true",
        **PRODUCTION_SECRETS,
    )

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off" in result.stderr


def test_production_with_its_secrets_passes_the_deploy_check():
    # given every secret in the environment, and the SMS provider's address
    # when Django's deploy check runs, failing on warnings
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings_module="config.settings.production",
        **PRODUCTION_SECRETS,
        SMS_HTTP_URL="https://sms.example.no/v1/messages",
    )

    # then it finds nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_the_sms_providers_address_is_warned():
    result = run(
        "manage.py",
        "check",
        "--deploy",
        settings_module="config.settings.production",
        **PRODUCTION_SECRETS,
    )

    assert result.returncode == 0, result.stdout + result.stderr  # it starts: e-mail still works
    assert "portal.W120" in result.stdout + result.stderr


def test_production_refuses_a_provider_account_number_with_a_typo():
    # given the provider's account number with two digits swapped
    env = {**PRODUCTION_SECRETS, "PORTAL_PROVIDER_ACCOUNT_NUMBER": "15031234526"}

    # when Django's checks run under the production settings
    result = run("manage.py", "check", settings_module="config.settings.production", **env)

    # then they stop, naming the setting
    assert result.returncode != 0
    assert "portal.E112" in result.stderr
    assert "PORTAL_PROVIDER_ACCOUNT_NUMBER" in result.stderr


def test_production_takes_its_settings_from_the_environment():
    result = setup_and_print(
        "settings.DEBUG, settings.ALLOWED_HOSTS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECRET_KEY == "
        f"{PRODUCTION_SECRETS['SECRET_KEY']!r}",
        settings_module="config.settings.production",
        **PRODUCTION_SECRETS,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['kundeportal.example.no'] True True True"


# --- Defaults ----------------------------------------------------------------------------


def test_the_portal_speaks_norwegian_in_oslo_time():
    assert settings.LANGUAGE_CODE == "nb"
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["nb", "en"]


def test_dates_are_typed_day_month_year():
    assert settings.DATE_INPUT_FORMATS[0] == "%d.%m.%Y"
    with translation.override("nb"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d.%m.%Y"


def test_a_development_machine_gets_sqlite_without_database_url():
    # given a clean environment: no DATABASE_URL
    result = setup_and_print(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'], "
        "settings.DEBUG, settings.LANGUAGE_CODE, settings.TIME_ZONE",
        settings_module="config.settings.dev",
    )

    # then the database is the SQLite file beside manage.py
    assert result.returncode == 0, result.stderr
    engine, name, debug, language, time_zone = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == BASE_DIR / "db.sqlite3"
    assert (debug, language, time_zone) == ("True", "nb", "Europe/Oslo")


def test_database_url_chooses_postgresql():
    result = setup_and_print(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        settings_module="config.settings.dev",
        DATABASE_URL="postgres://portal@db.example.no:5432/kundeportal",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "kundeportal"]


# --- Links in e-mails --------------------------------------------------------------------


def test_links_follow_the_request_in_development_unless_portal_base_url_is_set():
    expression = "settings.PORTAL_LINKS_FROM_REQUEST, settings.PORTAL_BASE_URL"

    unset = setup_and_print(expression, settings_module="config.settings.dev")
    chosen = setup_and_print(
        expression, settings_module="config.settings.dev", PORTAL_BASE_URL="http://dev.local:9000"
    )
    production = setup_and_print(
        expression, settings_module="config.settings.production", **PRODUCTION_SECRETS
    )

    assert unset.stdout.split() == ["True", "http://127.0.0.1:8000"], unset.stderr
    assert chosen.stdout.split() == ["False", "http://dev.local:9000"], chosen.stderr
    assert production.stdout.split() == ["False", "https://kundeportal.example.no"], (
        production.stderr
    )
