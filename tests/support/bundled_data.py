"""The bundled catalogue's CSV files in data/, as rows of strings."""

import csv

from app.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"


def read(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PROGRAMS = read("programs.csv")
SITES = read("sites.csv")
ORGANIZATIONS = read("organizations.csv")
