"""The referral API for partners' own case-management systems: the same flows as the pages.

A token (``Authorization: Bearer``) or a cookie session with its CSRF token; a missing sign-in is
401, another organization's referral 404, an illegal or stale change 409 and changes nothing.
"""

from flask import Blueprint, g, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ...accounts.permissions import may_send_referrals, referral_sides
from ...db import VersionConflict
from ...referrals import commands, lifecycle
from ...referrals.deadlines import is_overdue
from ...referrals.lifecycle import RECEIVER, Refused
from ...referrals.referable import referable_problem
from ..shared.context import get_db, today, vocabularies, ward_at
from ..shared.errors import json_error
from ..shared.params import LARGEST_INTEGER, BadParameter
from . import desk, forms

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
    program = get_db().catalog.get_program(_text(body, "program_id") or "")
    if program is None:
        return json_error(400, "bad_parameter", _("There is no program with this id."), "program_id")
    refusal = referable_problem(program, today())
    if refusal:
        return json_error(409, "not_referable", refusal, "program_id")
    needs = _needs(body.get("needs"))
    parent = _parent(body)
    receivers = get_db().referrals.members(program["organization_id"])
    warnings, needs_reason = forms.warnings_for(program, desk.failed_rules(program, needs), receivers, _)
    record, errors = forms.read_new_referral(_sending_fields(body), needs, program, g.user, today(), needs_reason,
                                             parent["id"] if parent else None)
    if errors:
        field, message = next(iter(errors.items()))
        return json_error(400, "bad_parameter", message, _api_name(field))
    referral_id = desk.send(record)
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
    box = desk.read_box(request.args)
    return jsonify(total=box.total, page=box.page, per_page=desk.PER_PAGE,
                   results=[_summary(row, box.cutoff) for row in box.rows])


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
    status, reason, reason_text = (_text(body, name) for name in ("status", "reason", "reason_text"))
    return _act(referral, sides, commands.move, version=_integer(body, "version"), status=status or "",
                reason=reason or None, reason_text=reason_text)


@bp.route("/<referral_id>/outcome", methods=["POST"])
def outcome(referral_id):
    referral, sides = desk.visible(referral_id)
    body = _body()
    return _act(referral, sides, commands.record_outcome, version=_integer(body, "version"),
                outcome=_text(body, "outcome"), outcome_text=_text(body, "outcome_text"))


@bp.route("/<referral_id>/feedback", methods=["POST"])
def feedback(referral_id):
    referral, sides = desk.visible(referral_id)
    body = _feedback_fields(_body())
    rating, fit_comment, errors = forms.read_fit(body)
    appropriate, appropriate_comment, more = forms.read_appropriate(body)
    errors.update(more)
    if errors:
        field, message = next(iter(errors.items()))
        return json_error(400, "bad_parameter", message, field)
    return _act(referral, sides, commands.give_feedback, fit_rating=rating, fit_comment=fit_comment,
                appropriate=appropriate, appropriate_comment=appropriate_comment)


@bp.route("/<referral_id>/withdraw-consent", methods=["POST"])
def withdraw_consent(referral_id):
    referral, sides = desk.visible(referral_id)
    return _act(referral, sides, commands.withdraw_consent)


def _act(referral, sides, command, **params):
    """Apply a command; the referral as JSON, or the refusal naming its field."""
    try:
        desk.act(referral, sides, command, **params)
    except Refused as refused:
        code = {"forbidden": 403, "conflict": 409}.get(refused.refusal.kind, 400)
        name = {403: "forbidden", 409: "illegal_transition"}.get(code, "bad_parameter")
        return json_error(code, name, str(refused.refusal.message), refused.refusal.field)
    except VersionConflict as conflict:
        return json_error(409, "version_conflict", _(
            "The referral changed since version %(version)s; it is now at version %(current)s. Read it again "
            "before you change it.", version=conflict.expected, current=conflict.current), "version")
    return jsonify(_as_json(get_db().referrals.get(referral["id"]), sides, timeline=True))


def _summary(row, cutoff):
    """A referral in a list, as ``lifecycle.as_seen_by`` gives it to the person asking."""
    return {
        "id": row["id"], "program_id": row["program_id"], "program_name": row["program_name"],
        "sender_org": row["sender_org"], "receiver_org": row["receiver_org"], "client_ref": row["client_ref"],
        "status": row["status"],
        "created": row["created"], "received_at": row["received_at"], "version": row["version"],
        "overdue": is_overdue(row, cutoff),
        "url": url_for("referrals_api.one", referral_id=row["id"]),
    }


def _as_json(referral, sides, timeline=False, warnings=()):
    seen = lifecycle.as_seen_by(referral, sides)
    data = {
        **_summary(seen, desk.overdue_cutoff()),
        "needs": seen["needs"], "note": seen["note"], "override_reason": seen["override_reason"],
        "parent_id": seen["parent_id"],
        "consent": {"given_on": seen["consent_given_on"], "method": seen["consent_method"],
                    "share_progress": bool(seen["share_progress"]), "withdrawn_at": seen["consent_withdrawn_at"]},
        **{name: seen[name] for name in ("reason", "reason_text", "outcome", "outcome_text", "fit_rating",
                                         "fit_comment", "appropriate_comment", "updated", "closed_at")},
        "appropriate": None if seen["appropriate"] is None else bool(seen["appropriate"]),
        "sides": sorted(sides),
        "allowed_transitions": lifecycle.moves_seen_by(referral, sides),
    }
    if warnings:
        data["warnings"] = [str(warning) for warning in warnings]
    if timeline:
        data["timeline"] = [
            {"at": event["at"], "action": event["action"], "side": event["side"], "from_status": event["from_status"],
             "to_status": event["to_status"], "reason": event["reason"], "reason_text": event["reason_text"],
             "organization": event["organization"], "user": event["user_name"]}
            for event in desk.shown_timeline(referral, sides)
        ]
    return data


def _body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadParameter("body", _("Send a JSON object with Content-Type: application/json."))
    return body


def _text(body, name, within=None):
    """A string field, or None when absent; any other type is refused, naming the field."""
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise BadParameter(f"{within}.{name}" if within else name, _("Give this as text."))


def _integer(body, name):
    value = body.get(name)
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and abs(value) <= LARGEST_INTEGER):
        return value
    raise BadParameter(name, _("Give this as a whole number."))


def _boolean(body, name, within=None):
    value = body.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise BadParameter(f"{within}.{name}" if within else name, _("Give this as true or false."))


def _sending_fields(body):
    """The API body in the form's field names, each of the right type, so one reader reads both."""
    consent = body.get("consent")
    if consent is not None and not isinstance(consent, dict):
        raise BadParameter("consent", _("Give the consent as an object with given_on, method and share_progress."))
    consent = consent or {}
    return {
        **{name: _text(body, name) for name in ("client_ref", "note", "override_reason")},
        "consent": bool(consent) and _boolean(consent, "agreed", "consent") is not False,
        "consent_given_on": _text(consent, "given_on", "consent"),
        "consent_method": _text(consent, "method", "consent"),
        "share_progress": _boolean(consent, "share_progress", "consent"),
    }


def _feedback_fields(body):
    return {"fit_rating": _integer(body, "fit_rating"), "appropriate": _boolean(body, "appropriate"),
            **{name: _text(body, name) for name in ("fit_comment", "appropriate_comment", "comment")}}


def _needs(value):
    """The body's needs: an object of /api/match parameters, each checked as matching checks it."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise BadParameter("needs", _("Give the needs as an object of /api/match parameters."))
    pairs = []
    for name, items in value.items():
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                raise BadParameter(f"needs.{name}", _("Give this as text or a number."))
            pairs.append((str(name), str(item)))
    unknown = sorted({name for name, _value in pairs} - set(forms.PARAMETERS))
    if unknown:
        raise BadParameter(f"needs.{unknown[0]}", _("This is not one of the /api/match parameters."))
    needs, errors = forms.needs_from(MultiDict(pairs), vocabularies(), ward_at)
    if errors:
        name, message = next(iter(errors.items()))
        raise BadParameter(f"needs.{name}", message)
    return needs


def _parent(body):
    """The received referral this one refers onward, or None."""
    value = _integer(body, "parent_id")
    if value is None:
        return None
    referral = get_db().referrals.get(value) if 0 < value < 2 ** 62 else None
    if RECEIVER not in referral_sides(g.user, referral):
        raise BadParameter("parent_id", _("parent_id must be a referral your organization received."))
    return referral


def _api_name(field):
    return {"consent_given_on": "consent.given_on", "consent_method": "consent.method",
            "share_progress": "consent.share_progress"}.get(field, field)
