"""The map: the programs of the current search on a map, with coverage by ward and neighbourhood."""

import dataclasses
import math

from flask import Blueprint, current_app, render_template, request

from .. import search
from ..geo import maps, places
from . import listing
from .context import get_store, vocabularies
from .params import BadParameter, parse_search

bp = Blueprint("maps", __name__)


@bp.route("/map")
def program_map():
    """The programs of a search on a map, with the same query parameters as /programs."""
    per_page = current_app.config["ATLAS_PER_PAGE"]
    try:
        search_request = parse_search(request.args, vocabularies(), per_page)
    except BadParameter as error:
        return render_template("errors/bad_request.html", message=str(error)), 400
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
        programs=get_store().get_programs(result.ids),
        page=search_request.offset // per_page + 1,
        pages=max(1, math.ceil(result.total / per_page)),
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


@bp.app_template_global()
def facet_title(facet):
    return listing.FACET_TITLES[facet]
