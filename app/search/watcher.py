"""A server worker's periodic index check: apply what the index missed, rebuild it if lost.

Every save brings the index up to date itself, but a save that found the index busy, a command
run in another process or a crash half-way leaves committed changes in the outbox. Each worker
runs this check in a daemon thread (started by ``wsgi.py`` after the fork: threads do not
survive one), so such changes reach searches within seconds without anybody running a command.
It never stops on an error: it logs it and tries again next round.
"""

import datetime as dt
import logging

from whoosh.index import LockError

from .. import search
from ..db import open_database, readings
from ..periodic import Periodic

CATCH_UP_TIMEOUT_SECONDS = 5  # a busy index is left to the next round rather than waited for
log = logging.getLogger(__name__)


class Watcher(Periodic):
    name = "atlas-index-watcher"

    def __init__(self, app, interval):
        super().__init__(app, interval)
        self.day = None  # the day the index's "ended by date" statuses were last brought up to

    def check(self):
        """One round: returns the number of programs applied (0 on an error, which is logged)."""
        try:
            with self.app.app_context(), open_database(self.app.config) as db:
                if search.ensure(self.app, db):
                    log.warning("The search index was missing or unreadable; it has been rebuilt.")
                self._new_day(db)
                applied = search.catch_up(self.app, db, timeout=CATCH_UP_TIMEOUT_SECONDS)
                search.prune(self.app, db)
                flush_readings(self.app, db)
        except LockError:
            log.info("The search index was busy; its pending changes wait for the next check.")
            return 0
        except Exception:
            log.exception("The index check failed; trying again in %s seconds.", self.interval)
            return 0
        if applied:
            log.info("Applied %d changed program(s) the search index had missed.", applied)
        return applied

    def _new_day(self, db):
        """On a new day, re-index the programs whose end date has just passed, so searches leave
        them out from the day after their end as they do other ended programs."""
        today = dt.date.today()
        if self.day != today:
            with db.write():
                db.outbox.requeue_past_end(today, since=self.day)
            self.day = today


def flush_readings(app, db):
    """Write the readings pages kept aside while a long write held the database: a worker's
    thread is the one place that may wait for it."""
    written = readings.flush_kept(db, app.instance_path)
    if written:
        log.info("Wrote %d reading(s) of referrals kept aside during a long write.", written)


def start(app, interval=None):
    """Start checking every ``interval`` seconds (the setting by default), the first at once.

    Returns the Watcher (``stop()`` ends it), or None when the setting is 0.
    """
    interval = app.config["ATLAS_INDEX_CHECK_SECONDS"] if interval is None else interval
    if not interval or interval <= 0:
        return None
    return Watcher(app, interval).start()
