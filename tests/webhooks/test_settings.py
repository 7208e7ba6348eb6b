"""Production's webhook rules cannot be relaxed from the environment; development's are."""

from tests.config.test_settings import PRODUCTION_SECRETS, setup_and_print

RULES = "settings.WEBHOOKS_ALLOW_HTTP, settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"


def test_production_calls_only_https_on_public_addresses_whatever_the_environment():
    result = setup_and_print(
        RULES,
        settings_module="config.settings.production",
        WEBHOOKS_ALLOW_HTTP="true",
        WEBHOOKS_ALLOW_PRIVATE_ADDRESSES="true",
        **PRODUCTION_SECRETS,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


def test_development_allows_a_receiver_on_the_same_machine():
    result = setup_and_print(RULES, settings_module="config.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"
