"""The map: the programs of the current search on a map, with coverage by ward and neighbourhood."""

import dataclasses

from flask import Blueprint, current_app, render_template, request

from ... import search
from ...geo import maps
from ..shared import context, listing
from ..shared.context import get_db, vocabularies
from ..shared.params import parse_search

bp = Blueprint("maps", __name__)


@bp.route("/map")
def program_map():
    """The programs of a search on a map, with the same query parameters as /programs."""
    search_request = parse_search(request.args, vocabularies(), current_app.config["ATLAS_PER_PAGE"])
    result = search.search(current_app, dataclasses.replace(search_request, with_points=True))
    boundaries = context.boundaries()
    labels = ward_labels(boundaries)
    counts = site_counts(result.facets)
    config = current_app.config
    rendered = maps.program_map(result.points, counts, boundaries, config["ATLAS_MAP_TILES"],
                                config["ATLAS_MAP_ATTRIBUTION"], labels, near=search_request.near)
    located = len({point[2] for point in result.points})
    return render_template(
        "map/map.html",
        rendered=rendered,
        result=result,
        search_request=search_request,
        programs=get_db().catalog.get_programs(result.ids),
        paging=listing.paging(search_request, result.total),
        coverage=_coverage(counts["ward"], labels),
        boundaries=boundaries,
        located=located,
        unlocated=result.total - located,
    )


def site_counts(facets):
    """Programs with a site in each ward and neighbourhood: what the markers on the map show,
    whereas the ``ward`` facet also counts the programs serving a ward from elsewhere."""
    return {"ward": facets.get("site_ward", {}), "neighbourhood": facets.get("site_neighbourhood", {})}


def ward_labels(boundaries):
    """{code: "Ward 7 Humber River-Black Creek"}: a ward is known by its number and its name."""
    names = {"ward": boundaries.ward_names()} if boundaries else {}
    return {code: listing.place_label("ward", code, names) for code in names.get("ward", {})}


def _coverage(ward_counts, labels):
    """Rows of the ward table that says in text what the choropleth shows."""
    codes = sorted(set(labels) | set(ward_counts))
    return [
        {"code": code, "label": labels.get(code) or listing.place_label("ward", code),
         "programs": ward_counts.get(code, 0), "args": {"site_ward": code}}
        for code in codes
    ]
