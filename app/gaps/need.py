"""Place and need: supply per ward and neighbourhood beside the Census figures of need, and the
places where need is high and accessible supply low.

Supply is counted raw and per 10,000 residents of the group the programs are for (young
people for youth programs, recent immigrants for newcomer programs, people aged 45 to 64 for
mature workers, otherwise everyone of working age), since a count alone favours big wards.
"""

import numpy as np

# population slug -> the Census group whose residents a rate is per, and the share that marks need
GROUPS = {
    "youth": "youth",
    "newcomers": "recent_immigrants",
    "refugees": "recent_immigrants",
    "internationally-trained": "recent_immigrants",
    "mature-workers": "mature",
}
WORKING_AGE = "working_age"
NEED_INDICATORS = ("unemployment_rate", "low_income_rate", "no_certificate_share")
PER_RESIDENTS = 10_000
LARGEST = 10


def group_for(populations):
    """The Census group rates are per: that of the one population chosen, else working age."""
    groups = {GROUPS.get(slug, WORKING_AGE) for slug in populations or ()}
    return groups.pop() if len(groups) == 1 else WORKING_AGE


def per_residents(count, residents):
    return round(PER_RESIDENTS * count / residents, 2) if residents else None


def place_rows(catalogue, scope, kind, areas, census, group, designation=None, accessibility=None):
    """One row per area: supply (serving it, with a site in it, seats) raw and per 10,000
    residents of ``group``, beside its indicators.

    ``kind`` is "ward" or "neighbourhood"; ``areas`` [(code, label)]; ``census`` {code:
    Indicators}; ``designation`` {code: "NIA"/"EN"}; ``accessibility`` {code: 2SFCA score}.
    """
    rows = []
    for code, label in areas:
        figures = census.get(code)
        served = scope & catalogue.mask(kind, code)
        located = scope & catalogue.mask(f"site_{kind}", code)
        residents = getattr(figures, group, None) if figures else None
        seats = catalogue.seats[served]
        rows.append({
            "code": code, "label": label,
            "served": int(np.count_nonzero(served)), "located": int(np.count_nonzero(located)),
            "seats": int(np.nansum(seats)) if np.any(~np.isnan(seats)) else None,
            "residents": residents,
            "served_per_10k": per_residents(int(np.count_nonzero(served)), residents),
            "located_per_10k": per_residents(int(np.count_nonzero(located)), residents),
            "designation": (designation or {}).get(code) or (figures.designation if figures else None),
            "access": (accessibility or {}).get(code),
            **{name: getattr(figures, name, None) for name in
               ("population", "youth", "unemployment_rate", "low_income_rate", "recent_immigrant_share",
                "no_certificate_share")},
        })
    _add_need(rows, group)
    return rows


def need_measures(group):
    """The indicators the need index averages: the three of every group, plus the group's own
    share for youth (young residents) and newcomers (recent immigrants)."""
    extra = {"youth": ("youth_share",), "recent_immigrants": ("recent_immigrant_share",)}
    return NEED_INDICATORS + extra.get(group, ())


def _add_need(rows, group):
    """Each row's need index: the average of its percentile ranks (0 lowest, 100 highest) among
    the areas on each need indicator; None when an area has none of them."""
    for row in rows:
        row["youth_share"] = round(100 * row["youth"] / row["population"], 1) \
            if row.get("youth") and row.get("population") else None
    measures = need_measures(group)
    ranks = {name: percentile_ranks([row[name] for row in rows]) for name in measures}
    for n, row in enumerate(rows):
        known = [ranks[name][n] for name in measures if ranks[name][n] is not None]
        row["need"] = round(sum(known) / len(known), 1) if known else None


def percentile_ranks(values):
    """Each value's rank among the known ones, 0 to 100 (ties share the average); None stays None."""
    known = sorted(v for v in values if v is not None)
    if len(known) < 2:
        return [None if v is None else 50.0 for v in values]
    positions = {}
    for index, value in enumerate(known):
        positions.setdefault(value, []).append(index)
    top = len(known) - 1
    return [None if v is None else round(100 * (sum(positions[v]) / len(positions[v])) / top, 1) for v in values]


def largest_gaps(rows, limit=LARGEST):
    """Areas where need is high and accessible supply low, worst first.

    The gap score is the need index minus the percentile rank of accessibility (2SFCA, or
    programs serving the area per 10,000 residents where accessibility is not known): 100 is
    the neediest area with the least access, -100 the reverse.
    """
    supply = [row["access"] if row["access"] is not None else row["served_per_10k"] for row in rows]
    supply_ranks = percentile_ranks(supply)
    scored = []
    for row, supply_rank in zip(rows, supply_ranks):
        if row["need"] is None or supply_rank is None:
            continue
        scored.append(dict(row, supply_rank=supply_rank, gap=round(row["need"] - supply_rank, 1)))
    return sorted(scored, key=lambda row: (-row["gap"], row["code"]))[:limit]
