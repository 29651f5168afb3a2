"""The JSON API under /api, documented by /api/openapi.json."""

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_babel import gettext as _

from ... import matching, search
from ...accounts.permissions import editable_fields, may_edit_program
from ...catalog import editing
from ...catalog.changes import FURTHER_SITES
from ...catalog.fields import FIELD_NAMES
from ...catalog.listing import as_json
from ...catalog.saving import save_listing
from ...db import VersionConflict
from ...db.audit import user_actor
from ...geo.postcodes import locate
from ...referrals.referable import referable
from ..shared import context, listing
from ..shared.context import get_db, matching_catalogue, stale_after_days, today, vocabularies, ward_at
from ..shared.errors import json_error
from ..shared.params import LARGEST_INTEGER, BadParameter, parse_search
from ..shared.profile_params import parse_limit, parse_profile
from .openapi import openapi_document

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
        if search_request.near:
            data["distance_km"] = result.distances.get(program["id"])
            data["place"] = result.places.get(program["id"])
        results.append(data)
    return jsonify(
        total=result.total,
        page=search_request.offset // search_request.limit + 1,
        per_page=search_request.limit,
        results=results,
        facets=result.facets,
        suggestion=result.suggestion,
        **({"left_out_by_near": result.left_out} if search_request.near else {}),
    )


@bp.route("/match")
def match():
    """Programs a described client can join, ranked with reasons; those excluded, with the rule;
    and what was not known. Nothing about the client is stored or logged."""
    profile, errors = parse_profile(request.args, vocabularies(), ward_at)
    if errors:
        parameter, message = next(iter(errors.items()))
        raise BadParameter(parameter, message)
    result, eligible = matching.match_with_total(matching_catalogue(), profile, vocabularies(), today(),
                                                 parse_limit(request.args))
    shape = lambda record: as_json(record, vocabularies(), today(), stale_after_days())  # noqa: E731
    return jsonify(total=eligible, **matching.as_dict(result, _, shape))


@bp.route("/programs/<program_id>")
def program(program_id):
    """One program as JSON, sites included."""
    found = get_db().catalog.get_program(program_id)
    if found is None:
        return json_error(404, "not_found", f'no program has the id "{program_id[:100]}"', "id")
    return jsonify(as_json(found, vocabularies(), today(), stale_after_days()))


@bp.route("/programs/<program_id>", methods=["PATCH"])
def edit_program(program_id):
    """Change some fields of a listing: ``{"version": n, "changes": {field: text}}``.

    The importer's rules apply, as on the edit page. A version other than the listing's own is
    refused with 409 and the saves made since, so a client never overwrites what it has not seen.
    Needs a session and its CSRF token (``X-CSRF-Token``).
    """
    current = get_db().catalog.get_program(program_id)
    if g.user is None:
        return json_error(401, "unauthorized", _("Sign in to change listings."))
    if current is None:
        return json_error(404, "not_found", f'no program has the id "{program_id[:100]}"', "id")
    if not may_edit_program(g.user, current):
        return json_error(403, "forbidden", _("Your account does not allow this."))
    base_version, submitted = _patch_body(editable_fields(g.user, FIELD_NAMES))
    if base_version != current["version"]:
        return _conflict(current, base_version)
    boundaries = context.boundaries()
    record, changes, problems = editing.edit_program(
        current, submitted, editable=list(submitted), vocabularies=vocabularies(), locate=locate,
        today=today(), place=boundaries.place if boundaries else None,
        misplaced=boundaries.misplaced if boundaries else None,
    )
    if problems:
        body = {"error": {"code": "invalid", "message": str(problems[0]), "field": problems[0].field},
                "problems": [{"field": p.field, "message": p.reason} for p in problems]}
        return jsonify(body), 400
    try:
        saved = save_listing(current_app, get_db(), user_actor(g.user), record, changes, base_version, "edit")
    except VersionConflict:
        return _conflict(get_db().catalog.get_program(program_id), base_version)
    return jsonify(as_json(saved or current, vocabularies(), today(), stale_after_days()))


def _patch_body(editable):
    """(version, {field: text}) from the request; refuses with a 400 naming what is wrong."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        _refuse(_("Send a JSON object with version and changes."), None)
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= LARGEST_INTEGER:
        _refuse(_("version must be the listing's version, a whole number."), "version")
    changes = body.get("changes")
    if not isinstance(changes, dict) or not changes:
        _refuse(_("changes must be an object of field names and new values."), "changes")
    allowed = set(editable) | {FURTHER_SITES}
    for name, value in changes.items():
        if name not in allowed:
            _refuse(_("%(field)s cannot be changed by your account.", field=name[:40]), name[:40])
        if not isinstance(value, str):
            _refuse(_("%(field)s must be text, as in the CSV import file.", field=name), name)
    return version, changes


def _refuse(message, field):
    response, status = json_error(400, "bad_parameter", message, field)
    response.status_code = status
    abort(response)


def _conflict(current, base_version):
    body = {
        "error": {"code": "conflict", "field": "version",
                  "message": _("Someone else saved this listing since version %(version)s; nothing was changed.",
                               version=base_version)},
        "current_version": current["version"],
        "changed_meanwhile": [
            {"at": e["at"], "who": e["user_name"] or e["who"], "version": e["version"], "changes": e["changes"]}
            for e in get_db().audit.history("program", current["id"], after_version=base_version)
        ],
    }
    return jsonify(body), 409


@bp.route("/openapi.json")
def openapi():
    """The API's OpenAPI 3 description."""
    ids = sorted(program["id"] for program in referable(get_db().catalog.all_programs(), today()))
    return jsonify(openapi_document(vocabularies(), ids, today().isoformat()))
