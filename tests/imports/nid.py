"""Valid Norwegian national identity numbers for the import tests (computed, not real people)."""

import datetime

from portal.validators import national_id_check_digits


def national_id(day: int, month: int, year: int, individual: int = 100) -> str:
    """The first valid number for the birth date at or after `individual` (1900-1999: 000-499)."""
    for number in range(individual, 500):
        body = f"{day:02d}{month:02d}{year % 100:02d}{number:03d}"
        check = national_id_check_digits(body)
        if check is not None:
            return body + check
    raise ValueError("no valid number")


# The numbers the files under files/ use (make_files.py writes them; the tests read them here).
KARI = national_id(13, 12, 1990)  # "131290 xxxxx" in the files, with a space
PER = national_id(5, 3, 1988)  # begins with 0: Excel keeps it as a 10-digit number
LISE = national_id(1, 2, 1975, 200)
KARI_BORN = datetime.date(1990, 12, 13)
LISE_BORN = datetime.date(1975, 2, 1)
