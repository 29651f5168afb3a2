"""Overlaps: many programs for the same population, sector and stage, as candidates for
coordination (or for a convenor to ask whether that many are needed).

Catch-all values (all job seekers, any sector, cross-cutting supports) are left out: programs
open to everyone do not compete for the same people in the way targeted ones do.
"""

import numpy as np

CATCH_ALL = {"population": "all-job-seekers", "sector": "any-sector", "stage": "cross-cutting"}
MANY = 5  # programs in one cell before it is listed


def overlaps(catalogue, scope, populations, sectors, stages, least=MANY):
    """[{"population", "sector", "stage", labels..., "count"}], most crowded first.

    ``populations``, ``sectors`` and ``stages`` are [(slug, label)].
    """
    found = []
    for population, population_label in _targeted(populations, "population"):
        for_people = scope & catalogue.mask("population", population)
        if np.count_nonzero(for_people) < least:
            continue
        for sector, sector_label in _targeted(sectors, "sector"):
            in_sector = for_people & catalogue.mask("sector", sector)
            if np.count_nonzero(in_sector) < least:
                continue
            for stage, stage_label in _targeted(stages, "stage"):
                count = int(np.count_nonzero(in_sector & catalogue.mask("stage", stage)))
                if count >= least:
                    found.append({"population": population, "population_label": population_label,
                                  "sector": sector, "sector_label": sector_label,
                                  "stage": stage, "stage_label": stage_label, "count": count})
    return sorted(found, key=lambda o: (-o["count"], o["population"], o["sector"], o["stage"]))


def _targeted(values, dimension):
    return [(slug, label) for slug, label in values if slug != CATCH_ALL[dimension]]
