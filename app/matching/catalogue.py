"""Program records turned once into columns, so that each match is array arithmetic.

A request compares one client with every program; doing the parsing (slugs to bit masks, dates
to day numbers, sites to one array of points, service areas to wards) per request would cost
more than the comparison. ``prepare`` does it once per catalogue, and the result is reused
until the catalogue changes.
"""

import datetime as dt

import numpy as np

from ..catalog import reach
from ..catalog.listing import needs_rechecking
from ..catalog.vocabulary import stage_of

MISSING_DAY = 0  # no date published
NO_AGE = -1  # no age limit published
DEFAULT_STALE_AFTER_DAYS = 365  # the ATLAS_STALE_AFTER_DAYS default

# Multi-valued columns kept as one bit per vocabulary term.
MASKED = {
    "populations": "populations",
    "requires": "populations",
    "sectors": "sectors",
    "interventions": "interventions",
    "streams": "streams",
    "languages": "languages",
    "income_support": "income_supports",
    "immigration_status": "immigration_statuses",
    "residency": "residency",
}
COLUMN_OF = {"requires": "requires_populations"}
# Single-valued slugs kept as text arrays (empty string when not published).
TEXT = ("listing_type", "status", "capacity_status", "referral_method", "intake", "delivery_mode")
DATES = ("end_date", "next_intake_date", "application_deadline")


class Bits(dict):
    """{slug: bit} in vocabulary order, which can also read a mask back into slugs."""

    def __init__(self, slugs):
        super().__init__((slug, 1 << position) for position, slug in enumerate(slugs))
        self.slugs = list(slugs)

    def slugs_in(self, value):
        """The slugs whose bits are set in ``value``, in vocabulary order."""
        found, value = [], int(value)
        while value:
            lowest = value & -value
            found.append(self.slugs[lowest.bit_length() - 1])
            value ^= lowest
        return found


def bits_of(vocabulary):
    """Each term's bit, in the vocabulary's own order (at most 63 terms fit an int64)."""
    return Bits([term.slug for term in vocabulary.terms])


def mask(slugs, bits):
    value = 0
    for slug in slugs or ():
        value |= bits.get(slug, 0)
    return value


def slugs_in(value, bits):
    return bits.slugs_in(value)


def day_number(iso):
    return dt.date.fromisoformat(iso).toordinal() if iso else MISSING_DAY


class Catalogue:
    """The matching engine's view of a list of programs: the records themselves (returned in
    results untouched) and one numpy column per fact the rules and scores read."""

    def __init__(self, programs, vocabularies, ward_of_neighbourhood=None, stale_after_days=DEFAULT_STALE_AFTER_DAYS):
        self.programs = list(programs)
        self.vocabularies = vocabularies
        self.stale_after_days = stale_after_days
        self.size = len(self.programs)
        self.ids = np.array([p["id"] for p in self.programs], dtype=object)
        self.bits = {name: bits_of(vocabularies[vocab]) for name, vocab in MASKED.items()}
        self.bits["stages"] = bits_of(vocabularies["stages"])
        self.bits["wards"] = Bits(reach.ALL_WARDS)
        self._masks()
        self._text_and_dates()
        self._ages()
        self._place(ward_of_neighbourhood)
        self.name_rank = _name_rank(self.programs)
        self._rechecking = {}

    def _masks(self):
        for name in MASKED:
            column, bits = COLUMN_OF.get(name, name), self.bits[name]
            setattr(self, name, np.array([mask(p.get(column), bits) for p in self.programs], dtype=np.int64))
        self.stage_bit_of = {
            slug: self.bits["stages"].get(stage_of(self.vocabularies, slug), 0) for slug in self.bits["interventions"]
        }
        self.stages = np.array(
            [mask([stage_of(self.vocabularies, s) for s in p.get("interventions") or ()], self.bits["stages"])
             for p in self.programs],
            dtype=np.int64,
        )
        self.any_immigration_status = np.array(
            ["any" in (p.get("immigration_status") or ()) for p in self.programs], dtype=bool
        )

    def _text_and_dates(self):
        for name in TEXT:
            setattr(self, name, np.array([p.get(name) or "" for p in self.programs], dtype=str))
        for name in DATES:
            setattr(self, name, np.array([day_number(p.get(name)) for p in self.programs], dtype=np.int64))
        self.end_year = np.array([(p.get("end_date") or "")[:4] for p in self.programs], dtype=str)

    def _ages(self):
        for name in ("age_min", "age_max"):
            values = [p.get(name) for p in self.programs]
            setattr(self, name, np.array([NO_AGE if v is None else int(v) for v in values], dtype=np.int64))
        self.has_age_range = (self.age_min != NO_AGE) | (self.age_max != NO_AGE)

    def _place(self, ward_of_neighbourhood):
        self.serves_city = np.array([reach.serves_city(p) for p in self.programs], dtype=bool)
        self.online = np.array([reach.is_online(p) for p in self.programs], dtype=bool)
        wards = self.bits["wards"]
        self.wards = np.array(
            [mask(reach.wards_served(p, ward_of_neighbourhood), wards) for p in self.programs], dtype=np.int64
        )
        owners, points = [], []
        for n, program in enumerate(self.programs):
            for site in program.get("sites") or ():
                if site.get("latitude") is not None and site.get("longitude") is not None:
                    owners.append(n)
                    points.append((float(site["latitude"]), float(site["longitude"])))
        self.site_owner = np.array(owners, dtype=np.int64)
        self.site_points = np.array(points, dtype=float).reshape(-1, 2)
        has_site = np.zeros(self.size, dtype=bool)
        has_site[self.site_owner] = True
        self.place_published = has_site | self.online | (self.wards != 0)

    def needs_rechecking(self, today):
        """Per program, whether its listing is shown as "needs re-checking" on ``today``:
        the catalogue's own rule, evaluated once a day rather than once a request."""
        if today not in self._rechecking:
            self._rechecking = {
                today: np.array(
                    [needs_rechecking(p, today, self.stale_after_days) for p in self.programs], dtype=bool
                )
            }
        return self._rechecking[today]

    def labels(self, vocabulary, slugs):
        vocab = self.vocabularies[vocabulary]
        return ", ".join(vocab.label(slug) for slug in slugs)

    def label(self, vocabulary, slug):
        return self.vocabularies[vocabulary].label(slug)


def _name_rank(programs):
    """Each program's place in name order (ties by id): how equal scores are ordered, the same
    way the catalogue lists programs."""
    order = sorted(range(len(programs)), key=lambda n: (programs[n]["name"].casefold(), programs[n]["id"]))
    rank = np.empty(len(programs), dtype=np.int64)
    rank[order] = np.arange(len(programs))
    return rank


def prepare(programs, vocabularies, ward_of_neighbourhood=None, stale_after_days=DEFAULT_STALE_AFTER_DAYS):
    """The columns ``match`` needs, built once: pass the result to every ``match`` call until
    the catalogue changes."""
    return Catalogue(programs, vocabularies, ward_of_neighbourhood, stale_after_days)
