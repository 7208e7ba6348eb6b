"""Fill in Norwegian translations: `translate.py 'English=Norsk' ...` (developer helper).

For a plural entry give both forms: 'One file=Én fil||%(n)d filer'; for an entry with a
context, prefix it: 'audit::Created=Opprettet'.

Sets msgstr for the given msgids in locale/nb/LC_MESSAGES/django.po, clears their fuzzy flag,
and lists what is still untranslated or fuzzy. Compile afterwards with compile_messages.py.
"""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/nb/LC_MESSAGES/django.po"


def main(pairs):
    po = polib.pofile(str(CATALOGUE))
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
    for msgid in wanted:
        print(f"not in the catalogue: {msgid!r}")
    for entry in po.untranslated_entries() + po.fuzzy_entries():
        print(f"still to translate: {entry.msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
