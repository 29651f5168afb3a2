"""Index work waiting to be applied: one row per change to a program, written by triggers.

``seq`` grows in commit order (SQLite has one writer at a time), so an index that records the
highest ``seq`` it has applied knows exactly what it is missing.
"""

PRUNE_AFTER = "-1 hour"


class IndexOutbox:
    def __init__(self, connection):
        self.c = connection

    def latest(self):
        return self.c.scalar("SELECT coalesce(max(seq), 0) FROM index_outbox")

    def sequence(self):
        """The highest position this database ever gave out (pruned rows included). An index
        that claims more was built from another database: a backup restored over this one."""
        return self.c.scalar("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'index_outbox'") or 0

    def pending(self, after):
        """(highest seq, program ids changed after ``after``)."""
        rows = self.c.execute(
            "SELECT max(seq), program_id FROM index_outbox WHERE seq > ? GROUP BY program_id", [after]
        ).fetchall()
        return max((r[0] for r in rows), default=after), [r[1] for r in rows]

    def requeue_past_end(self, today, since=None):
        """Queue the time-limited programs whose end date passed before ``today`` (and on or
        after ``since``): their search status turns to ended with the date, not with an edit.
        Returns how many were queued. Call inside ``write()``."""
        sql = "SELECT id FROM programs WHERE status = 'time-limited' AND end_date != '' AND end_date < ?"
        params = [today.isoformat()]
        if since is not None:
            sql += " AND end_date >= ?"
            params.append(since.isoformat())
        ids = [row[0] for row in self.c.execute(sql, params).fetchall()]
        self.c.db["index_outbox"].insert_all({"program_id": program_id} for program_id in ids)
        return len(ids)

    def count_after(self, after):
        return self.c.scalar("SELECT count(DISTINCT program_id) FROM index_outbox WHERE seq > ?", [after])

    def prune(self, applied):
        """Forget work up to the index's position that was committed over an hour ago.

        A rebuild reads the database at one position and applies the rest after its swap, so
        rows just past that position must outlive it; the hour is that margin.
        """
        self.c.execute(
            "DELETE FROM index_outbox WHERE seq <= ? AND at < strftime('%Y-%m-%dT%H:%M:%S', 'now', ?)",
            [applied, PRUNE_AFTER],
        )
