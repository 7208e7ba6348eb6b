"""Fill in Norwegian translations: `manage.py translate 'English=Norsk' ...`.

For a plural entry give both forms: 'One file=Én fil||%(n)d filer'; for an entry with a
context, prefix it: 'audit::Created=Opprettet'.

Sets msgstr for the given msgids in locale/nb/LC_MESSAGES/django.po, clears their fuzzy flag,
and lists what is still untranslated or fuzzy. Compile afterwards with `manage.py
compile_messages`.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_translate(catalogue: Path, pairs: list[str]) -> tuple[list[str], list[str]]:
    """Set the given translations; return (msgids not in the catalogue, msgids still to do)."""
    po = polib.pofile(str(catalogue))
    wanted = dict(pair.split("=", 1) for pair in pairs)
    for entry in po:
        key = f"{entry.msgctxt}::{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in wanted:
            text = wanted.pop(key)
            if entry.msgid_plural:  # "singular||plural"
                one, _sep, many = text.partition("||")
                entry.msgstr_plural = {0: one, 1: many or one}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgctxt = None
            entry.previous_msgid_plural = None
    po.save()
    still = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
    return list(wanted), still


class Command(BaseCommand):
    help = "Set Norwegian translations in locale/nb: 'English=Norsk' ..."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("pairs", nargs="*", metavar="'English=Norsk'")

    def handle(self, *args, pairs, **options):
        catalogue = Path(settings.BASE_DIR) / "locale/nb/LC_MESSAGES/django.po"
        missing, still = catalogue_translate(catalogue, pairs)
        for msgid in missing:
            self.stdout.write(f"not in the catalogue: {msgid!r}")
        for msgid in still:
            self.stdout.write(f"still to translate: {msgid!r}")
