"""Rotating the national id key without downtime: put a new key in front, re-encrypt every
stored number (and webhook signing secret) with it, retire the old key — and every number still
reads and is still found."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

import portal.crypto
from portal import services
from portal.crypto import national_id_digest
from portal.models import Employee
from tests.factories import StaffFactory
from tests.portal.helpers import NUMBER, OTHER_NUMBER
from tests.webhooks.conftest import dev_rules  # noqa: F401 -- http:// and 127.0.0.1 allowed
from webhooks.models import WebhookEndpoint
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()  # the key in use
KEY_B = Fernet.generate_key().decode()  # the new key


def keys(*names):
    """override_settings for NATIONAL_ID_KEYS, newest first, with the key cache cleared."""
    portal.crypto._fernet.cache_clear()
    return override_settings(NATIONAL_ID_KEYS=list(names))


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    portal.crypto._fernet.cache_clear()
    yield
    portal.crypto._fernet.cache_clear()


def tokens() -> dict[int, str]:
    return dict(
        Employee.objects.exclude(national_id_encrypted="").values_list(
            "pk", "national_id_encrypted"
        )
    )


def readable_with(key: str, token: str) -> bool:
    try:
        MultiFernet([Fernet(key.encode())]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


@pytest.fixture
def under_key_a(cast):
    """Donald and Ola (two customers) have numbers encrypted with key A; Dolly has none."""
    with keys(KEY_A):
        services.employee_update(employee=cast.donald, actor=cast.testweb, national_id=NUMBER)
        services.employee_update(employee=cast.ola, actor=cast.annen, national_id=OTHER_NUMBER)
    assert all(readable_with(KEY_A, token) for token in tokens().values())
    return {cast.donald.pk: NUMBER, cast.ola.pk: OTHER_NUMBER}


def read_all() -> dict[int, str]:
    return {
        employee.pk: employee.reveal_national_id()
        for employee in Employee.objects.exclude(national_id_encrypted="")
    }


def test_numbers_under_the_old_key_read_after_a_new_key_is_put_in_front(under_key_a):
    with keys(KEY_B, KEY_A):
        assert read_all() == under_key_a


def test_a_number_saved_after_the_new_key_is_in_front_uses_the_new_key(under_key_a, cast):
    with keys(KEY_B, KEY_A):
        dollys = "02048500059"  # of her birth date
        services.employee_update(employee=cast.dolly, actor=cast.testweb, national_id=dollys)

    cast.dolly.refresh_from_db()
    assert readable_with(KEY_B, cast.dolly.national_id_encrypted)
    assert not readable_with(KEY_A, cast.dolly.national_id_encrypted)


def test_reencrypting_moves_every_number_to_the_new_key_and_the_old_key_can_go(under_key_a, cast):
    # given a new key in front of the old one
    digests = dict(Employee.objects.values_list("pk", "national_id_digest"))
    with keys(KEY_B, KEY_A):
        # when the command re-encrypts
        out = StringIO()
        call_command("reencrypt_national_ids", stdout=out)

    # then every token reads with the new key alone, none with the old one
    assert out.getvalue().startswith("2 ")
    assert tokens().keys() == under_key_a.keys()
    for token in tokens().values():
        assert readable_with(KEY_B, token)
        assert not readable_with(KEY_A, token)
    # and with the old key removed every number still reads
    with keys(KEY_B):
        assert read_all() == under_key_a
    # the employee without a number is untouched, and no digest changed
    cast.dolly.refresh_from_db()
    assert (cast.dolly.national_id_encrypted, cast.dolly.national_id_digest) == ("", "")
    assert dict(Employee.objects.values_list("pk", "national_id_digest")) == digests


def test_lookups_by_digest_still_work_after_rotation(under_key_a, cast):
    # given the numbers rotated to key B and key A retired
    with keys(KEY_B, KEY_A):
        call_command("reencrypt_national_ids", stdout=StringIO())

    with keys(KEY_B):
        # then Donald is found by his number's digest
        assert list(Employee.objects.filter(national_id_digest=national_id_digest(NUMBER))) == [
            cast.donald
        ]
        # and his number still counts as taken within the customer
        with pytest.raises(ValidationError) as refused:
            services.employee_update(employee=cast.dolly, actor=cast.testweb, national_id=NUMBER)
    assert "national_id" in refused.value.message_dict


def test_reencrypting_twice_is_harmless(under_key_a):
    with keys(KEY_B, KEY_A):
        call_command("reencrypt_national_ids", stdout=StringIO())
        call_command("reencrypt_national_ids", stdout=StringIO())

    with keys(KEY_B):
        assert read_all() == under_key_a


def test_without_the_new_key_in_front_the_old_numbers_do_not_read(under_key_a):
    """The other half of the proof: key B alone cannot read what only key A encrypted, so
    the tests above really depend on the command."""
    with keys(KEY_B), pytest.raises(InvalidToken):
        read_all()


def test_reencrypting_moves_the_webhook_secrets_too_and_each_stays_the_same(cast, dev_rules):  # noqa: F811
    # given an endpoint whose signing secret was encrypted with key A
    with keys(KEY_A):
        integrator = StaffFactory(username="integrasjon", is_superuser=True)
        endpoint = webhook_endpoint_create(
            actor=integrator, name="CRM", url="http://127.0.0.1:9/h", events=["order.submitted"]
        )
        secret = endpoint.reveal_secret()

    # when the command re-encrypts under key B in front
    with keys(KEY_B, KEY_A):
        out = StringIO()
        call_command("reencrypt_national_ids", stdout=out)

    # then with key A retired the endpoint still has the same secret
    assert out.getvalue().splitlines()[1].startswith("1 ")
    token = WebhookEndpoint.objects.values_list("secret_encrypted", flat=True).get()
    assert readable_with(KEY_B, token)
    assert not readable_with(KEY_A, token)
    with keys(KEY_B):
        assert WebhookEndpoint.objects.get().reveal_secret() == secret
