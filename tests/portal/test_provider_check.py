"""The provider's invoice settings are checked at start: what is missing, and numbers whose
mod-11 check digit is wrong, are errors that stop the portal."""

import pytest
from django.test import override_settings

from portal.checks import PROVIDER_REQUIRED, provider_check, sms_check


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_demo_provider_passes():
    assert provider_check() == []


@pytest.mark.parametrize("name", PROVIDER_REQUIRED)
def test_a_missing_provider_setting_is_an_error(name):
    with override_settings(**{name: ""}):
        messages = provider_check()

    assert ids(messages) == ["portal.E110"]
    assert name in messages[0].msg
    assert all(message.is_serious() for message in messages)


@pytest.mark.parametrize(
    ("name", "value", "check_id"),
    [
        ("PORTAL_PROVIDER_ORG_NUMBER", "999999998", "portal.E111"),
        ("PORTAL_PROVIDER_ORG_NUMBER", "999 999 999", "portal.E111"),
        ("PORTAL_PROVIDER_ACCOUNT_NUMBER", "15031234526", "portal.E112"),
        ("PORTAL_PROVIDER_ACCOUNT_NUMBER", "1503.12.34562", "portal.E112"),
        ("PORTAL_PROVIDER_POSTAL_CODE", "150", "portal.E113"),
    ],
)
def test_a_wrong_number_is_an_error_naming_the_setting(name, value, check_id):
    with override_settings(**{name: value}):
        messages = provider_check()

    assert ids(messages) == [check_id]
    assert name in messages[0].msg
    assert messages[0].is_serious()


def test_sms_through_the_providers_api_needs_its_address(settings):
    settings.SMS_BACKEND = "background.sms.HttpBackend"
    settings.SMS_HTTP_URL = ""

    assert [message.id for message in sms_check()] == ["portal.W120"]

    settings.SMS_HTTP_URL = "https://sms.example.no/v1/messages"
    assert sms_check() == []
    settings.SMS_BACKEND, settings.SMS_HTTP_URL = "background.sms.FileBackend", ""
    assert sms_check() == []
