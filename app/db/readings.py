"""What reading a referral records: the audit row of each view and list, the receiver's first
opening, the notifications it reads. A page that only reads must never wait on a long write
(a 15,000-row import holds the write lock for minutes), so these are written at once when the
lock is free within a moment, and otherwise kept in a side file the import does not lock
(``readings.sqlite`` in the instance folder) and written to the database by ``flush``, which
each server worker runs every few seconds.

Kept readings are written at least once: a flush that stops between its commit and forgetting
what it wrote writes those again next time (a view's audit row twice, never none).
"""

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from .connection import is_busy

FILE_NAME = "readings.sqlite"
WAIT_MS = 100  # how long a page waits for the write lock before keeping its readings aside
FLUSH_BATCH = 500


@dataclass(frozen=True)
class Reading:
    """``kind``: "view" (referral_id), "list" (organization, box, ids), "received" (referral_id)
    or "read" (user_id, referral_id); ``at`` is when it was read, as referrals store times."""

    kind: str
    at: str
    actor: dict
    details: dict


def record(db, side, readings, wait_ms=WAIT_MS):
    """Write the readings now, or keep them aside if another write holds the lock; True when
    written now."""
    try:
        with db.write(busy_timeout_ms=wait_ms):
            _apply(db, readings)
        return True
    except sqlite3.OperationalError as error:
        if not is_busy(error):
            raise
    side.keep(readings)
    return False


def flush(db, side, batch=FLUSH_BATCH):
    """Write readings kept aside, oldest first; returns how many were written. Stops, keeping
    the rest for next time, while another write still holds the lock."""
    written = 0
    while True:
        kept = side.oldest(batch)
        if not kept:
            return written
        try:
            with db.write():
                _apply(db, [reading for _id, reading in kept])
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            return written
        side.forget([row_id for row_id, _reading in kept])
        written += len(kept)


def flush_kept(db, instance_path):
    """``flush`` the instance's side file (for the worker's periodic upkeep and start-up); a
    side file that was never needed is never made."""
    side = SideFile(instance_path)
    if not side.path.exists():
        return 0
    try:
        return flush(db, side)
    finally:
        side.close()


def _apply(db, readings):
    for reading in readings:
        details = reading.details
        if reading.kind == "view":
            db.referrals.record_view(details["referral_id"], reading.actor, reading.at)
        elif reading.kind == "list":
            db.audit.record(reading.actor, "list", "referral-box", f"{details['organization']}:{details['box']}",
                            {"referrals": [None, details["ids"]]}, at=reading.at)
        elif reading.kind == "received":
            db.referrals.mark_received(details["referral_id"], reading.actor, dt.datetime.fromisoformat(reading.at))
        elif reading.kind == "read":
            db.referrals.mark_read(details["user_id"], details["referral_id"], dt.datetime.fromisoformat(reading.at))
        else:
            raise ValueError(f"unknown reading {reading.kind!r}")


class SideFile:
    """The side file: one table of readings waiting to be written, opened on first use."""

    def __init__(self, instance_path):
        self.path = Path(instance_path) / FILE_NAME
        self._conn = None

    @property
    def conn(self):
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, timeout=5)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("CREATE TABLE IF NOT EXISTS readings (id INTEGER PRIMARY KEY, reading TEXT NOT NULL)")
        return self._conn

    def keep(self, readings):
        with self.conn:
            self.conn.executemany("INSERT INTO readings (reading) VALUES (?)",
                                  [(json.dumps(asdict(reading)),) for reading in readings])

    def oldest(self, limit):
        rows = self.conn.execute("SELECT id, reading FROM readings ORDER BY id LIMIT ?", [limit]).fetchall()
        return [(row_id, Reading(**json.loads(text))) for row_id, text in rows]

    def forget(self, ids):
        with self.conn:
            self.conn.executemany("DELETE FROM readings WHERE id = ?", [(row_id,) for row_id in ids])

    def count(self):
        return self.conn.execute("SELECT count(*) FROM readings").fetchone()[0]

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
