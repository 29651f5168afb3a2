"""The coverage matrix: programs for every pair of values of two dimensions, zeros included.

The scope is the programs the current filters select, leaving out any filter on the two
dimensions themselves: a filter on the row dimension instead chooses which rows are shown (and
likewise for columns), so each cell counts exactly what /programs finds for the same filters
with the row's and the column's values in place of those two filters.
"""

import numpy as np

THIN = 2  # a cell with 1 or 2 programs: one closure away from a gap
SHADES = 4  # colour steps above zero; the number is always printed too


def level(count):
    """"gap" (no program), "thin" (1 or 2) or "covered": what a cell says besides its number."""
    if count == 0:
        return "gap"
    return "thin" if count <= THIN else "covered"


def shade(count, highest):
    """0 for a gap, then 1..SHADES by the share of the largest count: the colour scale."""
    if count == 0 or highest == 0:
        return 0
    return max(1, -(-SHADES * count // highest))


def shade_ranges(highest):
    """[(shade, lowest count, highest count)] of each shade in use for a largest count of
    ``highest``: the colour key, exactly as ``shade`` assigns the cells."""
    ranges = []
    for step in range(1, SHADES + 1):
        low, high = (step - 1) * highest // SHADES + 1, step * highest // SHADES
        if low <= high:
            ranges.append((step, low, high))
    return ranges


def matrix(catalogue, scope, row_dim, rows, col_dim, cols, row_filter=None, col_filter=None):
    """{"rows", "cols", "cells", "row_totals", "col_totals", "total", "gaps", "thin"}.

    ``rows`` and ``cols`` are [(slug, label)]; ``row_filter`` / ``col_filter`` the slugs the
    current filters chose in those dimensions (None: no filter), which a total honours.
    """
    row_masks = {slug: scope & catalogue.mask(row_dim, slug) for slug, _label in rows}
    col_masks = {slug: catalogue.mask(col_dim, slug) for slug, _label in cols}
    in_rows = catalogue.any_of(row_dim, row_filter) if row_filter else np.ones(catalogue.size, dtype=bool)
    in_cols = catalogue.any_of(col_dim, col_filter) if col_filter else np.ones(catalogue.size, dtype=bool)
    cells = [_cell(catalogue, row, col, row_masks[row] & col_masks[col]) for row, _r in rows for col, _c in cols]
    highest = max((cell["count"] for cell in cells), default=0)
    for cell in cells:
        cell["shade"] = shade(cell["count"], highest)
    return {
        "highest": highest,
        "rows": [{"slug": slug, "label": label} for slug, label in rows],
        "cols": [{"slug": slug, "label": label} for slug, label in cols],
        "cells": cells,
        "row_totals": {slug: int(np.count_nonzero(mask & in_cols)) for slug, mask in row_masks.items()},
        "col_totals": {slug: int(np.count_nonzero(scope & mask & in_rows)) for slug, mask in col_masks.items()},
        "total": int(np.count_nonzero(scope & in_rows & in_cols)),
        "gaps": sum(1 for cell in cells if cell["level"] == "gap"),
        "thin": sum(1 for cell in cells if cell["level"] == "thin"),
    }


def _cell(catalogue, row, col, mask):
    count = int(np.count_nonzero(mask))
    seats = catalogue.seats[mask]
    known = seats[~np.isnan(seats)]
    return {
        "row": row, "col": col, "count": count, "level": level(count),
        "seats": int(known.sum()) if len(known) else None,
        "seats_known": int(len(known)),
    }


def grid(result):
    """The cells as rows of the table: [(row, [cell per column])], for templates and CSV."""
    width = len(result["cols"])
    return [(row, result["cells"][n * width:(n + 1) * width]) for n, row in enumerate(result["rows"])]


def stage_shade(count):
    """The colour step of a count on the continuum: fewer than 3 programs shade by their number,
    more by tens, so a stage with 40 programs stands out from one with 4."""
    return min(count, SHADES) if count < 3 else min(SHADES, 2 + count // 10)
