"""The prepared catalogue, kept by a server process between requests.

Preparing turns every program into columns (about a second for thousands of programs), while a
match over them takes milliseconds, so a process keeps the columns until a program changes. The
index outbox's position moves with every committed change to a program or its sites, which makes
it the key. The caller passes the database; nothing here knows about Flask.
"""

import threading

from .catalogue import prepare


class CatalogueCache:
    def __init__(self):
        self._kept = None  # (outbox position, prepared catalogue)
        self._lock = threading.Lock()

    def get(self, db, vocabularies, boundaries, stale_after_days):
        """The catalogue as the database holds it now; ``boundaries()`` gives the City's
        boundaries (or None), looked up only when the catalogue must be prepared again."""
        with db.read():
            position = (db.outbox.sequence(), db.outbox.latest())
            kept = self._kept
            if kept and kept[0] == position:
                return kept[1]
            programs = db.catalog.all_programs()
        loaded = boundaries()
        prepared = prepare(programs, vocabularies, loaded.neighbourhood_wards() if loaded else None,
                           stale_after_days)
        with self._lock:
            self._kept = (position, prepared)
        return prepared

