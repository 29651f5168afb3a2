"""Reading spreadsheets people actually send, and writing ones that are safe to open.

Excel on Windows saves CSV as Windows-1252, newer versions as UTF-8 with a byte-order mark; both
must load with their accents intact. Headers are matched loosely ("Postal Code" = postal_code),
and anything the reader cannot use is reported, never silently dropped.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

ENCODINGS = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"))
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")


class Unusable(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict
    problem: str | None = None


@dataclass
class Table:
    encoding: str
    columns: list
    rows: list = field(default_factory=list)
    unknown_columns: list = field(default_factory=list)


def normalise_header(name):
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())


def decode(data):
    """Return (text, encoding label) for UTF-8 (with or without BOM) or Windows-1252 bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    for codec, label in ENCODINGS:
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise Unusable("the file is neither UTF-8 nor Windows-1252 text")


def read_bytes(path, max_bytes):
    path = Path(path)
    if not path.is_file():
        raise Unusable(f"{path} does not exist or is not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise Unusable(f"{path} is {size:,} bytes; the limit is {max_bytes:,}")
    return path.read_bytes()


def read_table(path, known_columns, required_columns, max_bytes):
    """Read a CSV file into rows keyed by the known column names.

    Raises Unusable when the file cannot be a listing file at all.
    """
    data = read_bytes(path, max_bytes)
    if data.count(b"\x00") > max(16, len(data) // 100):
        raise Unusable("the file is not CSV text (it looks like a binary file)")
    text, encoding = decode(data)
    csv.field_size_limit(max(max_bytes, 131072))
    records = _records(text)
    try:
        header = next(records)
    except StopIteration:
        raise Unusable("the file is empty") from None
    columns = _match_columns(header[1], known_columns)
    missing = [name for name in required_columns if name not in columns]
    if missing:
        raise Unusable(
            "the file is not a listing CSV: it has no "
            + " or ".join(f'"{name}"' for name in missing)
            + " column"
        )
    table = Table(encoding=encoding, columns=[c for c in columns if c in known_columns])
    table.unknown_columns = [c for c in columns if c not in known_columns]
    for number, cells in records:
        row = _row(number, cells, columns)
        if row is not None:
            table.rows.append(row)
    return table


def _records(text):
    """Yield (row number, cells); a line the csv module cannot parse yields its error text."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            cells = str(error)
        yield number, cells


def _match_columns(header, known_columns):
    if isinstance(header, str):
        raise Unusable(f"the header row cannot be read as CSV: {header}")
    columns = [normalise_header(name) for name in header]
    seen = set()
    for name in columns:
        if name in seen:
            raise Unusable(f'the column "{name}" appears twice in the header')
        seen.add(name)
    return columns


def _row(number, cells, columns):
    if isinstance(cells, str):
        return Row(number, {}, f"this row cannot be read as CSV: {cells}")
    if not any(cell.strip() for cell in cells):
        return None
    if len(cells) != len(columns):
        problem = f"this row has {len(cells)} cells but the header has {len(columns)}"
        return Row(number, dict(zip(columns, cells)), problem)
    return Row(number, {column: restore(cell) for column, cell in zip(columns, cells)})


def restore(value):
    """Undo ``neutralise``: the leading quote it added is not part of the value, so a file
    exported and imported again comes back unchanged.
    """
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) and not NUMBER_RE.match(value[1:]):
        return value[1:]
    return value


def neutralise(value):
    """Make a cell safe to open in a spreadsheet: formulas become plain text.

    Plain numbers such as a longitude of -79.38 are left alone: a spreadsheet reads them as
    numbers, not formulas.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) and not NUMBER_RE.match(value):
        return "'" + value
    if restore(value) != value:  # a value that already looks neutralised keeps its own quote
        return "'" + value
    return value


def write_csv(handle, columns, rows):
    """Write dict rows with every cell neutralised against formula injection."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(name, "")) for name in columns])
