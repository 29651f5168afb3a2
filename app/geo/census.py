"""The 2021 Census indicators the gaps dashboard sets beside supply, read from the City's profiles.

``fetch-geodata`` copies two profile files into the instance's geo folder: the 25 ward profiles
(columns Toronto, Ward1..Ward25) and the 158 neighbourhood profiles (one column per
neighbourhood, named by a name that is spelled differently from the boundary file's for seven of
them, so the join is on the "Neighbourhood Number" row). Both are cp1252, nest their rows by
indenting the label with spaces, may write numbers with thousands separators and repeat labels
in different sections ("No certificate, diploma or degree" is given for ages 15+ and again for
25 to 64), so a figure is always found inside its section, never by its label alone.
"""

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .codes import NEIGHBOURHOODS, WARDS
from .geodata import geo_folder

WARD_FILE = "ward-profiles-2021.csv"
NEIGHBOURHOOD_FILE = "neighbourhood-profiles-2021-158.csv"
ENCODING = "cp1252"
WARD_COLUMN_RE = re.compile(r"Ward\s*0*([0-9]{1,2})")
CODED_LABEL_RE = re.compile(r"([0-9]{1,2}(?:-[0-9]{1,2})?)\s+(.+)")
DESIGNATIONS = {"Neighbourhood Improvement Area": "NIA", "Emerging Neighbourhood": "EN"}
YOUTH_BANDS = ("15 to 19 years", "20 to 24 years", "25 to 29 years")
WORKING_AGE_BANDS = YOUTH_BANDS + tuple(f"{low} to {low + 4} years" for low in range(30, 65, 5))
MATURE_BANDS = tuple(f"{low} to {low + 4} years" for low in range(45, 65, 5))


class CensusError(ValueError):
    """A profile file lacks a row or a column the atlas reads; the message names it."""


@dataclass(frozen=True)
class Row:
    label: str  # without its indentation
    depth: int  # leading spaces: only compared, never assumed to step by two
    cells: tuple  # one text per area, in the profile's area order


@dataclass(frozen=True)
class Profile:
    areas: tuple  # ward ("01".."25") or neighbourhood ("001".."174") codes, in column order
    rows: tuple

    def first(self, label, start=0, end=None, prefix=False):
        """Index of the first row from ``start`` whose label is (or begins with) ``label``."""
        for index in range(start, len(self.rows) if end is None else end):
            text = self.rows[index].label
            if text == label or (prefix and text.startswith(label)):
                return index
        raise CensusError(f'no row "{label}" in the profile')

    def section(self, header):
        """(header index, end index): a top-level row and the rows nested under it."""
        start = self.first(header, prefix=True)
        return start, self._end_of(start)

    def _end_of(self, index):
        depth = self.rows[index].depth
        end = index + 1
        while end < len(self.rows) and self.rows[end].depth > depth:
            end += 1
        return end

    def children(self, index):
        """The rows nested directly or deeper under a row, as indices."""
        return range(index + 1, self._end_of(index))

    def value(self, index, area):
        return number(self.rows[index].cells[self.areas.index(area)])


def number(text):
    """A profile cell as a float: thousands separators dropped; None for blank or suppressed."""
    cleaned = (text or "").strip().replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_rows(path):
    """(header cells, [Row]) of a profile file."""
    with open(path, newline="", encoding=ENCODING) as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = []
        for cells in reader:
            if not cells or not cells[0].strip():
                continue
            label = cells[0]
            rows.append(Row(label.strip(), len(label) - len(label.lstrip(" ")), tuple(cells[1:])))
    return header, rows


def ward_profile(path):
    """The ward profiles, keyed by ward code; the City-wide column is left out."""
    header, rows = read_rows(path)
    columns = [WARD_COLUMN_RE.fullmatch(cell.strip()) for cell in header[1:]]
    wards = [int(found.group(1)) for found in columns if found]
    if sorted(wards) != list(range(1, WARDS.highest + 1)):
        raise CensusError(f"{Path(path).name}: expected the columns Ward1 to Ward{WARDS.highest}")
    keep = [position for position, found in enumerate(columns) if found]
    return Profile(
        areas=tuple(WARDS.code(int(columns[p].group(1))) for p in keep),
        rows=tuple(Row(r.label, r.depth, tuple(r.cells[p] if p < len(r.cells) else "" for p in keep)) for r in rows),
    )


def neighbourhood_profile(path):
    """The neighbourhood profiles, keyed by neighbourhood number (the names do not join)."""
    _header, rows = read_rows(path)
    numbers = next((row for row in rows if row.label == "Neighbourhood Number"), None)
    if numbers is None:
        raise CensusError(f'{Path(path).name}: no "Neighbourhood Number" row to join on')
    return Profile(areas=tuple(NEIGHBOURHOODS.code(int(number(cell))) for cell in numbers.cells), rows=tuple(rows))


@dataclass(frozen=True)
class Indicators:
    """One area's figures. Rates and shares are percentages; counts are people."""

    population: float | None
    youth: float | None  # aged 15 to 29
    working_age: float | None  # aged 15 to 64
    mature: float | None  # aged 45 to 64
    recent_immigrants: float | None  # arrived 2016 to 2021
    unemployment_rate: float | None
    low_income_rate: float | None  # LIM-AT prevalence
    recent_immigrant_share: float | None
    no_certificate_share: float | None  # of people aged 15 and over
    designation: str | None = None  # "NIA" or "EN" for neighbourhoods the City designates
    employed: float | None = None  # employed residents in all industry categories together
    industries: dict = field(default_factory=dict)  # {NAICS code: (label, employed residents)}
    occupations: dict = field(default_factory=dict)  # {NOC broad category: (label, employed residents)}


def indicators(profile):
    """{area code: Indicators} for every area of a profile."""
    locate = _locations(profile)
    return {area: _indicators_of(profile, locate, area) for area in profile.areas}


def _locations(profile):
    """The row indices the indicators read, found once per profile."""
    ages_start, ages_end = profile.section("Total - Age")
    bands = {profile.rows[i].label: i for i in range(ages_start + 1, ages_end)}
    missing = [band for band in WORKING_AGE_BANDS if band not in bands]
    if missing:
        raise CensusError(f'no age row "{missing[0]}" in the profile')
    immigration = profile.section("Total - Immigrant status and period of immigration")
    schooling = profile.section("Total - Highest certificate, diploma or degree for the population aged 15 years and over")
    return {
        "population": ages_start,
        "bands": bands,
        "immigration": immigration[0],
        "recent": profile.first("2016 to 2021", *immigration),
        "unemployment": profile.first("Unemployment rate"),
        "low_income": profile.first("Prevalence of low income based on the Low-income measure, after tax (LIM-AT)",
                                    prefix=True),
        "schooling": schooling[0],
        "no_certificate": profile.first("No certificate, diploma or degree", *schooling),
        "industries": _first_of(profile, ("All industries", "All industry categories")),
        "occupations": _first_of(profile, ("All occupations",)),
        "designation": next((i for i, row in enumerate(profile.rows) if row.label.startswith("TSNS")), None),
    }


def _first_of(profile, labels):
    for label in labels:
        try:
            return profile.first(label)
        except CensusError:
            continue
    raise CensusError(f'no row "{labels[0]}" in the profile')


def _indicators_of(profile, at, area):
    value = lambda index: profile.value(index, area)  # noqa: E731
    recent, immigration_total = value(at["recent"]), value(at["immigration"])
    no_certificate, schooled = value(at["no_certificate"]), value(at["schooling"])
    return Indicators(
        population=value(at["population"]),
        youth=_sum(value(at["bands"][band]) for band in YOUTH_BANDS),
        working_age=_sum(value(at["bands"][band]) for band in WORKING_AGE_BANDS),
        mature=_sum(value(at["bands"][band]) for band in MATURE_BANDS),
        recent_immigrants=recent,
        unemployment_rate=value(at["unemployment"]),
        low_income_rate=value(at["low_income"]),
        recent_immigrant_share=_share(recent, immigration_total),
        no_certificate_share=_share(no_certificate, schooled),
        designation=_designation(profile, at["designation"], area),
        employed=value(at["industries"]),
        industries=_coded(profile, at["industries"], area),
        occupations=_coded(profile, at["occupations"], area),
    )


def _sum(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _share(part, whole):
    return None if part is None or not whole else round(100 * part / whole, 1)


def _designation(profile, index, area):
    if index is None:
        return None
    return DESIGNATIONS.get(profile.rows[index].cells[profile.areas.index(area)].strip())


def _coded(profile, index, area):
    """{"23": ("Construction", 1145.0), ...}: the coded categories listed under a total."""
    found = {}
    for child in profile.children(index):
        match = CODED_LABEL_RE.fullmatch(profile.rows[child].label)
        if match:
            found[match.group(1)] = (match.group(2), profile.value(child, area) or 0.0)
    return found


@dataclass(frozen=True)
class Census:
    wards: dict  # {ward code: Indicators}
    neighbourhoods: dict  # {neighbourhood code: Indicators}


def load(instance_path):
    """Both profiles' indicators from the instance's geo folder, or None when either is missing
    (read once per file version)."""
    folder = geo_folder(instance_path)
    paths = (folder / WARD_FILE, folder / NEIGHBOURHOOD_FILE)
    if not all(path.is_file() for path in paths):
        return None
    return _load(*(str(p) for p in paths), *(os.stat(p).st_mtime_ns for p in paths))


@lru_cache(maxsize=2)
def _load(ward_path, neighbourhood_path, *_mtimes):
    return Census(
        wards=indicators(ward_profile(ward_path)),
        neighbourhoods=indicators(neighbourhood_profile(neighbourhood_path)),
    )
