"""Periodic referral work, run by a command (for cron) and by each server worker's watcher:
remind programs of referrals left unopened, cancel those nobody answered, and anonymise closed
referrals past the retention period (the last by command only, so an operator decides).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from . import mail
from .db import open_database
from .periodic import Periodic
from .db.audit import process_actor
from .referrals.deadlines import subtract_business_days
from .referrals.retention import purge_cutoff
from .links import public_url

SYSTEM = process_actor("atlas:deadlines")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineRun:
    reminded: int
    cancelled: int


def run_deadlines(db, app, now):
    """Remind once, then expire; tell people by email after the write, with links built from
    the site's configured address (there is no request to take one from)."""
    config = app.config
    with db.write():
        reminded = db.referrals.remind_overdue(
            subtract_business_days(now, config["ATLAS_REFERRAL_OVERDUE_DAYS"]), now, SYSTEM)
        cancelled, told = db.referrals.expire(
            subtract_business_days(now, config["ATLAS_REFERRAL_EXPIRE_DAYS"]), now, SYSTEM)
    for people, referral_id in reminded + told:
        mail.referral_notice(config, people, public_url(app, "referrals.detail", referral_id=referral_id))
    return DeadlineRun(len({referral_id for _, referral_id in reminded}), len(cancelled))


def purge(db, config, now, dry_run=False):
    """(closed referrals due for anonymisation, anonymised unless ``dry_run``; open referrals
    untouched for as long, which the operator should ask their organizations to close)."""
    cutoff = purge_cutoff(now, config["ATLAS_REFERRAL_RETENTION_DAYS"])
    due = db.referrals.due_for_purge(cutoff)
    if due and not dry_run:
        with db.write():
            db.referrals.anonymise([row["id"] for row in due], process_actor("command:purge-referrals"), now)
    return due, db.referrals.open_since(cutoff)


DEADLINE_CHECK_SECONDS = 300


class DeadlineClock(Periodic):
    """A server worker's thread applying the deadlines every few minutes, so reminders and
    expiry happen without anyone running a command. Workers may run it at once: each round is
    one write transaction whose queries skip what another worker already did."""

    name = "atlas-referral-deadlines"
    at_once = False

    def __init__(self, app, interval=DEADLINE_CHECK_SECONDS):
        super().__init__(app, interval)

    def check(self):
        try:
            with self.app.app_context(), open_database(self.app.config) as db:
                run_deadlines(db, self.app, dt.datetime.now(dt.timezone.utc))
        except Exception:
            log.exception("Applying the referral deadlines failed; trying again in %s seconds.", self.interval)


def start_deadline_clock(app):
    """Start the clock in this worker (after the fork); the first round waits one interval."""
    return DeadlineClock(app).start()
