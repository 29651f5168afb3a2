"""The JSON API under /api, documented by /api/openapi.json."""

from flask import Blueprint, current_app, jsonify, request

from .. import search
from ..catalog.listing import as_json
from . import listing
from .context import get_db, stale_after_days, today, vocabularies
from .errors import json_error
from .openapi import openapi_document
from .params import parse_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/programs")
def programs():
    """Search programs: ranked results, exact facet counts and a spelling suggestion."""
    search_request = parse_search(
        request.args, vocabularies(), current_app.config["ATLAS_PER_PAGE"], allow_per_page=True
    )
    result = search.search(current_app, search_request)
    found = get_db().catalog.get_programs(result.ids)
    results = []
    for program in found:
        data = as_json(program, vocabularies(), today(), stale_after_days())
        data["snippet"] = listing.snippet_text(program, result.stems)
        if result.distances:
            data["distance_km"] = result.distances.get(program["id"])
        results.append(data)
    return jsonify(
        total=result.total,
        page=search_request.offset // search_request.limit + 1,
        per_page=search_request.limit,
        results=results,
        facets=result.facets,
        suggestion=result.suggestion,
    )


@bp.route("/programs/<program_id>")
def program(program_id):
    """One program as JSON, sites included."""
    found = get_db().catalog.get_program(program_id)
    if found is None:
        return json_error(404, "not_found", f'no program has the id "{program_id[:100]}"', "id")
    return jsonify(as_json(found, vocabularies(), today(), stale_after_days()))


@bp.route("/openapi.json")
def openapi():
    """The API's OpenAPI 3 description."""
    return jsonify(openapi_document(vocabularies()))
