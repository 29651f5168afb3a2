"""The map: the programs of the current search on a map, with coverage by ward and neighbourhood."""

import dataclasses

from flask import Blueprint, current_app, render_template, request

from .. import search
from ..geo import maps, places
from . import listing
from .context import get_db, vocabularies
from .params import parse_search

bp = Blueprint("maps", __name__)


@bp.route("/map")
def program_map():
    """The programs of a search on a map, with the same query parameters as /programs."""
    search_request = parse_search(request.args, vocabularies(), current_app.config["ATLAS_PER_PAGE"])
    result = search.search(current_app, dataclasses.replace(search_request, with_points=True))
    boundaries = places.load(current_app.instance_path)
    config = current_app.config
    rendered = maps.program_map(
        result.points,
        result.facets,
        boundaries,
        config["ATLAS_MAP_TILES"],
        config["ATLAS_MAP_ATTRIBUTION"],
        title="Programs",
    )
    return render_template(
        "map/map.html",
        rendered=rendered,
        result=result,
        search_request=search_request,
        programs=get_db().catalog.get_programs(result.ids),
        paging=listing.paging(search_request, result.total),
        coverage=_coverage(result.facets.get("ward", {}), boundaries),
        boundaries=boundaries,
        located=len({point[2] for point in result.points}),
    )


def _coverage(ward_counts, boundaries):
    """Rows of the ward table that says in text what the choropleth shows."""
    names = boundaries.ward_names() if boundaries else {}
    codes = sorted(set(names) | set(ward_counts))
    return [
        {"code": code, "name": names.get(code, ""), "programs": ward_counts.get(code, 0),
         "args": {"ward": code}}
        for code in codes
    ]

