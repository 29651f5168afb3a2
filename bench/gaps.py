"""Gaps benchmark: how fast each convenor-dashboard view answers over a big catalogue.

    .venv/bin/python bench/gaps.py [--size 10000] [--runs 30]

Loads ``size`` synthetic programs (bench/synthetic.py, with sites; nothing is written to data/)
into a temporary instance, with the City's boundaries and Census profiles when the offline
mirror (ATLAS_GEO_MIRROR or ../shared/geo) is there, so sites get wards and place views have
need figures. Then times every view of /gaps and /api/gaps in-process through Flask's test
client, after one warm-up request (which builds the dashboard's cached masks, timed apart),
and prints p50 and p95 per view. The target is under 200 ms p95 for every view.

The place views keep their accessibility (2SFCA) per state in the process, so repeated
requests are fast; the first request after a change to the catalogue computes it again (and
rebuilds the masks). For those views the bench also edits one program and times the next
request, several times, and prints that p50 and p95 apart ("after a change").
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app import search  # noqa: E402
from app.db import Database  # noqa: E402
from app.geo import places  # noqa: E402
from bench.synthetic import programs  # noqa: E402

TARGET_MS = 200
CHANGES = 5  # catalogue edits timed per place view
URLS = {
    "coverage sector x population": "/gaps",
    "coverage ward x stage, youth": "/gaps?rows=ward&cols=stage&population=youth",
    "coverage intervention x site ward": "/gaps?rows=intervention&cols=site_ward",
    "api ward x population": "/api/gaps?rows=ward&cols=population",
    "api funder x sector, words": "/api/gaps?rows=funder&cols=sector&q=training",
    "continuum, youth": "/gaps?view=continuum&population=youth",
    "place, wards": "/gaps?view=place",
    "place, neighbourhoods, 5 km": "/gaps?view=place&area=neighbourhood&catchment_km=5",
    "largest gaps, newcomers": "/gaps?view=largest&population=newcomers",
    "overlaps": "/gaps?view=overlaps",
    "data health": "/gaps?view=health",
    "local labour market": "/gaps?view=lmi&lmi_ward=07",
    "coverage CSV": "/gaps?rows=ward&cols=population&format=csv",
}
PLACE_VIEWS = ("place, wards", "place, neighbourhoods, 5 km", "largest gaps, newcomers")


def mirror():
    path = Path(os.environ.get("ATLAS_GEO_MIRROR") or ROOT.parent / "shared" / "geo")
    return path if (path / "toronto-wards-25.geojson").exists() else None


def placed(records, boundaries):
    """Give synthetic sites their ward and neighbourhood, as the importer would."""
    if boundaries is None:
        return records
    sites = [site for record in records for site in record["sites"]]
    for site, found in zip(sites, boundaries.place([(s["latitude"], s["longitude"]) for s in sites])):
        if found:
            site.update(ward=found["ward"], neighbourhood=found["neighbourhood"])
    return records


def build(size, folder):
    geo = mirror()
    app = create_app({"ATLAS_INSTANCE_PATH": str(folder), "ATLAS_PUBLIC_GAPS": 1, "TESTING": True,
                      **({"ATLAS_GEO_MIRROR": str(geo)} if geo else {})})
    if geo:
        result = app.test_cli_runner().invoke(args=["fetch-geodata"])
        assert result.exit_code == 0, result.output
    records = placed(programs(size, with_sites=True), places.load(app.instance_path))
    for record in records:  # every real listing states its status; the search files it by it
        record.setdefault("status", "active")
    with Database(app.config["DATABASE"]) as store:
        with store.write():
            store.catalog.load_many(records)
        search.rebuild(app, store)
    return app, geo is not None


def change_catalogue(app, n):
    """Edit one program, as an editor's save would: the catalogue's version moves on."""
    with Database(app.config["DATABASE"]) as store:
        record = store.catalog.all_programs()[0]
        with store.write():
            store.catalog.save_program(dict(record, description=f"{record.get('description') or ''} (edit {n})"))


def after_changes(app, client, url):
    """Milliseconds of the first request after each of CHANGES catalogue edits."""
    samples = []
    for n in range(CHANGES):
        change_catalogue(app, n)
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        samples.append(1000 * (time.perf_counter() - started))
    return samples


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        app, with_geo = build(options.size, Path(folder))
        print(f"{options.size} synthetic programs loaded and indexed in {time.perf_counter() - started:.1f} s"
              f" ({'with' if with_geo else 'without'} boundaries and Census profiles)")
        client = app.test_client()
        started = time.perf_counter()
        assert client.get("/api/gaps").status_code == 200
        print(f"first request (builds the cached masks): {1000 * (time.perf_counter() - started):.0f} ms")
        worst = 0.0
        print(f"{'view':46} {'p50 ms':>8} {'p95 ms':>8}")
        for name, url in URLS.items():
            assert client.get(url).status_code == 200, url
            samples = []
            for _ in range(options.runs):
                started = time.perf_counter()
                response = client.get(url)
                samples.append(1000 * (time.perf_counter() - started))
                assert response.status_code == 200, url
            p95 = percentile(samples, 0.95)
            worst = max(worst, p95)
            print(f"{name:46} {percentile(samples, 0.5):8.1f} {p95:8.1f}")
        print(f"first request after a catalogue change ({CHANGES} edits each; masks and accessibility rebuilt):")
        for name in PLACE_VIEWS:
            samples = after_changes(app, client, URLS[name])
            print(f"{name + ', after a change':40} {percentile(samples, 0.5):8.1f} {percentile(samples, 0.95):8.1f}")
        print(f"slowest p95: {worst:.1f} ms ({'within' if worst < TARGET_MS else 'OVER'} the {TARGET_MS} ms target)")


if __name__ == "__main__":
    main()
