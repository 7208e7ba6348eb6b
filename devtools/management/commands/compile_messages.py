"""Compile every .po catalogue of the project to .mo, without system gettext:
`manage.py compile_messages` (`make messages`)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "node_modules", ".git"}


def catalogues(root: Path):
    for po in sorted(root.rglob("*.po")):
        if not SKIP.intersection(po.relative_to(root).parts):
            yield po


class Command(BaseCommand):
    help = "Compile every .po catalogue of the project to .mo (pure Python: no gettext needed)."
    requires_system_checks = []

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR)
        for po_path in catalogues(root):
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(
                f"{po_path.relative_to(root)}: {len(catalogue.translated_entries())} translated"
            )
