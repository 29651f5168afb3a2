"""One SQLite connection, opened on first use (so after a server forks), in WAL mode.

WAL lets pages read while an import writes; ``BEGIN IMMEDIATE`` takes the write lock up front so
two workers that both want to write queue on the busy timeout instead of failing half-way.
"""

import contextlib
import sqlite3
from pathlib import Path

import sqlite_utils


class Connection:
    def __init__(self, path, busy_timeout_ms=5000):
        self.path = Path(path)
        self.busy_timeout_ms = int(busy_timeout_ms)
        self._conn = None
        self._db = None

    @property
    def db(self):
        """A sqlite-utils Database over the connection."""
        if self._conn is None:
            self._open()
        return self._db

    @property
    def conn(self):
        return self.db.conn

    def _open(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # So that INSERT OR REPLACE fires delete triggers too: the audit log's refusal included.
        conn.execute("PRAGMA recursive_triggers = ON")
        self._conn = conn
        self._db = sqlite_utils.Database(conn)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._db = None

    @contextlib.contextmanager
    def write(self, busy_timeout_ms=None):
        """One write transaction. Nested calls join the outer one through a savepoint.

        ``busy_timeout_ms`` waits that long (instead of the usual timeout) for another writer's
        lock: for writes a reader would rather give up than wait for (see ``readings``)."""
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        if busy_timeout_ms is None:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            try:
                conn.execute("BEGIN IMMEDIATE")
            finally:
                conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextlib.contextmanager
    def read(self):
        """A consistent snapshot across several queries (WAL readers never wait for writers)."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    @contextlib.contextmanager
    def savepoint(self):
        """All-or-nothing for one record inside a larger write."""
        with self.db.atomic():
            yield

    def query(self, sql, params=()):
        return list(self.db.query(sql, params))

    def one(self, sql, params=()):
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def backup(self, destination):
        """A consistent copy through SQLite's online backup API, while others keep writing."""
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            self.conn.backup(target)
        finally:
            target.close()


def is_busy(error):
    """Whether an OperationalError says another connection holds the lock."""
    return "locked" in str(error) or "busy" in str(error)
