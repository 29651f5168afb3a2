"""People on both sides answering the same referrals at once through four gunicorn workers:
no illegal state is ever reached and no acknowledged move is lost."""

import datetime as dt
import threading

from app.db import Database
from app.db.audit import process_actor
from app.referrals import commands

from ..support.accounts import PASSWORD
from ..support.referral_load import Outcome, move_loop, verify
from ..support.referral_world import PROGRAMS, add_people, email_of
from ..support.server import run_together, serve

REFERRALS, SECONDS = 40, 8
MOVERS = ("sender", "sender_editor", "receiver", "receiver_editor")


def test_concurrent_moves_reach_no_illegal_state_and_lose_nothing(app, catalogue):
    catalogue(PROGRAMS)
    ids = add_people(app)
    with Database(app.config["DATABASE"]) as db, db.write():
        referral_ids = [db.referrals.add(commands.send({
            "program_id": "jobs-youth", "receiver_org": "jobs-org", "sender_org": "agency-org",
            "sender_user_id": ids["sender"], "client_ref": f"LOAD-{n}", "consent_given_on": "2026-11-01",
            "consent_method": "phone", "share_progress": 1}, dt.datetime.now(dt.timezone.utc)), process_actor("test"))[0]
            for n in range(REFERRALS)]
    outcome = Outcome()
    with serve(app.instance_path, workers=4) as base:
        threads = [threading.Thread(target=move_loop, args=(base, email_of(name), PASSWORD, referral_ids, SECONDS,
                                                            n, outcome))
                   for n, name in enumerate(MOVERS * 2)]
        run_together(threads)
    assert outcome.failed == []
    with Database(app.config["DATABASE"]) as db:
        illegal, lost, unacknowledged = verify(db, referral_ids, outcome.acknowledged)
    assert (illegal, lost, unacknowledged) == ([], 0, 0)
    assert len(outcome.acknowledged) >= REFERRALS and outcome.refused > 0  # they really did collide
    print(f"{len(outcome.acknowledged)} moves acknowledged, {outcome.refused} refused as stale or illegal")
