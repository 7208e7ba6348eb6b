"""A department's postal address: where its invoices go. The postal code is four digits."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.models import Department

POSTAL_CODE_MESSAGE = "Et postnummer har nøyaktig 4 siffer (0–9), for eksempel 0155."


@pytest.mark.django_db
@pytest.mark.parametrize("postal_code", ["015", "01550", "01 5", "O155", "٠١٥٥", "０１５５"])
def test_a_postal_code_not_of_four_digits_is_refused_in_norwegian(cast, postal_code):
    """Three or five digits, a space, a letter O for a zero, or digits of another script: the
    message says what a postal code is."""
    department = cast.tb_bergen
    department.postal_code = postal_code

    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        department.full_clean()

    assert POSTAL_CODE_MESSAGE in refused.value.message_dict["postal_code"]


@pytest.mark.django_db
@pytest.mark.parametrize("postal_code", ["0155", "5013", "9990", ""])
def test_four_digits_or_none_are_taken(cast, postal_code):
    department = cast.tb_bergen
    department.postal_code = postal_code

    department.full_clean()


def test_the_address_lines_leave_out_what_is_not_given():
    def lines(**fields):
        return Department(name="X", **fields).address_lines

    assert lines() == []
    assert lines(postal_address="Postboks 12", postal_code="5013", city="Bergen") == [
        "Postboks 12",
        "5013 Bergen",
    ]
    assert lines(postal_address="Strandkaien 2") == ["Strandkaien 2"]
    assert lines(city="Bergen") == ["Bergen"]
