"""LibreOffice Calc set to Norwegian (nb-NO), headless, for tests that open the portal's files
as a Norwegian user's spreadsheet program does.

Debian's `libreoffice-calc` (`.ci/run` installs it where missing). Without it a test skips on a
developer's machine and fails when CI=true. Each conversion runs in its own user profile whose
locale is nb-NO: that, not the machine's locale, is what decides `12 345,50` and `05.12.2026`.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

MISSING = "LibreOffice Calc is not installed (apt-get install libreoffice-calc)."
NORWEGIAN = 1044  # nb-NO, as LibreOffice's CSV filter names a language
# LibreOffice's CSV filter options: separator `;`, text in "…", UTF-8, from line 1, the
# columns' formats left to the language, Norwegian.
CSV_NORWEGIAN = f"59,34,76,1,,{NORWEGIAN}"
# Written back out as CSV: the same, every text cell quoted, and each cell as it is shown.
CSV_AS_SHOWN = f"csv:Text - txt - csv (StarCalc):{CSV_NORWEGIAN},true,true,true"
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
  <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>nb-NO</value></prop>
</item>
</oor:items>
"""


def require_libreoffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and LibreOffice cannot run. {MISSING}", pytrace=False)
        pytest.skip(MISSING)
    return soffice


def convert(source: Path, to: str, *, infilter: str | None = None) -> Path:
    """`source` converted by LibreOffice (`--convert-to to`), in a new nb-NO profile."""
    soffice = require_libreoffice()
    profile = source.parent / "libreoffice-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE)
    out = source.parent / "converted"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(out), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    converted = out / f"{source.stem}.{to.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice made no {converted.name}"
    return converted
