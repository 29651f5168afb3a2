"""The continuum a person travels, from life stabilization to career advancement: where it breaks.

For the programs in scope (the current filters, typically one population), how many serve each
stage, city-wide and in each ward they serve. A stage nobody offers is a break: someone who
gets through the stage before it has nowhere to go next.
"""

import numpy as np

CROSS_CUTTING = "cross-cutting"


def path_stages(vocabularies):
    """[(slug, label)] of the stages in the order a person travels them (cross-cutting apart)."""
    return [(t.slug, t.label) for t in vocabularies["stages"].terms if t.slug != CROSS_CUTTING]


def counts(catalogue, scope, stages):
    """[{"stage", "label", "count"}] for the programs in ``scope``."""
    return [{"stage": slug, "label": label, "count": int(np.count_nonzero(scope & catalogue.mask("stage", slug)))}
            for slug, label in stages]


def breaks(stage_counts):
    """[{"stage", "label", "after"}]: each stage no program offers, and the last stage before it
    that some program offers (None when the path cannot even start)."""
    found, last_offered = [], None
    for entry in stage_counts:
        if entry["count"] == 0:
            found.append({"stage": entry["stage"], "label": entry["label"], "after": last_offered})
        else:
            last_offered = entry["label"]
    return found


def by_ward(catalogue, scope, stages, wards):
    """[{"ward", "label", "stages": counts, "breaks"}] for each ward, by the wards programs serve."""
    rows = []
    for code, label in wards:
        in_ward = scope & catalogue.mask("ward", code)
        stage_counts = counts(catalogue, in_ward, stages)
        rows.append({"ward": code, "label": label, "stages": stage_counts, "breaks": breaks(stage_counts)})
    return rows


def summary(catalogue, scope, vocabularies, wards, ward_scope=None):
    """The whole view: city-wide counts and breaks, the cross-cutting count, and each ward.

    ``ward_scope`` (default ``scope``) is what the per-ward table counts in: with a filter on
    wards, the table's rows are the chosen wards and each counts the programs serving it, not
    those serving it and the chosen ward too.
    """
    stages = path_stages(vocabularies)
    city = counts(catalogue, scope, stages)
    return {
        "city": city,
        "breaks": breaks(city),
        "cross_cutting": int(np.count_nonzero(scope & catalogue.mask("stage", CROSS_CUTTING))),
        "wards": by_ward(catalogue, scope if ward_scope is None else ward_scope, stages, wards),
        "stages": [{"slug": slug, "label": label} for slug, label in stages],
    }
