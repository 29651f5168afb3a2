"""The JSON API under /api."""

from flask import Blueprint, jsonify

from ..catalog.listing import as_json
from .context import get_store, stale_after_days, today, vocabularies
from .errors import json_error

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/programs/<program_id>")
def program(program_id):
    """One program as JSON, sites included."""
    found = get_store().get_program(program_id)
    if found is None:
        return json_error(404, "not_found", f'no program has the id "{program_id[:100]}"', "id")
    return jsonify(as_json(found, vocabularies(), today(), stale_after_days()))
