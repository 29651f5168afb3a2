"""Integrity benchmark: lost edits, index repair after kills, reads during a big import, and
what /map costs on the wire.

    .venv/bin/python bench/integrity.py [--seconds 60] [--rounds 2] [--kills 25] [--rows 15000]

Everything runs against gunicorn with 4 workers on 127.0.0.1, in temporary instance folders,
over the bundled data plus synthetic programs (bench/synthetic.py, never written to data/).
Figures are printed; ratios are taken within one run because these machines are shared.
"""

import argparse
import datetime as dt
import gzip
import http.client
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app, search  # noqa: E402
from app.accounts.passwords import hash_password  # noqa: E402
from app.catalog.csvfile import write_csv  # noqa: E402
from app.catalog.export import program_rows  # noqa: E402
from app.catalog.fields import FIELD_NAMES  # noqa: E402
from app.db import Database  # noqa: E402
from app.db import readings  # noqa: E402
from app.db.audit import process_actor  # noqa: E402
from app.referrals import commands  # noqa: E402
from tests.support.editors import Browser, Outcome, edit_loop, verify  # noqa: E402
from tests.support.server import run_together, serve  # noqa: E402
from bench.synthetic import programs  # noqa: E402

os.environ.setdefault("ATLAS_LOG_LEVEL", "WARNING")  # one line per request would drown the figures
PASSWORD = "a long enough passphrase"
WORKERS = 4
ATLAS_INDEX_CHECK_SECONDS = 10
READ_PATHS = ("/programs?q=youth", "/programs?population=newcomers", "/api/programs?q=training&sector=ict",
              "/", "/programs/npower-canada-junior-it-analyst")


def new_instance(root, name):
    """A fresh instance folder loaded with the bundled Toronto data (and the boundaries, from
    ATLAS_GEO_MIRROR when it is set, so maps carry their ward layers)."""
    folder = Path(root) / name
    app = create_app({"ATLAS_INSTANCE_PATH": str(folder)})
    runner = app.test_cli_runner()
    if os.environ.get("ATLAS_GEO_MIRROR"):
        runner.invoke(args=["fetch-geodata"])
    runner.invoke(args=["init-db"])
    return app


def synthetic_csv(path, count, seed):
    records = programs(count, seed=seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        write_csv(handle, FIELD_NAMES, program_rows(records))
    return path


def add_editors(app, count, organization_id, prefix="editor"):
    hashed = hash_password(PASSWORD)
    emails = [f"bench-{prefix}-{n}@example.org" for n in range(count)]
    with Database(app.config["DATABASE"]) as db, db.write():
        for email in emails:
            db.accounts.add_user({"email": email, "name": email, "password_hash": hashed, "role": "editor",
                                  "organization_id": organization_id, "status": "active"})
    return emails


# 1. Lost edits

def lost_edits(root, seconds, rounds, editors=4, listings=7):
    app = new_instance(root, "edits")
    with Database(app.config["DATABASE"]) as db:
        organization = max(db.catalog.organizations(), key=lambda o: len(db.catalog.programs_of(o["id"])))
        chosen = [p["id"] for p in db.catalog.programs_of(organization["id"])][:listings]
    emails = add_editors(app, editors, organization["id"])
    outcome = Outcome()
    with serve(app.instance_path, workers=WORKERS) as base:
        for round_ in range(rounds):
            threads = [threading.Thread(target=edit_loop, args=(base, e, PASSWORD, chosen, seconds, round_ * editors + n, outcome))
                       for n, e in enumerate(emails)]
            run_together(threads)
    with Database(app.config["DATABASE"]) as db:
        lost, mismatches = verify(db, chosen, outcome.acknowledged)
    print(f"{rounds} x {seconds} s, {editors} editors on {len(chosen)} listings, {WORKERS} gunicorn workers")
    print(f"  acknowledged edits: {len(outcome.acknowledged)}; refused as stale (409): {outcome.refused}; "
          f"other failures: {len(outcome.failed)}")
    print(f"  lost edits / acknowledged edits: {lost} / {len(outcome.acknowledged)}")
    print(f"  history entries not matching an acknowledged edit: {mismatches}")


# 2. Kills

def _workers_of(master_pid):
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def _master_pid(instance):
    out = subprocess.run(["pgrep", "-f", "gunicorn -c gunicorn.conf.py wsgi:app"], capture_output=True, text=True).stdout
    for pid in map(int, out.split()):
        if f"ATLAS_INSTANCE_PATH={instance}" in Path(f"/proc/{pid}/environ").read_bytes().replace(b"\0", b"\n").decode():
            ppid = int(Path(f"/proc/{pid}/stat").read_text().split()[3])
            if ppid != pid and not _is_gunicorn(ppid):
                return pid
    return None


def _is_gunicorn(pid):
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def kills(root, count):
    app = new_instance(root, "kills")
    instance = app.instance_path
    emails = add_editors(app, 2, "npower-canada")
    env = dict(os.environ, ATLAS_INSTANCE_PATH=instance, ATLAS_BUSY_TIMEOUT_MS="30000")
    rng = random.Random(11)
    files = [synthetic_csv(Path(root) / f"kill-{n}.csv", 1500, seed=n) for n in range(count)]
    killed = {"import": 0, "worker": 0}
    outcome = Outcome()
    with Database(app.config["DATABASE"]) as db:
        listings = [p["id"] for p in db.catalog.programs_of("npower-canada")]
    with serve(instance, workers=WORKERS, ATLAS_INDEX_CHECK_SECONDS=5) as base:
        stop_at = time.monotonic() + 10 * count
        editors = [threading.Thread(target=edit_loop, args=(base, e, PASSWORD, listings, 3 * count, n, outcome))
                   for n, e in enumerate(emails)]
        for thread in editors:
            thread.start()
        master = _master_pid(instance)
        for n in range(count):
            if n % 2 and master:
                victims = _workers_of(master)
                if victims:
                    os.kill(rng.choice(victims), signal.SIGKILL)
                    killed["worker"] += 1
                time.sleep(rng.uniform(0.5, 2.0))
            else:
                process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "import-programs",
                                            str(files[n])], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True)
                time.sleep(rng.uniform(0.5, 6.0))
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                killed["import"] += 1
            if time.monotonic() > stop_at:
                break
        for thread in editors:
            thread.join()
        started = time.monotonic()
        while True:  # the site keeps running; nobody runs a command
            with Database(app.config["DATABASE"]) as db:
                differences = search.check(app, db)
            if differences.clean or time.monotonic() - started > 60:
                break
            time.sleep(1)
        healed_after = time.monotonic() - started
    total = len(differences.missing) + len(differences.stale) + len(differences.extra)
    print(f"killed {killed['import']} imports and {killed['worker']} workers at random points "
          f"while 2 editors saved ({len(outcome.acknowledged)} acknowledged edits)")
    print(f"  index differences after the kills, with the site running: {total} "
          f"(clean after {healed_after:.1f} s; no command run)")


# 3. Reads during a big import

REFERRAL_READS = ("/referrals", "/referrals?box=outgoing", "/api/referrals?box=outgoing", "/referrals/{id}",
                  "/api/referrals/{id}")
MATCH_READ = "/api/match?age=22&population=youth&near=M5V%202T6"
SENDING_ORG = "agincourt-community-services-association"  # refers clients to NPower Canada in this bench


def _reader(get, paths, stop, samples, failures, seed):
    """Read pages in a loop until told to stop: (path kind, seconds) per answer, failures apart."""
    rng = random.Random(seed)
    while not stop.is_set():
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            get(path)
            samples.append((path.split("?")[0].rstrip("0123456789/"), time.perf_counter() - started))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            failures.append(f"{path}: {error}")


def _percentiles(seconds):
    ordered = sorted(seconds)
    if not ordered:
        return "no answers"
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.50):.1f} ms  p95 {pick(0.95):.1f} ms  p99 {pick(0.99):.1f} ms  (n={len(ordered)})"


def _anonymous_get(base):
    def get(path):
        with urllib.request.urlopen(base + path, timeout=60) as response:
            response.read()
    return get


def _caseworkers(app, count):
    """Editors of an agency that refers clients to NPower Canada's programs, and of NPower
    Canada, with referrals between them: whose reading of referrals writes audit rows."""
    senders = add_editors(app, count // 2, SENDING_ORG, prefix="sender")
    receivers = add_editors(app, count - count // 2, "npower-canada", prefix="receiver")
    with Database(app.config["DATABASE"]) as db, db.write():
        db.catalog.save_program(dict(db.catalog.get_program("npower-canada-junior-it-analyst"),
                                     referral_method="both"))
        sender = db.accounts.find_user(senders[0])
        ids = [db.referrals.add(commands.send({
            "program_id": "npower-canada-junior-it-analyst", "receiver_org": "npower-canada",
            "sender_org": SENDING_ORG, "sender_user_id": sender["id"], "client_ref": f"BENCH-{n}",
            "consent_given_on": dt.date.today().isoformat(), "consent_method": "phone", "share_progress": 1},
            dt.datetime.now(dt.timezone.utc)), process_actor("bench"))[0] for n in range(20)]
    return senders + receivers, ids


def reads(root, rows, readers=8, baseline_seconds=20):
    """Half the clients read public pages and matches, half are caseworkers reading their
    referrals (each read of which is recorded), first alone, then while an import of ``rows``
    programs holds the database's write lock."""
    app = new_instance(root, "reads")
    path = synthetic_csv(Path(root) / "big-import.csv", rows, seed=99)
    env = dict(os.environ, ATLAS_INSTANCE_PATH=app.instance_path)
    emails, referral_ids = _caseworkers(app, readers // 2)
    with serve(app.instance_path, workers=WORKERS) as base:
        browsers = []
        for email in emails:
            browser = Browser(base)
            assert browser.sign_in(email, PASSWORD) == 302, email
            browsers.append(browser)
        results = {}
        for phase in ("without an import", "during the import"):
            stop, samples, failures = threading.Event(), [], []
            threads = [threading.Thread(target=_reader, args=(_anonymous_get(base), READ_PATHS + (MATCH_READ,), stop,
                                                               samples, failures, n))
                       for n in range(readers - len(browsers))]
            referral_paths = tuple(p.replace("{id}", str(i)) for p in REFERRAL_READS for i in referral_ids[:5])
            threads += [threading.Thread(target=_reader, args=(browser.get, referral_paths, stop, samples, failures,
                                                                100 + n))
                        for n, browser in enumerate(browsers)]
            for thread in threads:
                thread.start()
            started = time.monotonic()
            if phase == "during the import":
                subprocess.run([sys.executable, "-m", "flask", "--app", "app", "import-programs", str(path)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                time.sleep(baseline_seconds)
            stop.set()
            for thread in threads:
                thread.join()
            results[phase] = (samples, failures, time.monotonic() - started)
        time.sleep(ATLAS_INDEX_CHECK_SECONDS + 2)  # the workers write the readings kept aside
        kept = readings.SideFile(app.instance_path).count()
    print(f"reads by {readers} clients ({len(emails)} caseworkers reading referrals), {WORKERS} workers; "
          f"import of {rows:,} synthetic programs")
    for phase, (samples, failures, seconds) in results.items():
        print(f"  {phase:<18} all reads        {_percentiles([s for _k, s in samples])}  failed: {len(failures)}  "
              f"({seconds:.0f} s)")
        for kind in ("/referrals", "/api/referrals", "/api/match"):
            print(f"  {'':<18} {kind:<16} {_percentiles([s for k, s in samples if k == kind])}")
        for failure in failures[:5]:
            print(f"      {failure}")
    print(f"  readings still waiting to be written after the import: {kept}")


# 4. /map on the wire

def map_bytes(root):
    app = new_instance(root, "map")
    client = app.test_client()
    plain = client.get("/map").data
    squeezed = client.get("/map", headers={"Accept-Encoding": "gzip"})
    brotli = client.get("/map", headers={"Accept-Encoding": "br"})
    print(f"/map: {len(plain):,} bytes uncompressed; gzip {len(squeezed.data):,} "
          f"({squeezed.headers.get('Content-Encoding')}); brotli {len(brotli.data):,} ({brotli.headers.get('Content-Encoding')})")
    if squeezed.headers.get("Content-Encoding") == "gzip":  # the same page, give or take its nonce
        assert abs(len(gzip.decompress(squeezed.data)) - len(plain)) < 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument("--rows", type=int, default=15000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        print("== lost edits =="); lost_edits(root, args.seconds, args.rounds)
        print("== kills =="); kills(root, args.kills)
        print("== reads during an import =="); reads(root, args.rows)
        print("== /map on the wire =="); map_bytes(root)


if __name__ == "__main__":
    main()
