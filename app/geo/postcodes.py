"""Place a Toronto postal code on the map, using the GeoNames tables kept in ``geo/``.

A full postal code is located to roughly its block; when the full code is unknown, the centroid
of its Forward Sortation Area (first three characters) is the fallback, and the result says so.
"""

import csv
import gzip
from functools import lru_cache
from pathlib import Path

from ..settings import PROJECT_ROOT

GEO_FOLDER = PROJECT_ROOT / "geo"
FULL_CODES = "toronto-postal-codes.csv.gz"
FSA_CENTROIDS = "toronto-fsa-centroids.csv"


@lru_cache(maxsize=4)
def load_table(folder=GEO_FOLDER):
    """Read both tables once per process: {code: (lat, lon)} for full codes and FSAs."""
    folder = Path(folder)
    table = {}
    with gzip.open(folder / FULL_CODES, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["postal_code"]] = (float(row["latitude"]), float(row["longitude"]))
    with open(folder / FSA_CENTROIDS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["fsa"]] = (float(row["latitude"]), float(row["longitude"]))
    return table


def locate(postal_code, table=None):
    """(latitude, longitude, precision) for a normalised code like 'M5V 3L9', or None."""
    table = load_table() if table is None else table
    if postal_code in table:
        return (*table[postal_code], "postal_code")
    fsa = postal_code[:3]
    if fsa in table:
        return (*table[fsa], "fsa")
    return None


@lru_cache(maxsize=4)
def load_districts(folder=GEO_FOLDER):
    """{FSA: district name}, e.g. 'M1B': 'Scarborough (Malvern / Rouge River)'."""
    with open(Path(folder) / FSA_CENTROIDS, encoding="utf-8", newline="") as handle:
        return {row["fsa"]: row["name"] for row in csv.DictReader(handle)}


def district(postal_code):
    """The named district of a postal code's FSA, or None."""
    return load_districts().get((postal_code or "")[:3])
