"""Compile every .po catalogue of the project to .mo, without system gettext."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def catalogues():
    for po in sorted(ROOT.rglob("*.po")):
        if not SKIP.intersection(po.relative_to(ROOT).parts):
            yield po


def main():
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(ROOT)}: {len(catalogue.translated_entries())} translated")


if __name__ == "__main__":
    main()
