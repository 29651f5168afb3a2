"""Search benchmark: Whoosh with exact facets against SQLite FTS5 and against Datasette.

    .venv/bin/python bench/search.py [--sizes 1000,10000,100000] [--http-sizes 10000]

For each size it generates a synthetic catalogue (bench/synthetic.py; never written to data/),
loads it into a fresh instance folder, builds the search index, and prints:
- build times (database load, Whoosh index, FTS5 index);
- in-process latency p50/p95 of a fixed mix of 200 queries, with and without facet counts;
- the same queries on SQLite FTS5 built by sqlite-utils over the same rows, with facet counts
  by GROUP BY (the floor a raw engine gives), and the ratio of the two p95s;
- for the HTTP sizes, latency of /api/programs under gunicorn (2 workers) against Datasette
  serving the same table with FTS and the same facets, requests interleaved, with the ratio.
Latencies are measured after one warm-up pass of the mix, as a running server would be.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.search import engine, with_places  # noqa: E402
from app.search.index import SearchIndex  # noqa: E402
from app.search.query import parse  # noqa: E402
from app.search.schema import FACETS  # noqa: E402
from app.search.snapshot import SegmentCache, Snapshot  # noqa: E402
from app.db import Database  # noqa: E402
from bench.synthetic import VOCABULARIES, programs, query_mix  # noqa: E402

# Filter parameter -> the database's program_terms vocabulary and the programs column.
TERM_COLUMNS = {
    "sector": "sectors",
    "population": "populations",
    "intervention": "interventions",
    "stream": "streams",
    "language": "languages",
    "mode": "delivery_mode",
}


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return pick(0.50), pick(0.95)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def build(size, folder):
    records = programs(size)
    store = Database(folder / "atlas.sqlite")
    store.migrate()
    _, load_seconds = timed(_load, store, records)
    index = SearchIndex(folder)
    position = store.outbox.latest()
    _, index_seconds = timed(index.rebuild, (with_places(r) for r in records), VOCABULARIES, None, size, position)
    _, fts_seconds = timed(_enable_fts, store)
    store.close()
    return {"load": load_seconds, "index": index_seconds, "fts": fts_seconds}


def _load(store, records):
    with store.write():
        store.catalog.load_many(records)


def _enable_fts(store):
    store.connection.db["programs"].enable_fts(
        ["name", "organization", "description", "eligibility"], tokenize="porter", create_triggers=False
    )


def whoosh_latencies(folder, mix, with_facets):
    index = SearchIndex(folder)
    snapshot = Snapshot(index.open().searcher(), SegmentCache(), index.words)
    table = engine.synonym_table(VOCABULARIES)
    requests = [
        engine.SearchRequest(query=parse(text), filters=filters, with_facets=with_facets)
        for text, filters in mix
    ]
    for request in requests:  # warm-up pass
        engine.run(snapshot, request, table)
    return [timed(engine.run, snapshot, request, table)[1] for request in requests]


def fts_query(text):
    """The parsed query as an FTS5 expression: words and phrases OR'd, exclusions NOT'd."""
    parsed = parse(text)
    quote = lambda words: '"' + " ".join(words).replace('"', "") + '"'  # noqa: E731
    positive = [quote([w]) for w in parsed.words] + [quote(p) for p in parsed.phrases]
    if not positive:
        return None
    expression = " OR ".join(positive)
    for excluded in parsed.excluded:
        expression = f"({expression}) NOT {quote(excluded)}"
    return expression


def fts_search(db, text, filters):
    """Total, a page of ids by rank, and facet counts by GROUP BY: one raw-engine search."""
    clauses, params = [], []
    expression = fts_query(text)
    if expression:
        clauses.append("programs.rowid IN (SELECT rowid FROM programs_fts WHERE programs_fts MATCH ?)")
        params.append(expression)
    for facet, slugs in filters.items():
        vocabulary = TERM_COLUMNS.get(facet)
        if vocabulary is None:
            continue
        marks = ",".join("?" for _ in slugs)
        clauses.append(
            f"programs.id IN (SELECT program_id FROM program_terms WHERE vocabulary = ? AND slug IN ({marks}))"
        )
        params += [vocabulary, *slugs]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    hits = f"SELECT programs.id FROM programs {where}"
    total = db.execute(f"SELECT count(*) FROM ({hits})", params).fetchone()[0]
    if expression:
        page = db.execute(
            "SELECT programs.id FROM programs_fts JOIN programs ON programs.rowid = programs_fts.rowid "
            f"WHERE programs_fts MATCH ? AND programs.id IN ({hits}) ORDER BY programs_fts.rank LIMIT 20",
            [expression, *params],
        ).fetchall()
    else:
        page = db.execute(f"{hits} ORDER BY programs.name LIMIT 20", params).fetchall()
    facets = db.execute(
        f"SELECT vocabulary, slug, count(*) FROM program_terms WHERE program_id IN ({hits}) GROUP BY vocabulary, slug",
        params,
    ).fetchall()
    return total, page, facets


def fts_latencies(folder, mix):
    store = Database(folder / "atlas.sqlite")
    db = store.connection.db
    for text, filters in mix:
        fts_search(db, text, filters)
    samples = [timed(fts_search, db, text, filters)[1] for text, filters in mix]
    store.close()
    return samples


# HTTP: our API under gunicorn against Datasette, requests interleaved.


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not come up")


def start_servers(folder):
    ours, theirs = free_port(), free_port()
    env = dict(os.environ, ATLAS_INSTANCE_PATH=str(folder))
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{ours}", "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    datasette = subprocess.Popen(
        [str(Path(sys.executable).parent / "datasette"), "serve", str(folder / "atlas.sqlite"), "-p", str(theirs),
         "--setting", "sql_time_limit_ms", "20000", "--setting", "facet_time_limit_ms", "20000",
         "--setting", "default_facet_size", "100"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    servers = [gunicorn, datasette]
    try:
        wait_for(f"http://127.0.0.1:{ours}/api/programs?per_page=1")
        wait_for(f"http://127.0.0.1:{theirs}/atlas/programs.json?_size=1")
    except BaseException:
        stop_servers(servers)
        raise
    return ours, theirs, servers


def stop_servers(servers):
    for server in servers:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for server in servers:
        server.wait(timeout=30)


def our_url(port, text, filters):
    params = [("q", text)] + [(facet, slug) for facet, slugs in filters.items() for slug in slugs]
    return f"http://127.0.0.1:{port}/api/programs?" + urllib.parse.urlencode(params)


def datasette_url(port, text, filters):
    params = [("_size", "20"), ("_shape", "objects")]
    if text:
        params.append(("_search", text))
    for facet in TERM_COLUMNS:
        column = TERM_COLUMNS[facet]
        params.append(("_facet", column) if column == "delivery_mode" else ("_facet_array", column))
    for facet, slugs in filters.items():
        column = TERM_COLUMNS.get(facet)
        for slug in slugs if column else ():
            key = f"{column}__exact" if column == "delivery_mode" else f"{column}__arraycontains"
            params.append((key, slug))
    return f"http://127.0.0.1:{port}/atlas/programs.json?" + urllib.parse.urlencode(params)


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - started, status, body


def http_latencies(folder, mix):
    ours, theirs, servers = start_servers(folder)
    try:
        for text, filters in mix[:20]:  # warm-up: both workers load their snapshot
            fetch(our_url(ours, text, filters))
            fetch(datasette_url(theirs, text, filters))
        mine, datasette, errors = [], [], 0
        for n, (text, filters) in enumerate(mix):
            pair = [("mine", our_url(ours, text, filters)), ("datasette", datasette_url(theirs, text, filters))]
            for name, url in pair if n % 2 == 0 else reversed(pair):
                try:
                    elapsed, status, body = fetch(url)
                except OSError:
                    errors += 1
                    continue
                (mine if name == "mine" else datasette).append(elapsed)
                if name == "mine":
                    json.loads(body)
        return mine, datasette, errors
    finally:
        stop_servers(servers)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def report_size(size, http, keep):
    folder = Path(tempfile.mkdtemp(prefix=f"atlas-bench-{size}-"))
    mix = query_mix()
    try:
        builds = build(size, folder)
        print(f"\n== {size:,} programs ==")
        print(f"build: database {builds['load']:.1f} s, Whoosh index {builds['index']:.1f} s, FTS5 index {builds['fts']:.1f} s")
        with_facets = percentiles(whoosh_latencies(folder, mix, True))
        without = percentiles(whoosh_latencies(folder, mix, False))
        fts = percentiles(fts_latencies(folder, mix))
        print(f"in-process, exact facets:   p50 {ms(with_facets[0])}  p95 {ms(with_facets[1])}")
        print(f"in-process, no facets:      p50 {ms(without[0])}  p95 {ms(without[1])}")
        print(f"SQLite FTS5 + GROUP BY:     p50 {ms(fts[0])}  p95 {ms(fts[1])}")
        print(f"ratio Whoosh/FTS5 at p95:   {with_facets[1] / fts[1]:.2f}")
        if http:
            mine, datasette, errors = http_latencies(folder, mix)
            mine_p, theirs_p = percentiles(mine), percentiles(datasette)
            print(f"HTTP /api/programs (gunicorn, 2 workers): p50 {ms(mine_p[0])}  p95 {ms(mine_p[1])}")
            print(f"HTTP Datasette, FTS + facets:             p50 {ms(theirs_p[0])}  p95 {ms(theirs_p[1])}")
            print(f"ratio ours/Datasette at p95: {mine_p[1] / theirs_p[1]:.3f}" + (f"  ({errors} failed requests)" if errors else ""))
    finally:
        if keep:
            print(f"(kept {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--http-sizes", default="10000", help="sizes also measured over HTTP ('' for none)")
    parser.add_argument("--keep", action="store_true", help="keep the generated instance folders")
    args = parser.parse_args()
    http_sizes = {int(s) for s in args.http_sizes.split(",") if s}
    print(f"{len(query_mix())} queries per run; machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for size in (int(s) for s in args.sizes.split(",")):
        report_size(size, size in http_sizes, args.keep)


if __name__ == "__main__":
    main()
