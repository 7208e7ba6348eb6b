"""Valid Norwegian national identity numbers for the import tests (computed, not real people)."""

K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check(digits: str, weights) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else check


def national_id(day: int, month: int, year: int, individual: int = 100) -> str:
    """The first valid number for the birth date at or after `individual` (1900-1999: 000-499)."""
    for number in range(individual, 500):
        body = f"{day:02d}{month:02d}{year % 100:02d}{number:03d}"
        k1 = _check(body, K1)
        if k1 is None:
            continue
        k2 = _check(body + str(k1), K2)
        if k2 is None:
            continue
        return f"{body}{k1}{k2}"
    raise ValueError("no valid number")


# The numbers the files under files/ use (make_files.py writes them; the tests read them here).
KARI = national_id(13, 12, 1990)  # "131290 xxxxx" in the files, with a space
PER = national_id(5, 3, 1988)  # begins with 0: Excel keeps it as a 10-digit number
LISE = national_id(1, 2, 1975, 200)
