"""National identity numbers are encrypted at rest and shown masked."""

from typing import cast

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured

from portal.crypto import (
    national_id_decrypt,
    national_id_digest,
    national_id_encrypt,
    national_id_reencrypt,
)
from portal.models import Employee
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.portal.employees.helpers import NUMBER, leaked_runs, raw_columns

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()


def donald_with_the_number() -> Employee:
    employee = cast(
        Employee,
        EmployeeFactory(department=DepartmentFactory(), first_name="Donald", last_name="Duck"),
    )
    employee.set_national_id(NUMBER)
    employee.save()
    return employee


def test_encrypted_text_holds_no_digits_of_the_number():
    token = national_id_encrypt(NUMBER)

    assert leaked_runs(token) == []
    assert NUMBER[:6] not in token
    assert NUMBER[6:] not in token


def test_encrypting_twice_gives_different_texts():
    # the same number does not give the same text, so equal numbers cannot be spotted
    assert national_id_encrypt(NUMBER) != national_id_encrypt(NUMBER)


def test_decrypting_gives_the_number_back():
    assert national_id_decrypt(national_id_encrypt(NUMBER)) == NUMBER


def test_a_new_key_in_front_still_decrypts_numbers_under_the_old_one(settings):
    # given a number encrypted under the old key
    settings.NATIONAL_ID_KEYS = [KEY_OLD]
    token = national_id_encrypt(NUMBER)

    # when a new key is put in front
    settings.NATIONAL_ID_KEYS = [KEY_NEW, KEY_OLD]

    # then the old text still decrypts, and re-encrypting moves it to the new key
    assert national_id_decrypt(token) == NUMBER
    rotated = national_id_reencrypt(token)
    settings.NATIONAL_ID_KEYS = [KEY_NEW]
    assert national_id_decrypt(rotated) == NUMBER
    with pytest.raises(InvalidToken):
        national_id_decrypt(token)


def test_without_keys_nothing_is_encrypted(settings):
    settings.NATIONAL_ID_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="NATIONAL_ID_KEYS"):
        national_id_encrypt(NUMBER)


def test_without_a_hash_key_no_digest_is_made(settings):
    settings.NATIONAL_ID_HASH_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="NATIONAL_ID_HASH_KEY"):
        national_id_digest(NUMBER)


def test_digest_is_stable_keyed_and_holds_no_digits_of_the_number(settings):
    digest = national_id_digest(NUMBER)

    assert digest == national_id_digest(NUMBER)
    assert digest != national_id_digest("02013299997")
    assert leaked_runs(digest) == []
    settings.NATIONAL_ID_HASH_KEY = "another-key"
    assert national_id_digest(NUMBER) != digest


@pytest.mark.django_db
def test_employee_national_id_is_masked_and_not_stored_in_clear():
    # given an employee whose national id is set and saved
    employee = donald_with_the_number()

    # when the employee is read back
    employee = Employee.objects.get(pk=employee.pk)

    # then it is shown masked, and only the reveal gives the number
    assert employee.national_id_masked == "***********"
    assert employee.has_national_id
    assert employee.reveal_national_id() == NUMBER
    # and the database row holds none of its digit runs in any column
    encrypted, digest, whole_row = raw_columns(employee)
    assert encrypted
    assert digest
    assert leaked_runs(encrypted) == []
    assert leaked_runs(digest) == []
    assert leaked_runs(whole_row) == []


@pytest.mark.django_db
def test_employee_without_a_national_id_shows_nothing():
    employee = EmployeeFactory(department=DepartmentFactory(), first_name="Dolly", last_name="Duck")

    assert employee.national_id_masked == ""
    assert employee.reveal_national_id() == ""


@pytest.mark.django_db
def test_clearing_the_national_id_removes_it_from_the_row():
    employee = donald_with_the_number()

    employee.set_national_id("")
    employee.save()

    employee.refresh_from_db()
    assert (employee.national_id_encrypted, employee.national_id_digest) == ("", "")
    assert employee.national_id_masked == ""
