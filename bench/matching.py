"""Matching benchmark: how fast ``match()`` is on a big catalogue, and where the user stories rank.

    .venv/bin/python bench/matching.py [--size 10000] [--runs 200]

Prints the time to ``prepare`` a synthetic catalogue (bench/synthetic.py with eligibility rules
added here; nothing is written to data/), then p50/p95 of ``match()`` in-process for a few
profiles, for the first page of results (limit 20) and for every result. Then loads the bundled
Toronto data into a temporary instance and prints the rank of each user story's program, and
finally p50/p95 of /api/match beside /api/programs over HTTP, gunicorn with two workers.
Latencies are measured after one warm-up call, as a running server would be.
"""

import argparse
import datetime as dt
import gc
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.matching import ClientProfile, match, prepare  # noqa: E402
from bench.synthetic import VOCABULARIES, programs  # noqa: E402
from tests.support.stories import SCARBOROUGH, STORIES, rank_of  # noqa: E402

TODAY = dt.date.today()


# Synthetic eligibility: shares chosen to resemble the bundled catalogue's.
def with_rules(rng, program):
    roll = rng.random
    program["listing_type"] = "program" if roll() < 0.94 else rng.choice(["funder", "network", "research"])
    program["status"] = rng.choices(["active", "unknown", "time-limited", "paused", "ended"], [44, 48, 5, 1, 2])[0]
    program["end_date"] = (TODAY - dt.timedelta(days=rng.randint(30, 2000))).isoformat() if roll() < 0.02 else None
    if roll() < 0.2:
        low = rng.choice([14, 15, 16, 17, 18, 19, 21, 45])
        program["age_min"], program["age_max"] = low, rng.choice([None, low + 11, low + 14])
    program["requires_populations"] = _some(rng, "populations", 0.35)
    program["income_support"] = ["ontario-works"] if roll() < 0.01 else []
    program["immigration_status"] = ["citizen", "permanent-resident"] if roll() < 0.04 else []
    program["residency"] = [rng.choice(["toronto", "ontario", "gta"])] if roll() < 0.03 else []
    program["capacity_status"] = rng.choice([None, None, None, "open", "waitlist", "full"])
    program["referral_method"] = rng.choice([None, None, "self-referral", "agency-referral", "both"])
    if program["next_intake_date"]:
        program["next_intake_date"] = (TODAY + dt.timedelta(days=rng.randint(-30, 200))).isoformat()
    program["service_area"] = ["city-wide"] if roll() < 0.4 else [f"ward:{rng.randint(1, 25):02d}"]
    program["source_date"] = (TODAY - dt.timedelta(days=rng.randint(0, 1500))).isoformat()
    program["last_verified"] = (TODAY - dt.timedelta(days=rng.randint(0, 500))).isoformat()
    return program


def _some(rng, vocabulary, chance):
    if rng.random() >= chance:
        return []
    terms = VOCABULARIES[vocabulary].terms
    return [term.slug for term in rng.sample(terms, rng.choice([1, 1, 2]))]


def synthetic_catalogue(size, seed=2026):
    rng = random.Random(seed)
    return [with_rules(rng, program) for program in programs(size, seed=seed, with_sites=True)]


PROFILES = {
    "empty": ClientProfile(),
    "youth, Scarborough, tech": STORIES[0].profile,
    "French newcomer": STORIES[4].profile,
    "everything given": ClientProfile(
        age=34, gender="woman", populations=frozenset({"newcomers", "racialized"}),
        sectors=frozenset({"health-care-social", "retail"}),
        interventions=frozenset({"sector-training", "job-matching"}),
        stream="b", income_support="ontario-works", immigration_status="permanent-resident", location=SCARBOROUGH,
        ward="23", languages=("ta", "en"), mode="in-person", start_within_days=60, hours="part-time",
    ),
}


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return pick(0.50), pick(0.95)


def latencies(catalogue, profile, runs, limit):
    match(catalogue, profile, VOCABULARIES, TODAY, limit=limit)  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        match(catalogue, profile, VOCABULARIES, TODAY, limit=limit)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def report_speed(size, runs):
    records = synthetic_catalogue(size)
    started = time.perf_counter()
    catalogue = prepare(records, VOCABULARIES)
    print(f"== {size:,} synthetic programs ==")
    print(f"prepare: {(time.perf_counter() - started) * 1000:.0f} ms (once per catalogue)")
    print(f"{'profile':26} {'results':>7} {'excluded':>8}   first 20 (p50 / p95)   every result (p50 / p95)")
    rows = {}
    for name, profile in PROFILES.items():
        result = match(catalogue, profile, VOCABULARIES, TODAY)
        page = latencies(catalogue, profile, runs, 20)
        every = latencies(catalogue, profile, max(runs // 10, 5), None)
        rows[name] = page
        print(f"{name:26} {len(result.results):7} {len(result.excluded):8}   {ms(page)}   {ms(every)}")
    # A server holding the prepared catalogue for its lifetime can take it out of the garbage
    # collector's sweeps; what a request then costs:
    gc.freeze()
    print("after gc.freeze() (the prepared catalogue no longer swept by full collections):")
    for name, profile in PROFILES.items():
        print(f"{name:26} {'':7} {'':8}   {ms(latencies(catalogue, profile, runs, 20))}")
    gc.unfreeze()


def ms(pair):
    return f"{pair[0] * 1000:6.1f} / {pair[1] * 1000:6.1f} ms"


def bundled_programs():
    from app import create_app
    from app.db import Database

    with tempfile.TemporaryDirectory(prefix="atlas-bench-matching-") as folder:
        app = create_app({"ATLAS_INSTANCE_PATH": folder, "TESTING": True})
        app.test_cli_runner().invoke(args=["init-db"])
        store = Database(app.config["DATABASE"])
        try:
            return store.catalog.all_programs()
        finally:
            store.close()


def report_stories():
    catalogue = prepare(bundled_programs(), VOCABULARIES)
    print("\n== user stories over the bundled data ==")
    for story in STORIES:
        result = match(catalogue, story.profile, VOCABULARIES, TODAY)
        ranks = ", ".join(f"{prefix} #{rank_of(result, prefix)}" for prefix in story.wanted)
        print(f"{story.name}: {len(result.results)} results, {len(result.excluded)} excluded"
              + (f"; {ranks}" if ranks else ""))


HTTP_PATHS = {
    "match: empty": "/api/match",
    "match: youth, Scarborough, tech": "/api/match?age=19&near=M1B+3C3&sector=ict",
    "match: French newcomer": "/api/match?language=fr&population=newcomers&intervention=employment-services",
    "search: youth": "/api/programs?q=youth",
    "search: near, filtered": "/api/programs?near=M1B+3C3&population=youth",
}


def report_http(size, runs, workers=2):
    """The same requests over HTTP, served by gunicorn with ``workers`` workers as `make run`
    does, beside the search's: what a caseworker's browser waits for."""
    import urllib.request

    from bench.integrity import new_instance, synthetic_csv
    from tests.support.server import serve

    with tempfile.TemporaryDirectory(prefix="atlas-bench-match-http-") as root:
        app = new_instance(root, "instance")
        path = synthetic_csv(Path(root) / "synthetic.csv", size, seed=7)
        app.test_cli_runner().invoke(args=["import-programs", str(path)])
        with serve(Path(root) / "instance", workers=workers) as base:
            with urllib.request.urlopen(base + "/api/programs?per_page=1", timeout=60) as response:
                total = json.load(response)["total"]
            print(f"\n== over HTTP: gunicorn, {workers} workers, {total:,} programs (synthetic and bundled) ==")
            for name, path in HTTP_PATHS.items():
                samples = []
                for n in range(runs + workers * 2):
                    started = time.perf_counter()
                    with urllib.request.urlopen(base + path, timeout=60) as response:
                        response.read()
                    if n >= workers * 2:  # each worker prepares its catalogue on its first request
                        samples.append(time.perf_counter() - started)
                print(f"{name:34} {ms(percentiles(samples))}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    report_speed(args.size, args.runs)
    report_stories()
    report_http(args.size, max(args.runs // 2, 20))


if __name__ == "__main__":
    main()
