"""The rows a preview read, kept with the upload so that the confirm plans from them instead of
reading the file again: reading a 10,000-row .xlsx takes about as long as checking its rows.

As JSON, each cell as the readers give it: text, a number, yes/no, or a date, a date and time
or a time of day (tagged, as JSON has none). A cell of any other kind keeps nothing, and the
confirm reads the file again. Compressed (zlib) as it is written, a few hundred rows at a time,
so that the whole JSON of a large file is never in memory at once (it compresses about
fivefold); stored encrypted, as the file is: the rows hold national ids.
"""

import datetime
import json
import zlib
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


#: Rows written to JSON at a time.
DUMP_BATCH = 500


def rows_dump(rows: Rows) -> bytes:
    """The rows as compressed JSON, without the empty cells that end a row (a sheet formatted
    wider than its columns gives dozens); b"" when a cell cannot be kept."""
    encoder = json.JSONEncoder(default=_tagged, separators=(",", ":"))
    packer = zlib.compressobj()
    packed = [packer.compress(b"[")]
    try:
        for start in range(0, len(rows), DUMP_BATCH):
            batch = [(row, cells_trimmed(cells)) for row, cells in rows[start : start + DUMP_BATCH]]
            text = encoder.encode(batch)[1:-1]  # the rows, without the list's brackets
            packed.append(packer.compress((("," if start else "") + text).encode()))
    except NotKept:
        return b""
    packed.append(packer.compress(b"]"))
    packed.append(packer.flush())
    return b"".join(packed)


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
    if not data.startswith(b"["):  # compressed; rows kept before they were are plain JSON
        data = zlib.decompress(data)
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
