"""The columns of the employee import: Norwegian headings (the template's), and the other
names a sheet may give them (English, without punctuation, other spellings)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from imports.cleaning import as_text


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # as in the template: the file format is Norwegian
    aliases: tuple[str, ...]
    required: bool = False
    help: StrOrPromise = ""


COLUMNS = (
    Column(
        "first_name",
        "Fornavn",
        ("fornavn", "firstname", "givenname"),
        required=True,
        help=gettext_lazy("Required."),
    ),
    Column(
        "last_name",
        "Etternavn",
        ("etternavn", "lastname", "surname", "familyname"),
        required=True,
        help=gettext_lazy("Required."),
    ),
    Column(
        "email",
        "E-post",
        ("epost", "epostadresse", "email", "emailaddress", "mail"),
        required=True,
        help=gettext_lazy(
            "Required. An employee already registered with this address (any letter case) "
            "is updated."
        ),
    ),
    Column(
        "mobile",
        "Mobil",
        (
            "mobil",
            "mobilnummer",
            "mobiltelefon",
            "telefon",
            "telefonnummer",
            "tlf",
            "mobile",
            "mobilenumber",
            "mobilephone",
            "phone",
            "phonenumber",
        ),
        help=gettext_lazy("8 digits, or + and the country code: 912 34 567, +47 912 34 567."),
    ),
    Column(
        "birth_date",
        "Fødselsdato",
        ("fødselsdato", "fodselsdato", "birthdate", "dateofbirth"),
        help=gettext_lazy("A date: 17.05.1985, 17.5.85 or 1985-05-17."),
    ),
    Column(
        "gender",
        "Kjønn",
        ("kjønn", "kjonn", "gender", "sex"),
        help=gettext_lazy("Mann, Kvinne or Annet."),
    ),
    Column(
        "department",
        "Bedrift/avdeling",
        (
            "bedriftavdeling",
            "bedrift",
            "avdeling",
            "firma",
            "arbeidsgiver",
            "department",
            "company",
            "companydepartment",
            "employer",
        ),
        help=gettext_lazy(
            "The name or organisation number of one of your companies/departments. "
            "Required when you have more than one."
        ),
    ),
    Column(
        "national_id",
        "Fødselsnummer",
        (
            "fødselsnummer",
            "fodselsnummer",
            "personnummer",
            "fnr",
            "nationalid",
            "nationalidnumber",
            "nationalidentitynumber",
        ),
        help=gettext_lazy(
            "11 digits. An employee already registered with this number is updated. "
            "Never shown again once saved."
        ),
    ),
    Column(
        "active",
        "Aktiv",
        ("aktiv", "active"),
        help=gettext_lazy(
            "Optional: nei deactivates the employee, ja reactivates. Empty changes nothing."
        ),
    ),
    Column(
        "exposures",
        "Eksponering",
        ("eksponering", "eksponeringer", "exposure", "exposures"),
        help=gettext_lazy(
            "Optional: what the employee is exposed to at work, one or more of the exposure "
            "types separated by commas (Støy over 80 dB, Nattarbeid). Registered from the day "
            "of the import; one already registered is kept as it is."
        ),
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
ALIASES = {alias: column.key for column in COLUMNS for alias in column.aliases}


def header_key(heading) -> str | None:
    """The column a heading names: "E-post", "e-mail", "E_POST *" are all the e-mail."""
    text = as_text(heading).casefold()
    compact = "".join(ch for ch in text if ch.isalnum())
    return ALIASES.get(compact) or ALIASES.get(
        compact.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    )
