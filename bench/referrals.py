"""Referral inbox benchmark: an organization's inbox with 100,000 referrals in the database.

    .venv/bin/python bench/referrals.py [--referrals 100000] [--runs 60]

Builds a temporary instance with synthetic programs (bench/synthetic.py; nothing is written to
data/) and synthetic referrals written straight to the database: the organization under test
receives ``--referrals`` of them, sends as many, and as many again pass between other
organizations. Then prints p50/p95 of the inbox page and the API list, signed in as a member,
for the first page, a later page, a status filter, a program filter and the overdue filter.
Latencies are measured in-process after one warm-up call, as a running server would answer.
"""

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.accounts.passwords import hash_password  # noqa: E402
from app.db import Database  # noqa: E402
from app.referrals.lifecycle import STATUSES, visible_status  # noqa: E402
from bench.synthetic import programs  # noqa: E402

ORGANIZATION = "bench-receiver"
PASSWORD = "a long enough passphrase"


def build(folder, count, seed=2026):
    app = create_app({"ATLAS_INSTANCE_PATH": str(folder), "TESTING": True})
    rng = random.Random(seed)
    catalogue = programs(200, seed=seed)
    for n, program in enumerate(catalogue):
        program["organization_id"] = ORGANIZATION if n < 10 else f"org-{n % 40}"
    with Database(app.config["DATABASE"]) as db:
        with db.write():
            db.catalog.load_many(catalogue)
            db.accounts.add_user({"email": "member@bench.example.org", "name": "Bench member", "role": "member",
                                  "password_hash": hash_password(PASSWORD), "organization_id": ORGANIZATION,
                                  "status": "active"})
        own = [p["id"] for p in catalogue[:10]]
        others = [p for p in catalogue[10:]]
        start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
        statuses = list(STATUSES)

        def referral(n, program_id, receiver, sender=None):
            created = (start + dt.timedelta(minutes=7 * n)).isoformat(timespec="seconds")
            status, shared = rng.choice(statuses), int(rng.random() < 0.7)
            return {"status": status, "share_progress": shared,
                    "sender_status": visible_status(status, shared, {"sender"}),
                    "program_id": program_id, "receiver_org": receiver,
                    "sender_org": sender or f"org-{rng.randrange(40)}",
                    "client_ref": f"BENCH-{n}", "created": created,
                    "updated": created, "consent_given_on": "2025-01-01", "consent_method": "phone",
                    "needs": "{}", "version": 1,
                    "received_at": None if rng.random() < 0.2 else created}

        rows = []
        for n in range(count):
            rows.append(referral(n, rng.choice(own), ORGANIZATION))
            other = rng.choice(others)
            rows.append(referral(n, other["id"], other["organization_id"], ORGANIZATION))
            another = rng.choice(others)
            rows.append(referral(n, another["id"], another["organization_id"]))
        with db.write():
            db.connection.db["referrals"].insert_all(rows, batch_size=5000)
    return app, own


def timed(client, path, runs):
    client.get(path)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        app, own = build(Path(folder), args.referrals)
        print(f"built {args.referrals:,} incoming and {args.referrals:,} outgoing referrals "
              f"(+{args.referrals:,} elsewhere) "
              f"in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        with client.session_transaction() as session:
            session["csrf"] = "bench"
        page = client.get("/login")
        assert page.status_code == 200
        client.post("/login", data={"email": "member@bench.example.org", "password": PASSWORD, "csrf_token": "bench"})
        print(f"{'request':<58} {'p50 ms':>8} {'p95 ms':>8}")
        worst = 0.0
        for path in ("/referrals", "/referrals?page=2000", "/referrals?status=accepted",
                     f"/referrals?program={own[0]}", "/referrals?overdue=1", "/referrals?box=outgoing",
                     "/referrals?box=outgoing&status=accepted", "/referrals?box=outgoing&status=completed",
                     "/referrals?box=outgoing&overdue=1", "/api/referrals?box=incoming",
                     "/api/referrals?box=incoming&status=requested&page=50"):
            p50, p95 = timed(client, path, args.runs)
            worst = max(worst, p95)
            print(f"{path:<58} {p50:8.1f} {p95:8.1f}")
        verdict = "within" if worst < 100 else "OVER"
        print(f"slowest p95 {worst:.1f} ms: {verdict} the 100 ms target")


if __name__ == "__main__":
    main()
