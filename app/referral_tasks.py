"""Periodic referral work, run by a command (for cron) and by each server worker's watcher:
remind programs of referrals left unopened, cancel those nobody answered, and anonymise closed
referrals past the retention period (the last by command only, so an operator decides).
"""

from dataclasses import dataclass

from . import mail
from .db.audit import process_actor
from .referrals.deadlines import subtract_business_days
from .referrals.retention import purge_cutoff

SYSTEM = process_actor("atlas:deadlines")


@dataclass(frozen=True)
class DeadlineRun:
    reminded: int
    cancelled: int


def run_deadlines(db, config, now, link):
    """Remind once, then expire; tell people by email after the write. ``link(referral_id)``
    makes the address a message points to."""
    with db.write():
        reminded = db.referrals.remind_overdue(
            subtract_business_days(now, config["ATLAS_REFERRAL_OVERDUE_DAYS"]), now, SYSTEM)
        cancelled, told = db.referrals.expire(
            subtract_business_days(now, config["ATLAS_REFERRAL_EXPIRE_DAYS"]), now, SYSTEM)
    for people, referral_id in reminded + told:
        mail.referral_notice(config, people, link(referral_id))
    return DeadlineRun(len({referral_id for _, referral_id in reminded}), len(cancelled))


def purge(db, config, now, dry_run=False):
    """Closed referrals due for anonymisation (rows with id, status, closed_at); anonymised
    unless ``dry_run``."""
    due = db.referrals.due_for_purge(purge_cutoff(now, config["ATLAS_REFERRAL_RETENTION_DAYS"]))
    if due and not dry_run:
        with db.write():
            db.referrals.anonymise([row["id"] for row in due], process_actor("command:purge-referrals"), now)
    return due
