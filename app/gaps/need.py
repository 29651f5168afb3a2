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
    """Unrounded: figures are ranked as computed and rounded only where they are shown."""
    return PER_RESIDENTS * count / residents if residents else None


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
    _add_gap(rows)
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
        row["need"] = sum(known) / len(known) if known else None


def supply_of(row):
    """What the gap score ranks supply on: accessibility (2SFCA), or programs serving the area
    per 10,000 residents where accessibility is not known."""
    return row["access"] if row["access"] is not None else row["served_per_10k"]


def _add_gap(rows):
    """Each row's supply rank (0 least, 100 most, among these areas) and gap score (need index
    minus supply rank); None where either is not known."""
    for row, rank in zip(rows, percentile_ranks([supply_of(row) for row in rows])):
        row["supply_rank"] = rank
        row["gap"] = row["need"] - rank if row["need"] is not None and rank is not None else None


def percentile_ranks(values):
    """Each value's rank among the known ones, 0 to 100 (ties share the average); None stays None."""
    known = sorted(v for v in values if v is not None)
    if len(known) < 2:
        return [None if v is None else 50.0 for v in values]
    positions = {}
    for index, value in enumerate(known):
        positions.setdefault(value, []).append(index)
    top = len(known) - 1
    return [None if v is None else 100 * (sum(positions[v]) / len(positions[v])) / top for v in values]


def largest_gaps(rows, limit=LARGEST):
    """Areas where need is high and accessible supply low, worst first.

    The gap score (set by ``place_rows``) is the need index minus the percentile rank of
    accessibility (2SFCA, or programs serving the area per 10,000 residents where accessibility
    is not known): 100 is the neediest area with the least access, -100 the reverse. Ranks and
    scores are compared unrounded, so areas that print alike are still told apart.
    """
    scored = [row for row in rows if row.get("gap") is not None]
    return sorted(scored, key=lambda row: (-row["gap"], row["code"]))[:limit]


FIXED_PLACES = {"need": 1, "supply_rank": 1, "gap": 1}
RATES = ("served_per_10k", "located_per_10k", "access")


def places_for(values, least=2, digits=2, most=8):
    """Decimals to print a set of figures with: ``least``, or more so that the smallest figure
    above zero keeps ``digits`` significant digits (an area with a site in reach never reads 0)."""
    smallest = min((abs(v) for v in values if v), default=None)
    if smallest is None:
        return least
    needed = digits - 1 - int(np.floor(np.log10(smallest)))
    return int(min(most, max(least, needed)))


def display_places(rows):
    """{figure: decimals} for the place rows as shown (page, map and CSV alike)."""
    return {**FIXED_PLACES, **{name: places_for([row.get(name) for row in rows]) for name in RATES}}


def rounded(row, places):
    """A row with its figures rounded as they are shown."""
    return {**row, **{name: round(row[name], n) for name, n in places.items() if row.get(name) is not None}}
