"""Django's password validators, with their messages in Norwegian."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import ngettext

# Django 5.2 changed this message's msgid to "%d" and its nb catalogue has only the old one:
# the project's catalogue (locale/vendor) must carry it.
TOO_SHORT = (
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
)


def _messages(password):
    user = get_user_model()(username="testweb", first_name="Testweb", email="testweb@example.no")
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_the_validators_are_djangos_four_with_ten_characters():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.parametrize(
    ("password", "norwegian"),
    [
        ("testweb123", "Passordet er for likt brukernavn."),
        ("password123", "Dette passordet er for vanlig."),
        ("12345678901", "Dette passordet inneholder bare tall."),
    ],
)
def test_a_weak_password_is_refused_in_norwegian(password, norwegian):
    with translation.override("nb"):
        assert norwegian in _messages(password)


def test_a_short_password_is_refused_in_norwegian():
    with translation.override("nb"):
        if ngettext(*TOO_SHORT, 10) == TOO_SHORT[1]:
            pytest.xfail("the nb translation of Django 5.2's new msgid is not in locale/ yet")
        messages = _messages("kort1A")
    assert "Passordet er for kort. Det må bestå av minst 10 tegn." in messages


def test_the_rules_are_explained_in_norwegian():
    with translation.override("nb"):
        help_texts = password_validators_help_texts()
    assert "Passordet ditt må bestå av minst 10 tegn." in help_texts
    assert "Passordet ditt kan ikke inneholde bare tall." in help_texts
