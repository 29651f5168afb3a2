"""Spatial accessibility of programs by two-step floating catchment area (2SFCA).

PySAL's ``access`` does the computation: each site's supply is shared among the residents
within the catchment distance of it, and each area's accessibility is the sum of the shares
of the sites within reach. A program with several sites counts once, split among them, so a
chain of twenty storefronts does not weigh twenty times a single-site program.
"""

import math

import numpy as np
import pandas as pd

METRES_PER_DEGREE = 111_320
PER_RESIDENTS = 10_000


def site_supply(programs):
    """[(latitude, longitude, weight)]: every located site, weighted 1 / the program's sites."""
    supply = []
    for program in programs:
        sites = [s for s in program.get("sites") or [] if s.get("latitude") is not None]
        supply += [(s["latitude"], s["longitude"], 1 / len(sites)) for s in sites]
    return supply


def distances_m(origins, destinations):
    """Metres between points on the local plane (an equirectangular projection is within a
    fraction of a percent across Toronto)."""
    lat0 = math.radians(43.7)
    a = np.asarray(origins, dtype=float).reshape(-1, 2)
    b = np.asarray(destinations, dtype=float).reshape(-1, 2)
    dy = (a[:, None, 0] - b[None, :, 0]) * METRES_PER_DEGREE
    dx = (a[:, None, 1] - b[None, :, 1]) * METRES_PER_DEGREE * math.cos(lat0)
    return np.hypot(dx, dy)


def two_step_fca(demand, supply, catchment_km):
    """{area: programs within reach per 10,000 residents} by 2SFCA.

    ``demand`` is {area: (latitude, longitude, residents)}; ``supply`` [(lat, lon, weight)].
    Areas without residents get None: a rate per resident means nothing there. Scores are not
    rounded: a site shared among many residents gives a small score, and rounding it here
    would tie it with an area that has nothing within reach.
    """
    from access import Access

    areas = [area for area, (_lat, _lon, people) in demand.items() if people]
    result = {area: None for area in demand}
    if not areas:
        return result
    if not supply:
        return {**result, **{area: 0.0 for area in areas}}
    sites = _pooled(supply)
    metres = distances_m([demand[a][:2] for a in areas], [(lat, lon) for lat, lon, _w in sites])
    origin, destination = np.nonzero(metres <= catchment_km * 1000)
    if len(origin) == 0:
        return {**result, **{area: 0.0 for area in areas}}
    costs = pd.DataFrame({"origin": np.asarray(areas)[origin], "dest": destination,
                          "cost": metres[origin, destination]})
    demand_df = pd.DataFrame({"people": [float(demand[a][2]) for a in areas]}, index=pd.Index(areas, name="id"))
    supply_df = pd.DataFrame({"capacity": [w for _lat, _lon, w in sites]},
                             index=pd.Index(range(len(sites)), name="id"))
    model = Access(demand_df=demand_df, demand_value="people", supply_df=supply_df, supply_value="capacity",
                   cost_df=costs, cost_origin="origin", cost_dest="dest", cost_name="cost")
    scores = model.two_stage_fca(name="fca", max_cost=catchment_km * 1000)["fca_capacity"]
    for area in areas:
        value = scores.get(area)
        result[area] = 0.0 if value is None or np.isnan(value) else float(value) * PER_RESIDENTS
    return result


def _pooled(supply):
    """Sites at the same point (a postal code's centre) pooled into one supply point."""
    pooled = {}
    for lat, lon, weight in supply:
        key = (round(lat, 5), round(lon, 5))
        pooled[key] = pooled.get(key, 0.0) + weight
    return [(lat, lon, weight) for (lat, lon), weight in pooled.items()]


def area_scores(programs, points, residents, catchment_km, ward_of=None):
    """2SFCA per neighbourhood (its residents placed at ``points``), or per ward when
    ``ward_of`` ({neighbourhood: ward}) is given: each ward scores its neighbourhoods' mean,
    weighted by their residents, since 2SFCA is computed where people live."""
    demand = {code: (*points[code], residents.get(code) or 0) for code in points}
    scores = two_step_fca(demand, site_supply(programs), catchment_km)
    return scores if ward_of is None else ward_means(scores, residents, ward_of)


def ward_means(scores, residents, ward_of):
    """{ward: residents-weighted mean of its neighbourhoods' scores}; unscored neighbourhoods
    (no residents) and those in no ward are left out."""
    totals = {}
    for code, score in scores.items():
        ward = ward_of.get(code)
        if score is not None and ward:
            weight, weighted = totals.get(ward, (0, 0.0))
            totals[ward] = (weight + residents[code], weighted + score * residents[code])
    return {ward: weighted / weight for ward, (weight, weighted) in totals.items() if weight}
