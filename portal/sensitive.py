"""Free text that must never hold personal or health data: an order's description, an
exposure's note. A national id number or a word that describes someone's health is refused with
the reason; the number itself is never echoed back."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.validators import validate_national_id

NATIONAL_ID_LIKE = re.compile(r"(?<!\d)(\d{6})[ .-]?(\d{5})(?!\d)")
# Words that describe a person's health. Orders and exposures describe work, never health.
HEALTH_WORDS = re.compile(
    r"\b(diagnos\w*|sykdom\w*|sykemeld\w*|sykmeld\w*|depresj\w*|kreft\w*|diabet\w*|"
    r"gravid\w*|epilep\w*|hiv|rusmisbruk\w*|alkoholis\w*|angstlidel\w*|psykisk\w* lidel\w*|"
    r"medisiner\w*|hjerteinfarkt\w*|utbrent\w*|blodprøvesvar\w*|journal\w*)\b",
    re.IGNORECASE,
)
SENSITIVE_HINT = gettext_lazy("Do not write sensitive information here.")


def _is_national_id(digits: str) -> bool:
    try:
        validate_national_id(digits)
    except ValidationError:
        return False
    return True


def sensitive_text_check(text: str, *, field: str) -> None:
    """Refuse `text` (the value of `field`) when it holds a national id number or details of
    someone's health."""
    for match in NATIONAL_ID_LIKE.finditer(text):
        # Eleven digits in a row are refused as they stand; split ones only when valid.
        if len(match.group(0)) == 11 or _is_national_id("".join(match.groups())):
            raise ValidationError(
                {
                    field: _("The text seems to contain a national identity number. %(hint)s")
                    % {"hint": SENSITIVE_HINT}
                },
                code="national_id",
            )
    word = HEALTH_WORDS.search(text)
    if word:
        raise ValidationError(
            {
                field: _("The text seems to contain health information (“%(word)s”). %(hint)s")
                % {"word": word.group(0), "hint": SENSITIVE_HINT}
            },
            code="health",
        )
