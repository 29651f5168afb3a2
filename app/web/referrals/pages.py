"""Referral pages: an organization's inbox and outbox, sending, a referral's timeline and actions.

Only the two organizations' members see a referral; convenors and administrators see counts.
Every page that shows referrals writes an audit row, and client details never reach a log.
"""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...accounts.permissions import may_send_referrals
from ...db import VersionConflict
from ...referrals import commands, consent, lifecycle
from ...referrals.deadlines import is_overdue
from ...referrals.lifecycle import RECEIVER, Refused
from ...referrals.referable import referable, referable_problem
from ..shared.auth import requires
from ..shared.forms import error_summary
from ..shared.context import get_db, today, vocabularies, ward_at
from . import desk, forms

bp = Blueprint("referrals", __name__)


def signed_in(user, _obj=None):
    return user is not None


@bp.route("/referrals")
@requires(signed_in)
def inbox():
    """Incoming or outgoing referrals, newest first, filtered and paged; counts only for people
    who refer nobody (convenors, administrators)."""
    db = get_db()
    if not may_send_referrals(g.user):
        return render_template("referrals/counts.html", counts=db.referrals.count_by_status(),
                               statuses=lifecycle.STATUSES)
    box = desk.read_box(request.args)
    return render_template(
        "referrals/inbox.html", box=box, statuses=lifecycle.STATUSES,
        programs=db.referrals.box_programs(g.user["organization_id"], box.name),
        updates=db.referrals.unread(g.user["id"]),
        overdue_of=lambda row: is_overdue(row, box.cutoff),
    )


@bp.route("/referrals/new", methods=["GET", "POST"])
@requires(lambda user, _obj=None: may_send_referrals(user))
def new():
    """The referral form: from a match result (the needs come with it), a program page or a
    referral received (to refer the client onward)."""
    source = request.form if request.method == "POST" else request.args
    parent = _parent(source.get("parent"))
    program = _program(source.get("program"))
    needs = forms.needs_from(source, vocabularies(), ward_at)[0] if not parent else parent["needs"]
    if program is None:
        return render_template("referrals/choose_program.html", parent=parent,
                               programs=_referable_programs()), (400 if source.get("program") else 200)
    refusal = referable_problem(program, today())
    receivers = get_db().referrals.members(program["organization_id"])
    warnings, needs_reason = forms.warnings_for(program, desk.failed_rules(program, needs), receivers, _)
    errors, values = {}, {}
    if request.method == "POST" and source.get("step") == "send" and not refusal:
        record, errors = forms.read_new_referral(source, needs, program, g.user, today(), needs_reason,
                                                 parent["id"] if parent else None)
        if record:
            referral_id = desk.send(record)
            flash(_("Referral sent to %(program)s. You will see here when they answer.", program=program["name"]))
            return redirect(url_for("referrals.detail", referral_id=referral_id))
        values = source
    return render_template(
        "referrals/new.html", program=program, parent=parent, needs=needs,
        needs_summary=forms.needs_summary(needs, vocabularies()), warnings=warnings, needs_reason=needs_reason,
        refusal=refusal, errors=errors, values=values, methods=consent.METHODS, today=today().isoformat(),
        summary=error_summary(errors, forms.FIELD_LABELS, list(forms.FIELD_LABELS)),
    ), (400 if errors else 200)


def _parent(value):
    """A referral this organization received, whose client it refers onward."""
    if not value:
        return None
    referral, sides = desk.visible(str(value))
    if RECEIVER not in sides:
        abort(404)
    return referral


def _program(program_id):
    return get_db().catalog.get_program(program_id) if program_id else None


def _referable_programs():
    return referable(get_db().catalog.all_programs(), today())


@bp.route("/referrals/<referral_id>")
@requires(signed_in)
def detail(referral_id):
    referral, sides = desk.visible(referral_id)
    desk.view(referral, sides)
    referral = get_db().referrals.get(referral["id"])
    return _detail_page(referral, sides)


def _detail_page(referral, sides, errors=None, status=200):
    return render_template(
        "referrals/detail.html", referral=lifecycle.as_seen_by(referral, sides), sides=sides,
        timeline=desk.shown_timeline(referral, sides),
        progress_hidden=lifecycle.progress_hidden(referral["share_progress"], sides),
        moves=lifecycle.moves_seen_by(referral, sides),
        statuses=lifecycle.STATUSES, actions=lifecycle.ACTIONS, reasons=lifecycle.REASONS,
        choosable_reasons={slug: label for slug, label in lifecycle.REASONS.items()
                           if slug not in lifecycle.SYSTEM_REASONS},
        needs_reason=lifecycle.NEEDS_REASON, outcomes=lifecycle.OUTCOMES, methods=consent.METHODS,
        needs_summary=forms.needs_summary(referral["needs"], vocabularies()),
        overdue=is_overdue(referral, desk.overdue_cutoff()),
        errors=errors or {}, values=request.form if errors else {},
        summary=error_summary(errors or {}, forms.FIELD_LABELS, list(forms.FIELD_LABELS)),
    ), status


@bp.route("/referrals/<referral_id>/move", methods=["POST"])
@requires(signed_in)
def move(referral_id):
    status = request.form.get("status") or ""
    return _act(referral_id, commands.move, _("The referral is now “%(status)s”.",
                                               status=lifecycle.STATUSES.get(status, status)),
                version=_version(request.form.get("version")), status=status,
                reason=request.form.get("reason") or None, reason_text=request.form.get("reason_text"))


@bp.route("/referrals/<referral_id>/outcome", methods=["POST"])
@requires(signed_in)
def outcome(referral_id):
    return _act(referral_id, commands.record_outcome, _("The outcome is recorded."),
                version=_version(request.form.get("version")), outcome=request.form.get("outcome"),
                outcome_text=request.form.get("outcome_text"))


@bp.route("/referrals/<referral_id>/feedback", methods=["POST"])
@requires(signed_in)
def feedback(referral_id):
    rating, fit_comment, errors = forms.read_fit(request.form)
    appropriate, appropriate_comment, more = forms.read_appropriate(request.form)
    errors.update(more)
    if errors:
        return _detail_page(*desk.visible(referral_id), errors, 400)
    return _act(referral_id, commands.give_feedback, _("Thank you: your feedback is recorded."),
                fit_rating=rating, fit_comment=fit_comment, appropriate=appropriate,
                appropriate_comment=appropriate_comment)


@bp.route("/referrals/<referral_id>/withdraw-consent", methods=["POST"])
@requires(signed_in)
def withdraw_consent(referral_id):
    if request.form.get("confirm") != "yes":
        return _detail_page(*desk.visible(referral_id),
                            {"confirm": _("Tick the box to confirm that the client withdrew consent.")}, 400)
    return _act(referral_id, commands.withdraw_consent,
                _("The client's withdrawal of consent is recorded; the program can no longer report on this referral."))


def _act(referral_id, command, done_message, **params):
    """Apply a command and go back to the referral; a refusal or someone else's change shows
    the page again with the reason, changing nothing."""
    referral, sides = desk.visible(referral_id)
    try:
        desk.act(referral, sides, command, **params)
    except Refused as refused:
        field = refused.refusal.field or "status"
        code = {"forbidden": 403, "conflict": 409}.get(refused.refusal.kind, 400)
        message = str(refused.refusal.message)
        return _detail_page(get_db().referrals.get(referral["id"]), sides, {field: message}, code)
    except VersionConflict:
        message = _("Someone else changed this referral while you were looking at it. Here it is as it is now; "
                    "check it before you try again.")
        return _detail_page(get_db().referrals.get(referral["id"]), sides, {"status": message}, 409)
    flash(done_message)
    return redirect(url_for("referrals.detail", referral_id=referral["id"]))


def _version(value):
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None
