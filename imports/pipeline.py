"""The one import pipeline: every spreadsheet import of the portal goes through it.

upload → stored in the database for its uploader (`imports.uploads`) → rows read
(`imports.parsing`) → planned by an `Importer` → previewed → confirmed → written by the
importer's service, all or nothing.

An `Importer` knows one kind of file (employees, invoices and payments): `plan(content)` reads
and checks it and says what it would do, changing nothing; `write(plan)` hands a checked plan to
the services. The pipeline does the rest the same way for each: the upload is kept between the
preview and the confirm in the database (whichever app server gets the confirm finds it; no
cache or temp folder of one process), the confirm plans again against the database as it is
then, and refuses when that plan is not the one the preview showed (`PlanChanged`): someone
changed the register in between, and the user sees the new preview before anything is written.
The confirm plans from the rows the preview read, kept with the upload (`imports.rows_kept`),
rather than reading the file a second time.

Python's cycle collector is paused while a file is planned or written (`collections_paused`).
"""

import gc
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from imports.rows_kept import Rows
from imports.uploads import upload_content, upload_lines, upload_store, upload_take


@dataclass
class RowError:
    """One thing wrong with a file: its row (as the spreadsheet numbers it; None for the file
    as a whole), its column's heading, the value as written ("" when it must not be shown back),
    and what is wrong, for the user."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class PlanChanged(Exception):
    """The plan of a confirm is not the one its preview showed; `plan` is the new one."""

    def __init__(self, plan):
        super().__init__("the plan changed since the preview")
        self.plan = plan


def plan_changed_message() -> str:
    return _(
        "The register has changed since the preview: see the new preview below. Nothing has "
        "been imported yet."
    )


def upload_missing_message() -> str:
    return _(
        "This import is no longer waiting for confirmation: it was saved, cancelled or has "
        "expired. Upload the file again."
    )


def plan_fingerprint(parts: Any) -> str:
    """A short sum of what a plan would write (JSON-able `parts`, in a fixed order): equal for
    the same outcome, different as soon as one row would be written otherwise. Kept on the
    upload; never anything read back out of it."""
    text = json.dumps(parts, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


_paused = threading.Lock()
_pausing = 0  # blocks under way, in any thread
_was_on = True  # the collector as the first of them found it


@contextmanager
def collections_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the block, then let it go on as before.

    Planning and writing a file make tens of thousands of objects that live until the block
    ends (rows, plans, model instances, audit events). Each full collection walks all of
    them, and so many survivors set one off every few thousand rows: for 10,000 employees,
    about nine full collections took 1 s of a preview and confirm of 4.2 s. What the block
    leaves behind is reference-counted away as usual or collected by the next collection
    after it; the block's peak memory is the same (`benchmark_import`).

    Blocks are counted, nested ones and those of other threads alike (a threaded server may
    run two imports at once): the collector is paused when the first begins and set back to
    what the first found when the last ends."""
    global _pausing, _was_on
    with _paused:
        if _pausing == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _paused:
            _pausing -= 1
            if _pausing == 0 and _was_on:
                gc.enable()


class Importer:
    """One kind of import file. Subclasses set `kind` and give `plan`,
    `write` and (for imports that must take turns) `lock`.

    A plan has `ok` (nothing wrong with the file), `rows` (the rows read), `errors`
    (`RowError`s) and `fingerprint()`; it may have `lines`, the rows as read, which the confirm
    then gives back to `plan` (`lines=`) instead of the file being read again.
    """

    kind = ""

    def conflict_message(self) -> str:
        """Why nothing was written when the database refused a write (a unique rule broken by
        someone else's change while the confirm ran)."""
        return _("The import was not saved: the data changed while it ran. Upload the file again.")

    def plan(
        self, content: bytes, *, progress: Any = None, rows: int = 0, lines: Rows | None = None
    ) -> Any:
        raise NotImplementedError

    def write(self, plan, *, progress: Any = None) -> None:
        raise NotImplementedError

    def lock(self) -> None:
        """Taken first in the confirm's transaction: two confirms of the same data take turns."""


def import_preview(*, importer: Importer, user, customer, file_name: str, content: bytes):
    """Plan the file and, when it is right, keep it for the confirm: (plan, token or None)."""
    with collections_paused():
        plan = importer.plan(content)
    token = None
    if plan.ok:
        token = upload_store(
            user=user,
            customer=customer,
            kind=importer.kind,
            file_name=file_name,
            content=content,
            rows=plan.rows,
            fingerprint=plan.fingerprint(),
            lines=getattr(plan, "lines", None),
        ).token
    return plan, token


def import_write(
    *,
    importer: Importer,
    content: bytes,
    expected: str = "",
    progress=None,
    rows: int = 0,
    lines: Rows | None = None,
):
    """Plan the file again against the database as it is now and write all of it, or nothing.

    Returns the plan; nothing was written unless `plan.ok`. Raises `PlanChanged` (nothing
    written) when `expected`, the preview's fingerprint, is not the new plan's, and
    ValidationError when the database refused a write.
    """
    try:
        with collections_paused(), transaction.atomic():
            importer.lock()
            plan = importer.plan(content, progress=progress, rows=rows, lines=lines)
            if plan.ok:
                if expected and plan.fingerprint() != expected:
                    raise PlanChanged(plan)
                importer.write(plan, progress=progress)
    except IntegrityError:
        raise ValidationError(importer.conflict_message()) from None
    return plan


@dataclass
class Confirmation:
    """What a confirm came to: `outcome` is "done", "missing" (no such pending upload of this
    user), "changed" (the register changed: `plan` is the new preview, `token` confirms it),
    "invalid" (the file now has errors; nothing written) or "job" (handed to a worker)."""

    outcome: str
    plan: Any = None
    token: str | None = None
    job: Any = None


def import_confirm(*, user, token: str, kind: str, importer_of, job_of=None) -> Confirmation:
    """Confirm the user's pending upload behind `token`.

    `importer_of(upload)` gives the upload's importer (raising PermissionDenied when the user
    may no longer import it); `job_of(upload)`, when given, may hand a large upload to a worker
    (returning its job) instead. Raises ValidationError/PermissionDenied with nothing written.
    """
    with transaction.atomic():
        upload = upload_take(token=token, user=user, kind=kind)
        if upload is None:
            return Confirmation("missing")
        importer = importer_of(upload)
        if importer is None:  # no longer theirs to import: as if there were no such upload
            return Confirmation("missing")
        job = job_of(upload) if job_of is not None else None
        if job is not None:
            upload.delete()
            return Confirmation("job", job=job)
        try:
            plan = import_write(
                importer=importer,
                content=upload_content(upload),
                expected=upload.fingerprint,
                lines=upload_lines(upload),
            )
        except PlanChanged as changed:
            # The upload stays, now for the new preview: confirming that one is confirming
            # what the user has seen.
            upload.fingerprint = changed.plan.fingerprint()
            upload.rows = changed.plan.rows
            upload.save(update_fields=["fingerprint", "rows"])
            return Confirmation("changed", plan=changed.plan, token=upload.token)
        upload.delete()
    return Confirmation("done" if plan.ok else "invalid", plan=plan)
