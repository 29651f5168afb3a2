"""Map benchmark: how long /map takes to build and how much it and the program pages weigh.

    .venv/bin/python bench/maps.py [--sizes 10000]

Measures the bundled catalogue and synthetic catalogues (bench/synthetic.py, with sites at real
Toronto postal codes), each in a temporary instance with the boundaries fetched from
ATLAS_GEO_MIRROR when it is set. Prints the page size and the p50/p95 time to build the page
in-process (20 requests after a warm-up), for all programs and for a filtered search. For the
bundled data it also prints what /map and three program pages (the one with most sites, a
city-wide one and an online one) weigh on the wire, compressed as the app serves them, against
the 60 KB budget a page with a map must keep to (files under static/vendor are cached, so not
counted).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app, search  # noqa: E402
from app.geo import places  # noqa: E402
from app.db import Database  # noqa: E402
from bench.synthetic import programs  # noqa: E402

REQUESTS = 20
URLS = ("/map", "/map?population=youth", "/map?q=training&sector=construction-trades")
BUDGET_BYTES = 60 * 1024
ENCODINGS = ("br", "gzip")


def instance(folder, size):
    """An app over the bundled data (size 0) or ``size`` synthetic programs."""
    config = {"ATLAS_INSTANCE_PATH": str(folder), "ATLAS_MAP_TILES": "none"}
    mirror = os.environ.get("ATLAS_GEO_MIRROR")
    if mirror:
        config["ATLAS_GEO_MIRROR"] = mirror
    app = create_app(config)
    runner = app.test_cli_runner()
    if mirror:
        runner.invoke(args=["fetch-geodata"])
    if size == 0:
        runner.invoke(args=["init-db"])
        return app
    records = programs(size, with_sites=True)
    boundaries = places.load(folder)
    if boundaries:
        located = [s for r in records for s in r["sites"]]
        for site, place in zip(located, boundaries.place([(s["latitude"], s["longitude"]) for s in located])):
            site.update(place or {})
    with Database(folder / "atlas.sqlite") as db:
        with db.write():
            db.catalog.load_many(records)
        with app.app_context():
            search.rebuild(app, db)
    return app


def measure(app, url):
    client = app.test_client()
    client.get(url)  # warm-up: boundaries and index loaded once per process
    samples, size = [], 0
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        size = len(response.data)
    samples.sort()
    return size, samples[len(samples) // 2], samples[int(len(samples) * 0.95) - 1]


def sample_programs(app):
    """(label, id) of a program with the most sites, a city-wide one and an online one, both
    without a site: the pages whose weight the maps change most."""
    with Database(Path(app.instance_path) / "atlas.sqlite") as db:
        programs = db.catalog.all_programs()
    located = {p["id"]: sum(s.get("latitude") is not None for s in p.get("sites", [])) for p in programs}
    busiest = max(programs, key=lambda p: located[p["id"]])
    city_wide = next(p for p in programs if "city-wide" in (p.get("service_area") or []) and not located[p["id"]])
    online = next(p for p in programs if p.get("delivery_mode") == "virtual" and not located[p["id"]])
    return [(f"most sites ({located[busiest['id']]})", busiest["id"]), ("city-wide, no site", city_wide["id"]),
            ("online, no site", online["id"])]


def wire_weights(app):
    """Compressed bytes of the pages with maps, as served (vendor files excluded: cached)."""
    client = app.test_client()
    pages = [("map", "/map"), ("map, filtered", "/map?population=youth")]
    pages += [(label, f"/programs/{program_id}") for label, program_id in sample_programs(app)]
    print(f"\n{'page weight (budget 60 KB)':48} " + "  ".join(f"{e:>14}" for e in ENCODINGS))
    for label, url in pages:
        sizes = [len(client.get(url, headers={"Accept-Encoding": encoding}).data) for encoding in ENCODINGS]
        cells = "  ".join(f"{size / 1024:5.1f} KB {size / BUDGET_BYTES:4.0%}" for size in sizes)
        print(f"{label:20} {url[:27]:27} {cells}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="synthetic sizes; the bundled data is always measured")
    args = parser.parse_args()
    if not os.environ.get("ATLAS_GEO_MIRROR"):
        print("(ATLAS_GEO_MIRROR is not set: maps are measured without ward and neighbourhood layers)")
    for size in [0] + [int(s) for s in args.sizes.split(",") if s]:
        folder = Path(tempfile.mkdtemp(prefix="atlas-map-bench-"))
        try:
            app = instance(folder, size)
            label = "bundled data" if size == 0 else f"{size:,} synthetic programs"
            print(f"\n== {label} ==")
            for url in URLS:
                weight, p50, p95 = measure(app, url)
                print(f"{url:48} {weight / 1e6:.2f} MB  build p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms")
            if size == 0:
                wire_weights(app)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
