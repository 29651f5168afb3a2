"""Fill in coordinates for sites in data/programs.csv and data/sites.csv from their postal codes.

Run with `.venv/bin/python geo/locate_sites.py` after adding or changing a site. Coordinates
already in the file are kept; new ones record their precision (`postal_code` or `fsa`).
"""

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.catalog.validation import Invalid, normalise_postal_code  # noqa: E402
from app.geo.postcodes import locate  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"


def fill(row):
    """Return True when the row gained coordinates."""
    if row.get("latitude") or not row.get("postal_code"):
        return False
    try:
        code = normalise_postal_code(row["postal_code"])
    except Invalid:
        return False
    found = locate(code)
    if found is None:
        return False
    row["postal_code"] = code
    row["latitude"], row["longitude"], row["location_precision"] = (
        f"{found[0]:.4f}",
        f"{found[1]:.4f}",
        found[2],
    )
    return True


def rewrite(path, extra_columns=("latitude", "longitude", "location_precision")):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames)
        rows = list(reader)
    for column in extra_columns:
        if column not in columns:
            columns.insert(columns.index("postal_code") + 1 + extra_columns.index(column), column)
    filled = sum(fill(row) for row in rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return filled, len(rows)


def main():
    for name in ("programs.csv", "sites.csv"):
        filled, total = rewrite(DATA / name)
        print(f"{name}: located {filled} of {total} rows")


if __name__ == "__main__":
    main()
