"""Program records as masks: for each facet value, which programs carry it.

Counting a cell of the coverage matrix, a stage of the continuum or a ward's supply is then an
AND of masks and a count, fast at 10,000 programs and identical, by construction, to what the
search index counts (the values come from the same functions the index is fed from).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Catalogue:
    records: tuple  # program dicts, in a fixed order
    ids: tuple
    values: dict  # {facet: {slug: bool mask over records}}
    seats: np.ndarray  # float per record, NaN where the listing gives no number of seats

    @property
    def size(self):
        return len(self.records)

    def mask(self, facet, slug):
        found = self.values.get(facet, {}).get(slug)
        return found if found is not None else np.zeros(self.size, dtype=bool)

    def any_of(self, facet, slugs):
        mask = np.zeros(self.size, dtype=bool)
        for slug in slugs:
            mask |= self.mask(facet, slug)
        return mask

    def scope(self, ids):
        """The mask of the programs whose ids are given (the current search's results)."""
        position = {program_id: n for n, program_id in enumerate(self.ids)}
        mask = np.zeros(self.size, dtype=bool)
        mask[[position[i] for i in ids if i in position]] = True
        return mask

    def everything(self):
        return np.ones(self.size, dtype=bool)

    def chosen(self, mask):
        return [self.records[n] for n in np.flatnonzero(mask)]


def build(records, values_of, facets):
    """A Catalogue from records; ``values_of(record, facet)`` lists a record's slugs in a facet."""
    records = tuple(records)
    values = {}
    for position, record in enumerate(records):
        for facet in facets:
            for slug in values_of(record, facet):
                values.setdefault(facet, {}).setdefault(slug, []).append(position)
    masks = {facet: {slug: _mask(len(records), positions) for slug, positions in by_slug.items()}
             for facet, by_slug in values.items()}
    seats = np.array([_seats(record) for record in records], dtype=float)
    return Catalogue(records, tuple(record["id"] for record in records), masks, seats)


def _mask(size, positions):
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask


def _seats(record):
    try:
        seats = float(record.get("seats"))
    except (TypeError, ValueError):
        return np.nan
    return seats if seats >= 0 else np.nan
