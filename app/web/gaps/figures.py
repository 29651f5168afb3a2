"""Each dashboard view's figures, from the catalogue as masks and the search's scope.

Every figure counts the programs the same filters find on /programs (the scope comes from the
search itself), and each count links to them.
"""

import dataclasses
import hashlib

import numpy as np
from flask import current_app, g, url_for

from ... import search
from ...accounts.permissions import may_see_gaps
from ...gaps import accessibility, catalogue, continuum, coverage, dimensions, health, lmi, need, overlaps
from ...geo import census as census_files
from ...search.schema import FACETS as INDEX_FACETS
from ...search.schema import facet_values
from ..shared import context, listing
from ..shared.context import get_db, stale_after_days, today, vocabularies
from .params import AREAS, choice, parse_catchment, parse_dimensions

CACHE = "atlas.gaps"


def programs_catalogue():
    """Every listing as masks, rebuilt when the catalogue or the boundaries change."""
    db = get_db()
    return current_app.extensions[CACHE].catalogue((db.outbox.latest(), id(context.boundaries())),
                                                   lambda: _build_catalogue(db))


def _build_catalogue(db):
    known = search.place_context(current_app)
    records = [search.with_places(program, known) for program in db.catalog.all_programs()]
    return catalogue.build(records, lambda record, facet: facet_values(record, facet, vocabularies()), INDEX_FACETS)


def scope(built, request_, leave_out=()):
    """The mask of the programs the search finds, ignoring the filters named in ``leave_out``."""
    filters = {facet: slugs for facet, slugs in request_.filters.items() if facet not in leave_out}
    everything = dataclasses.replace(request_, filters=filters, offset=0, limit=max(built.size, 1),
                                     with_facets=False, sort="name")
    return built.scope(search.search(current_app, everything).ids)


def place_names():
    """The boundaries' place names, looked up once a request (a place view names 158 areas)."""
    if "gaps_place_names" not in g:
        g.gaps_place_names = context.place_names()
    return g.gaps_place_names


def ward_label(code):
    return listing.place_label("ward", code, place_names())


def neighbourhood_label(code):
    return listing.place_label("neighbourhood", code, place_names())


def programs_url(request_, **facets):
    """/programs for this search with some facets set to one value each."""
    args = listing.state_args(request_)
    args.pop("sort", None)
    args.update({facet: [slug] for facet, slug in facets.items()})
    return url_for("pages.programs", **args)


def nearest_url(request_, point):
    """/programs for this search sorted by distance from a point inside the area."""
    args = listing.state_args(request_, drop_place=True)
    args.pop("sort", None)
    args.update(near=f"{point[0]:.5f},{point[1]:.5f}", sort="distance")
    return url_for("pages.programs", **args)


def terms(name):
    return [(term.slug, term.label) for term in vocabularies()[name].terms]


def ward_values():
    return dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label)


def _restricted(values, chosen):
    return [(slug, label) for slug, label in values if not chosen or slug in chosen]


def coverage_view(built, request_, args):
    rows_name, cols_name = parse_dimensions(args)
    row_dim, col_dim = dimensions.BY_NAME[rows_name], dimensions.BY_NAME[cols_name]
    chosen = request_.chosen_filters
    rows = _restricted(dimensions.values(row_dim, vocabularies(), ward_label), chosen.get(rows_name))
    cols = _restricted(dimensions.values(col_dim, vocabularies(), ward_label), chosen.get(cols_name))
    in_scope = scope(built, request_, leave_out=(rows_name, cols_name))
    result = coverage.matrix(built, in_scope, rows_name, rows, cols_name, cols, chosen.get(rows_name),
                             chosen.get(cols_name))
    for cell in result["cells"]:
        cell["programs_url"] = programs_url(request_, **{rows_name: cell["row"], cols_name: cell["col"]})
    return {"matrix": result, "row_dim": row_dim, "col_dim": col_dim}


def continuum_view(built, request_, _args):
    chosen = request_.chosen_filters.get("ward")
    wards = _restricted(ward_values(), chosen)
    city = scope(built, request_, leave_out=("stage",))
    per_ward = scope(built, request_, leave_out=("stage", "ward")) if chosen else city
    return {"continuum": continuum.summary(built, city, vocabularies(), wards, ward_scope=per_ward)}


def _census():
    return census_files.load(current_app.instance_path)


def _areas(kind, census):
    if kind == "ward":
        return ward_values()
    codes = sorted(census.neighbourhoods) if census else sorted(context.place_names().get("neighbourhood", {}))
    return [(code, neighbourhood_label(code)) for code in codes]


def _points(kind):
    boundaries = context.boundaries()
    return boundaries.interior_points(kind) if boundaries is not None else {}


def _accessibility(built, in_scope, census, group, catchment_km, kind):
    """2SFCA per neighbourhood, and per ward as its neighbourhoods' residents-weighted mean;
    kept in the process per (catalogue, programs in scope, group, catchment, area kind)."""
    key = (hashlib.blake2b(np.packbits(in_scope).tobytes(), digest_size=16).digest(), group, catchment_km, kind,
           id(census), id(context.boundaries()))
    return current_app.extensions[CACHE].accessibility(
        built, key, lambda: _accessibility_of(built, in_scope, census, group, catchment_km, kind))


def _accessibility_of(built, in_scope, census, group, catchment_km, kind):
    points = _points("neighbourhood")
    if not points or census is None:
        return {}
    residents = {code: getattr(census.neighbourhoods.get(code), group, None) or 0 for code in points}
    ward_of = context.boundaries().neighbourhood_wards() if kind == "ward" else None
    return accessibility.area_scores(built.chosen(in_scope), points, residents, catchment_km, ward_of)


def place_view(built, request_, args, default_area="ward"):
    """Supply and need per area. A filter on the areas' own facet (ward= for wards,
    neighbourhood= for neighbourhoods) chooses which rows are shown instead of narrowing every
    row, as a filter on a dimension does in coverage: each row counts what its link finds.
    Ranks (need index, supply rank, gap) are among all the city's areas."""
    kind = choice(args, "area", AREAS, default_area)
    catchment_km = parse_catchment(args)
    census = _census()
    group = need.group_for(request_.chosen_filters.get("population"))
    in_scope = scope(built, request_, leave_out=(kind,))
    boundaries = context.boundaries()
    designation = {}
    if boundaries is not None and kind == "neighbourhood":
        designation = {c: d for c, d in zip(boundaries.neighbourhoods["code"], boundaries.neighbourhoods["classification"])
                       if isinstance(d, str)}
    figures = (census.wards if kind == "ward" else census.neighbourhoods) if census else {}
    every = need.place_rows(built, in_scope, kind, _areas(kind, census), figures, group, designation,
                            _accessibility(built, in_scope, census, group, catchment_km, kind))
    chosen = request_.chosen_filters.get(kind)
    rows = [row for row in every if not chosen or row["code"] in chosen]
    unlocated = sum(1 for p in built.chosen(in_scope) if not any(s.get("latitude") for s in p.get("sites") or []))
    return {"place": rows, "area": kind, "group": group, "catchment_km": catchment_km, "census": census,
            "boundaries": boundaries, "unlocated": unlocated, "measures": need.need_measures(group),
            "places": need.display_places(every)}


def largest_view(built, request_, args):
    found = place_view(built, request_, args, default_area="neighbourhood")
    points = _points(found["area"])
    gaps = [dict(row) for row in need.largest_gaps(found["place"])]
    for row in gaps:
        point = points.get(row["code"])
        row["nearest"] = point is not None
        row["programs_url"] = (nearest_url(request_, point) if point
                               else programs_url(request_, **{found["area"]: row["code"]}))
    return dict(found, largest=gaps)


def overlaps_view(built, request_, _args):
    """A filter on who it serves, industry or stage chooses the combinations listed (each
    counted with its own values in place of that filter, as its link finds them)."""
    chosen = request_.chosen_filters
    found = overlaps.overlaps(built, scope(built, request_, leave_out=("population", "sector", "stage")),
                              _restricted(terms("populations"), chosen.get("population")),
                              _restricted(terms("sectors"), chosen.get("sector")),
                              _restricted(terms("stages"), chosen.get("stage")))
    for entry in found:
        entry["programs_url"] = programs_url(request_, population=entry["population"], sector=entry["sector"],
                                             stage=entry["stage"])
    return {"overlaps": found, "least": overlaps.MANY}


def health_view(built, request_, _args):
    """Lists naming organizations (which need re-checking, which have no editor) are for
    convenors and administrators only, even when ATLAS_PUBLIC_GAPS makes the figures public."""
    listings = built.chosen(scope(built, request_))
    trusted = may_see_gaps(g.get("user"))
    users = get_db().accounts.users() if trusted else []
    summary = health.summary(listings, users, today(), stale_after_days(), vocabularies()["sectors"].label,
                             per_organization=trusted)
    return {"health": summary, "stale_after_days": stale_after_days()}


def lmi_view(built, request_, args):
    census = _census()
    chosen = request_.chosen_filters.get("ward") or []
    ward = choice(args, "lmi_ward", dimensions.ALL_WARDS, chosen[0] if chosen else dimensions.ALL_WARDS[0])
    figures = census.wards.get(ward) if census else None
    table = lmi.ward_table(built, scope(built, request_, leave_out=("ward", "sector")), ward, figures,
                           vocabularies()["sectors"])
    return {"lmi": table, "lmi_ward": ward, "wards": ward_values(), "census": census,
            "occupations": lmi.occupations(figures)}


VIEW_FUNCTIONS = {"coverage": coverage_view, "continuum": continuum_view, "place": place_view,
                  "largest": largest_view, "overlaps": overlaps_view, "health": health_view, "lmi": lmi_view}
