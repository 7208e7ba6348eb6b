"""The translation catalogues: complete, consistent, compiled, and actually used."""

import contextlib
import io
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.utils import is_ignored_path
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from portal.models import Invoice, Order
from portal.models.orders import OrderStatus

LOCALE_ROOT = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE_ROOT.rglob("*.po"))
IDS = [str(po.relative_to(LOCALE_ROOT)) for po in CATALOGUES]
NB_CATALOGUE = LOCALE_ROOT / "nb" / "LC_MESSAGES" / "django.po"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# %(name)s, %s, %d, %.2f … (not %%), and {} / {name} / {0}.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdiouxXeEfFgGcr]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")


def placeholders(text: str) -> Counter:
    text = text.replace("%%", "").replace("{{", "").replace("}}", "")
    found = Counter(PERCENT_PLACEHOLDER.findall(text))
    found.update(BRACE_PLACEHOLDER.findall(text))
    return found


def positional(found: Counter) -> Counter:
    """Unnamed placeholders (%s, {}): their number matters as well as their kind."""
    return Counter({p: n for p, n in found.items() if not re.search(r"[(]|\{[^}]", p)})


def same_placeholders(source: Counter, translated: Counter) -> bool:
    return set(source) == set(translated) and positional(source) == positional(translated)


def active_entries(catalogue: polib.POFile):
    return [entry for entry in catalogue if not entry.obsolete]


def is_translated(entry) -> bool:
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return sorted(forms) == [0, 1] and all(forms.values())
    return bool(entry.msgstr)


def entry_key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def entry_value(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
    return entry.msgstr


def test_there_are_catalogues():
    assert LOCALE_ROOT / "nb" / "LC_MESSAGES" / "django.po" in CATALOGUES
    assert LOCALE_ROOT / "vendor" / "nb" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=IDS)
def test_catalogue_header(po_path):
    catalogue = polib.pofile(str(po_path))
    assert catalogue.metadata["Language"] == "nb"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("po_path", CATALOGUES, ids=IDS)
def test_every_entry_is_translated_and_not_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))
    fuzzy = [e.msgid for e in active_entries(catalogue) if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in active_entries(catalogue) if not is_translated(e)]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=IDS)
def test_placeholders_are_kept(po_path):
    catalogue = polib.pofile(str(po_path))
    wrong = []
    for entry in active_entries(catalogue):
        if entry.msgid_plural:
            singular, plural = placeholders(entry.msgid), placeholders(entry.msgid_plural)
            for n, msgstr in sorted(entry.msgstr_plural.items()):
                translated = placeholders(msgstr)
                # The singular form may follow either source form ("one item" or "%d item").
                sources = (singular, plural) if n == 0 else (plural,)
                if not any(same_placeholders(source, translated) for source in sources):
                    wrong.append((entry.msgid, sorted(plural), sorted(translated)))
        else:
            source, translated = placeholders(entry.msgid), placeholders(entry.msgstr)
            if not same_placeholders(source, translated):
                wrong.append((entry.msgid, sorted(source), sorted(translated)))
    assert not wrong, f"placeholders differ (msgid, msgid's, msgstr's): {wrong}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=IDS)
def test_committed_mo_is_compiled_from_the_po(po_path):
    """`make messages` was run after the last change of the .po (a stale .mo fails)."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    expected = {
        entry_key(e): entry_value(e) for e in polib.pofile(str(po_path)).translated_entries()
    }
    compiled = polib.mofile(str(mo_path))
    actual = {entry_key(e): entry_value(e) for e in compiled if e.msgid}
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    assert expected == actual, (
        f"{mo_path.name} is stale, run `make messages`: "
        f"missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]}"
    )
    assert compiled.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"


def makemessages_arguments() -> list[str]:
    """The arguments `make makemessages` gives `manage.py makemessages`, read from the Makefile
    so the test extracts exactly what a developer would."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^\t\$\(MANAGE\) makemessages (.+)$", makefile, re.MULTILINE)
    assert line, "the Makefile's makemessages target no longer runs `$(MANAGE) makemessages`"
    return shlex.split(line.group(1))


def described(entry) -> str:
    context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
    files = ", ".join(sorted({path for path, _ in entry.occurrences}))
    return f"{entry.msgid!r}{context}" + (f" in {files}" if files else "")


@pytest.fixture(scope="module")
def extracted_catalogue(tmp_path_factory) -> polib.POFile:
    """The nb catalogue `make makemessages` would write for today's code, built on the side.

    makemessages reads the current directory, writes each template's extraction copy next to
    the template and puts the catalogue under the first LOCALE_PATHS entry. So it runs, with
    the Makefile's arguments, in a temporary copy of the source files and with LOCALE_PATHS
    pointing into that copy: the working tree and locale/ are never written to.
    """
    missing_tools = [tool for tool in GETTEXT_TOOLS if not shutil.which(tool)]
    if missing_tools:
        pytest.skip(
            f"GNU gettext is not installed (no {', '.join(missing_tools)}): "
            "the catalogue cannot be compared with the code"
        )
    arguments = makemessages_arguments()
    base_dir = Path(settings.BASE_DIR)
    skipped = [".*", "__pycache__"]
    skipped += [a.removeprefix("--ignore=") for a in arguments if a.startswith("--ignore=")]

    def not_source(directory, names):
        paths = [Path(directory, name) for name in names]
        return [
            path.name
            for path in paths
            if is_ignored_path(path.relative_to(base_dir), skipped)
            or (path.is_file() and path.suffix not in SOURCE_SUFFIXES)
        ]

    copy = tmp_path_factory.mktemp("makemessages") / "source"
    shutil.copytree(base_dir, copy, ignore=not_source)
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]), contextlib.chdir(copy):
        call_command("makemessages", *arguments, verbosity=0, stdout=io.StringIO())
    return polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))


def test_every_string_of_the_code_is_in_the_nb_catalogue(extracted_catalogue):
    """A string marked for translation in the code or a template has an nb entry; without one
    the user sees it in English."""
    catalogue = {entry_key(e) for e in active_entries(polib.pofile(str(NB_CATALOGUE)))}
    missing = [e for e in extracted_catalogue if entry_key(e) not in catalogue]
    assert not missing, (
        f"strings of the code missing from locale/nb/LC_MESSAGES/django.po ({len(missing)}): "
        "run `make makemessages`, translate the new entries, then `make messages`.\n"
        + "\n".join(f"  {described(e)}" for e in missing)
    )


def test_the_nb_catalogue_holds_no_string_the_code_no_longer_uses(extracted_catalogue):
    """An entry the code no longer asks for is dead weight a translator would keep updating;
    `make makemessages` marks it obsolete."""
    extracted = {entry_key(e) for e in extracted_catalogue}
    catalogue = active_entries(polib.pofile(str(NB_CATALOGUE)))
    stale = [e for e in catalogue if entry_key(e) not in extracted]
    assert not stale, (
        f"entries of locale/nb/LC_MESSAGES/django.po the code no longer uses ({len(stale)}): "
        "run `make makemessages` to mark them obsolete.\n"
        + "\n".join(f"  {described(e)}" for e in stale)
    )


def test_user_facing_strings_are_norwegian():
    with translation.override("nb"):
        assert str(Order._meta.verbose_name_plural) == "bestillinger"
        assert str(OrderStatus.AWAITING_SELLER.label) == "Venter på selgers godkjenning"
        assert str(Invoice._meta.get_field("number").verbose_name) == "Fakturanummer"
        assert gettext("Log out") == "Logg ut"  # Unfold's user menu
    with translation.override("en"):
        assert str(OrderStatus.AWAITING_SELLER.label) == "Awaiting seller's approval"


@pytest.mark.django_db
def test_login_page_is_norwegian(client):
    response = client.get("/login/")
    assert response.status_code == 200
    text = response.text
    assert "Logg inn" in text
    assert "Log in" not in text
