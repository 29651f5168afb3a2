"""Editors saving the same listings at once through four gunicorn workers lose nothing: every
acknowledged edit is in the final record or was superseded by a later acknowledged edit of the
same field, and the history holds exactly the acknowledged edits."""

import threading

from app.accounts.passwords import hash_password
from app.db import Database

from ..support.accounts import PASSWORD
from ..support.editors import Outcome, edit_loop, verify
from ..support.rows import program_row
from ..support.server import run_together, serve

EDITORS, LISTINGS, SECONDS = 4, 3, 8


def test_concurrent_editors_lose_no_acknowledged_edit(app, catalogue):
    listings = [f"shared-{n}" for n in range(LISTINGS)]
    catalogue([program_row(id=listing, name=f"Shared {listing}", organization="Own Org", organization_id="own-org")
               for listing in listings])
    emails = [f"editor{n}@own.example.org" for n in range(EDITORS)]
    with Database(app.config["DATABASE"]) as db, db.write():
        hashed = hash_password(PASSWORD)
        for email in emails:
            db.accounts.add_user({"email": email, "name": email, "password_hash": hashed, "role": "editor",
                                  "organization_id": "own-org", "status": "active"})
    outcome = Outcome()
    with serve(app.instance_path, workers=4) as base:
        threads = [threading.Thread(target=edit_loop, args=(base, email, PASSWORD, listings, SECONDS, n, outcome))
                   for n, email in enumerate(emails)]
        run_together(threads)
    assert outcome.failed == []
    with Database(app.config["DATABASE"]) as db:
        lost, mismatches = verify(db, listings, outcome.acknowledged)
    assert (lost, mismatches) == (0, 0)
    assert len(outcome.acknowledged) > 20 and outcome.refused > 0  # they really did collide
