"""Rotating the health data key: put a new key in front, re-encrypt every stored answer set
with it, retire the old key — and every answer still reads."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.management import call_command
from django.test import override_settings

from health.crypto import answers_decrypt
from health.models import QuestionnaireAnswer
from tests.factories import BookingFactory

from ..conftest import MARKER, answered

KEY_A = Fernet.generate_key().decode()  # the key in use
KEY_B = Fernet.generate_key().decode()  # the new key


def keys(*names):
    """HEALTH_DATA_KEYS, newest first."""
    return override_settings(HEALTH_DATA_KEYS=list(names))


def tokens() -> dict[int, str]:
    return dict(
        QuestionnaireAnswer.objects.exclude(answers_encrypted="").values_list(
            "pk", "answers_encrypted"
        )
    )


def readable_with(key: str, token: str) -> bool:
    try:
        MultiFernet([Fernet(key.encode())]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def read_all() -> dict[int, dict]:
    return {pk: answers_decrypt(token) for pk, token in tokens().items()}


@pytest.fixture
def under_key_a(booking, questionnaire, cast):
    """Two answer sets encrypted with key A, and one sent but not answered."""
    other = BookingFactory(appointment=booking.appointment, employee=cast.dolly)
    with keys(KEY_A):
        first = answered(booking, questionnaire, {"1": "yes", "3": MARKER})
        second = answered(other, questionnaire, {"1": "no", "3": "Ingen"})
    QuestionnaireAnswer.objects.create(
        booking=BookingFactory(appointment=booking.appointment, employee=cast.anton),
        questionnaire=questionnaire,
    )
    assert all(readable_with(KEY_A, token) for token in tokens().values())
    return {first.pk: {"1": "yes", "3": MARKER}, second.pk: {"1": "no", "3": "Ingen"}}


def test_answers_under_the_old_key_read_after_a_new_key_is_put_in_front(under_key_a):
    with keys(KEY_B, KEY_A):
        assert read_all() == under_key_a


def test_reencrypting_moves_every_answer_to_the_new_key_and_the_old_key_can_go(under_key_a):
    # given a new key in front of the old one
    with keys(KEY_B, KEY_A):
        # when the command re-encrypts
        out = StringIO()
        call_command("reencrypt_health_data", stdout=out)

    # then every token reads with the new key alone, none with the old one
    assert out.getvalue().startswith("2 ")
    for token in tokens().values():
        assert readable_with(KEY_B, token)
        assert not readable_with(KEY_A, token)
    # and with the old key removed every answer still reads
    with keys(KEY_B):
        assert read_all() == under_key_a
    # the answer set without answers is untouched
    assert QuestionnaireAnswer.objects.filter(answers_encrypted="").count() == 1


def test_without_the_new_key_in_front_the_old_answers_do_not_read(under_key_a):
    """The other half of the proof: key B alone cannot read what only key A encrypted."""
    with keys(KEY_B), pytest.raises(InvalidToken):
        read_all()
