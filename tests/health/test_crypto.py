"""The answers of a health declaration are encrypted at rest, with keys of their own."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured

from health.crypto import answers_decrypt, answers_encrypt
from portal.crypto import national_id_encrypt

from .conftest import MARKER, answered, raw_row


def test_decrypting_gives_the_answers_back():
    answers = {"1": "yes", "2": 12, "3": MARKER, "4": ["a", "b"]}

    assert answers_decrypt(answers_encrypt(answers)) == answers


def test_the_same_answers_give_different_texts():
    assert answers_encrypt({"1": MARKER}) != answers_encrypt({"1": MARKER})


def test_the_database_column_holds_no_readable_answer(booking, questionnaire):
    # given an answer set with the marker among its answers
    question = questionnaire.questions.get(order=3)
    answer_set = answered(booking, questionnaire, {str(question.pk): MARKER})

    # when the table is read directly, past the model
    row = raw_row(answer_set)

    # then no part of the answer is there, only the status beside the token
    assert "submitted" in row
    assert MARKER not in row
    assert "astma" not in row.lower()
    assert "7731" not in row


def test_health_data_does_not_read_with_the_national_id_keys(settings):
    token = answers_encrypt({"1": MARKER})

    settings.HEALTH_DATA_KEYS = settings.NATIONAL_ID_KEYS
    with pytest.raises(InvalidToken):
        answers_decrypt(token)


def test_the_keys_are_not_the_national_id_keys(settings):
    assert set(settings.HEALTH_DATA_KEYS).isdisjoint(settings.NATIONAL_ID_KEYS)
    national = national_id_encrypt("31129956715")
    settings.HEALTH_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        answers_decrypt(national)


def test_without_keys_nothing_is_encrypted(settings):
    settings.HEALTH_DATA_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="HEALTH_DATA_KEYS"):
        answers_encrypt({"1": MARKER})
