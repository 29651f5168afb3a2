"""The referral API for partners' own case-management systems: the same flows as the pages.

A token (``Authorization: Bearer``) or a cookie session with its CSRF token; a missing sign-in is
401, another organization's referral 404, an illegal or stale change 409 and changes nothing.
"""

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..accounts.permissions import may_send_referrals, referral_sides
from ..db import VersionConflict
from ..referrals import lifecycle
from ..referrals.deadlines import is_overdue
from ..referrals.lifecycle import RECEIVER, Refused
from . import referral_desk as desk
from . import referral_forms as forms
from .context import get_db, now, today
from .errors import json_error
from .referrals import PER_PAGE, event_shown, failed_rules, send_record

bp = Blueprint("referrals_api", __name__, url_prefix="/api/referrals")


@bp.before_request
def _signed_in():
    if g.get("user") is None:
        return json_error(401, "unauthorized", _("Sign in, or send an API token as 'Authorization: Bearer <token>'."))
    return None


@bp.route("", methods=["POST"])
def send():
    """Send a referral: program_id, client_ref, needs, note, consent {given_on, method,
    share_progress}; 201 with the referral."""
    if not may_send_referrals(g.user):
        return json_error(403, "forbidden", _("Only members and editors of an organization send referrals."))
    body = _body()
    program = get_db().catalog.get_program(str(body.get("program_id") or ""))
    if program is None:
        return json_error(400, "bad_parameter", _("There is no program with this id."), "program_id")
    refusal = forms.referable_problem(program)
    if refusal:
        return json_error(409, "not_referable", refusal, "program_id")
    needs, needs_error = _needs(body.get("needs"))
    if needs_error:
        return json_error(400, "bad_parameter", needs_error, "needs")
    parent = _parent(body.get("parent_id"))
    if parent is False:
        return json_error(400, "bad_parameter", _("parent_id must be a referral your organization received."),
                          "parent_id")
    receivers = get_db().referrals.members(program["organization_id"])
    warnings, needs_reason = forms.warnings_for(program, failed_rules(program, needs), receivers, _)
    record, errors = forms.read_new_referral(_flat(body), needs, program, g.user, today(), needs_reason,
                                             parent["id"] if parent else None)
    if errors:
        field, message = next(iter(errors.items()))
        return json_error(400, "bad_parameter", message, _api_name(field))
    referral_id = desk.change(lambda referrals: send_record(referrals, record))
    referral, sides = desk.visible(str(referral_id))
    response = jsonify(_as_json(referral, sides, warnings=warnings))
    response.status_code = 201
    response.headers["Location"] = url_for(".one", referral_id=referral_id)
    return response


@bp.route("", methods=["GET"])
def box():
    """incoming or outgoing referrals, newest first, paged; counts only for convenors and
    administrators."""
    db = get_db()
    if not may_send_referrals(g.user):
        return jsonify(counts=db.referrals.count_by_status())
    box_name = request.args.get("box", "incoming")
    if box_name not in ("incoming", "outgoing"):
        return json_error(400, "bad_parameter", _("box must be incoming or outgoing."), "box")
    status = request.args.get("status") or None
    if status and status not in lifecycle.STATUSES:
        return json_error(400, "bad_parameter", _("There is no status called “%(status)s”.", status=status[:40]),
                          "status")
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit() and 0 < int(page) < 100000):
        return json_error(400, "bad_parameter", _("page must be a whole number from 1."), "page")
    page = int(page)
    overdue = request.args.get("overdue") in ("1", "true")
    organization = g.user["organization_id"]
    rows, total = db.referrals.box(organization, box_name, status, request.args.get("program") or None,
                                   desk.overdue_cutoff() if overdue else None, (page - 1) * PER_PAGE, PER_PAGE)
    with db.write():
        db.audit.record(desk.actor(), "list", "referral-box", f"{organization}:{box_name}", {})
    sides = {RECEIVER} if box_name == "incoming" else {"sender"}
    return jsonify(total=total, page=page, per_page=PER_PAGE,
                   results=[_summary(row, sides) for row in rows])


@bp.route("/<referral_id>", methods=["GET"])
def one(referral_id):
    referral, sides = desk.visible(referral_id)
    desk.view(referral, sides)
    referral = get_db().referrals.get(referral["id"])
    return jsonify(_as_json(referral, sides, timeline=True))


@bp.route("/<referral_id>/transitions", methods=["POST"])
def transition(referral_id):
    referral, sides = desk.visible(referral_id)
    body = _body()
    version = body.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return json_error(400, "bad_parameter", _("version must be a whole number."), "version")
    return _act(referral, sides, lambda referrals: (referral["id"], *referrals.move(
        referral["id"], str(body.get("status") or ""), sides, desk.actor(), now(), version,
        body.get("reason") or None, body.get("reason_text"))))


@bp.route("/<referral_id>/outcome", methods=["POST"])
def outcome(referral_id):
    referral, sides = desk.visible(referral_id)
    body = _body()
    return _act(referral, sides, lambda referrals: (referral["id"], *referrals.record_outcome(
        referral["id"], sides, desk.actor(), now(), body.get("outcome"), body.get("outcome_text"),
        body.get("version"))))


@bp.route("/<referral_id>/feedback", methods=["POST"])
def feedback(referral_id):
    referral, sides = desk.visible(referral_id)
    body = _flat(_body())
    rating, fit_comment, errors = forms.read_fit(body)
    appropriate, appropriate_comment, more = forms.read_appropriate(body)
    errors.update(more)
    if errors:
        field, message = next(iter(errors.items()))
        return json_error(400, "bad_parameter", message, field)
    return _act(referral, sides, lambda referrals: (referral["id"], *referrals.give_feedback(
        referral["id"], sides, desk.actor(), now(), rating, fit_comment, appropriate, appropriate_comment)))


@bp.route("/<referral_id>/withdraw-consent", methods=["POST"])
def withdraw_consent(referral_id):
    referral, sides = desk.visible(referral_id)
    return _act(referral, sides, lambda referrals: (referral["id"], *referrals.withdraw_consent(
        referral["id"], sides, desk.actor(), now())))


def _act(referral, sides, make):
    try:
        desk.change(make)
    except Refused as refused:
        code = {"forbidden": 403, "conflict": 409}.get(refused.refusal.kind, 400)
        name = {403: "forbidden", 409: "illegal_transition"}.get(code, "bad_parameter")
        return json_error(code, name, desk.refusal_message(refused.refusal, referral, sides), refused.refusal.field)
    except VersionConflict as conflict:
        current = get_db().referrals.get(referral["id"])
        response, status = json_error(409, "version_conflict", _(
            "The referral changed since version %(version)s; it is now at version %(current)s. Read it again "
            "before you change it.", version=conflict.expected, current=current["version"]), "version")
        return response, status
    return jsonify(_as_json(get_db().referrals.get(referral["id"]), sides, timeline=True))


def _summary(row, sides):
    return {
        "id": row["id"], "program_id": row["program_id"], "program_name": row["program_name"],
        "sender_org": row["sender_org"], "receiver_org": row["receiver_org"], "client_ref": row["client_ref"],
        "status": lifecycle.visible_status(row["status"], row["share_progress"], sides),
        "created": row["created"], "received_at": row["received_at"], "version": row["version"],
        "overdue": is_overdue(row, now(), current_app.config["ATLAS_REFERRAL_OVERDUE_DAYS"]),
        "url": url_for("referrals_api.one", referral_id=row["id"]),
    }


def _as_json(referral, sides, timeline=False, warnings=()):
    seen = lifecycle.as_seen_by(referral, sides)
    data = {
        **_summary(seen, sides),
        "needs": seen["needs"], "note": seen["note"], "override_reason": seen["override_reason"],
        "parent_id": seen["parent_id"],
        "consent": {"given_on": seen["consent_given_on"], "method": seen["consent_method"],
                    "share_progress": bool(seen["share_progress"]), "withdrawn_at": seen["consent_withdrawn_at"]},
        **{name: seen[name] for name in ("reason", "reason_text", "outcome", "outcome_text", "fit_rating",
                                         "fit_comment", "appropriate_comment", "updated", "closed_at")},
        "appropriate": None if seen["appropriate"] is None else bool(seen["appropriate"]),
        "sides": sorted(sides),
        "allowed_transitions": [] if seen["consent_withdrawn_at"] and "sender" not in sides
        else lifecycle.moves_for(seen["status"], sides),
    }
    if warnings:
        data["warnings"] = [str(warning) for warning in warnings]
    if timeline:
        data["timeline"] = [
            {"at": event["at"], "action": event["action"], "side": event["side"], "from_status": event["from_status"],
             "to_status": event["to_status"], "reason": event["reason"], "reason_text": event["reason_text"],
             "organization": event["organization"], "user": event["user_name"]}
            for event in get_db().referrals.timeline(referral["id"]) if event_shown(event, referral, sides)
        ]
    return data


def _body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _flat(body):
    """The API body in the form's field names, so both are read by one reader."""
    consent = body.get("consent") if isinstance(body.get("consent"), dict) else {}
    flat = {name: body.get(name) for name in ("client_ref", "note", "override_reason", "fit_rating", "fit_comment",
                                              "appropriate", "appropriate_comment", "comment")}
    flat.update(consent=bool(consent) and consent.get("agreed", True) is not False, consent_given_on=consent.get("given_on"), consent_method=consent.get("method"),
                share_progress=consent.get("share_progress"))
    return {name: (value if isinstance(value, (bool, int)) and not isinstance(value, str) else
                   (str(value) if value is not None else None)) for name, value in flat.items()}


def _needs(value):
    """({param: [values]}, None) or ({}, message) from the body's needs object."""
    if value in (None, {}):
        return {}, None
    if not isinstance(value, dict):
        return {}, _("needs must be an object of the /api/match parameters.")
    pairs = []
    for name, items in value.items():
        for item in items if isinstance(items, list) else [items]:
            pairs.append((str(name), str(item)))
    return forms.needs_from(MultiDict(pairs)), None


def _parent(value):
    """The received referral this one refers onward, None without one, False when not allowed."""
    if value in (None, ""):
        return None
    referral = get_db().referrals.get(int(value)) if str(value).isdigit() else None
    if RECEIVER not in referral_sides(g.user, referral):
        return False
    return referral


def _api_name(field):
    return {"consent_given_on": "consent.given_on", "consent_method": "consent.method",
            "share_progress": "consent.share_progress"}.get(field, field)
