"""The rows a preview read, kept with the upload so that the confirm plans from them instead of
reading the file again: reading a 10,000-row .xlsx takes about as long as checking its rows.

As JSON, each cell as the readers give it: text, a number, yes/no, or a date, a date and time
or a time of day (tagged, as JSON has none). A cell of any other kind keeps nothing, and the
confirm reads the file again. Stored encrypted, as the file is: the rows hold national ids.
"""

import datetime
import json
from collections.abc import Iterable, Iterator

# The tag of each kind of cell JSON has no word for, and how it is read back.
TAGS = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
}

Rows = list[tuple[int, tuple]]


class NotKept(TypeError):
    """A cell of a kind the rows cannot be kept with."""


def rows_recorded(rows: Iterable[tuple[int, tuple]], into: Rows) -> Iterator[tuple[int, tuple]]:
    """`rows` as they are read, each also appended to `into`."""
    for row in rows:
        into.append(row)
        yield row


def rows_dump(rows: Rows) -> bytes:
    """The rows as JSON bytes, without the empty cells that end a row (a sheet formatted
    wider than its columns gives dozens); b"" when a cell cannot be kept."""
    try:
        return json.dumps(
            [(number, cells_trimmed(cells)) for number, cells in rows],
            default=_tagged,
            separators=(",", ":"),
        ).encode()
    except NotKept:
        return b""


def cells_trimmed(cells: tuple) -> tuple:
    """The row without the empty cells that end it."""
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells if end == len(cells) else cells[:end]


def rows_load(data: bytes) -> Rows | None:
    """The rows `rows_dump` kept; None when none were."""
    if not data:
        return None
    return [(number, tuple(cells)) for number, cells in json.loads(data, object_hook=_untagged)]


def _tagged(value) -> dict:
    # datetime first: a datetime is a date too.
    for tag in TAGS:
        if type(value) is getattr(datetime, tag):
            return {tag: value.isoformat()}
    raise NotKept(type(value).__name__)


def _untagged(value: dict):
    ((tag, text),) = value.items()
    return TAGS[tag](text)
