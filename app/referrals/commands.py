"""Every change to a referral as one command: given the referral as stored, who acts (their
sides) and the moment, a command decides the new values, the timeline events, the audit entry
and who is told, or refuses with the reason.

Commands are pure: the web pages, the API and the deadline clock call the same ones, and
``app.db.referrals`` stores what they decide, inside the write transaction that read the
referral, with its version check. So a rule (who may move what, consent withdrawn, what a
sender without progress consent may hear) is written once, here or in ``lifecycle``.
"""

import datetime as dt
from dataclasses import dataclass, field

from . import lifecycle
from .lifecycle import CLOSED, PROGRESS, RECEIVER, SENDER, SYSTEM, Refusal, Refused


def stamp(moment):
    """A moment as referrals store it: UTC, ISO 8601, to the second."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Event:
    """A line on the referral's timeline; ``versioned`` events carry the version they made."""

    side: str
    action: str
    from_status: str | None = None
    to_status: str | None = None
    reason: str | None = None
    reason_text: str | None = None
    versioned: bool = True


@dataclass(frozen=True)
class Notice:
    """An organization whose members are told (in the atlas, then by email) of a change."""

    organization: str
    kind: str


@dataclass(frozen=True)
class Change:
    """What a command decided. ``values`` are the referral's columns to write (the whole row
    for a new referral); the audit entry names the action and the changes, never a client
    detail."""

    at: str
    values: dict
    events: tuple
    action: str
    audit: dict
    notices: tuple = field(default=())


def send(record, now):
    """A new referral (a dict of its columns, already checked by the form's readers)."""
    at = stamp(now)
    values = dict(record, status="requested", sender_status="requested", created=at, updated=at, version=1,
                  sender_version=1, sender_updated=at)
    return Change(at, values, (Event(SENDER, "requested", None, "requested"),), "send",
                  {"status": [None, "requested"], "program_id": [None, record["program_id"]]},
                  (Notice(record["receiver_org"], "new"),))


def move(current, sides, now, status, reason=None, reason_text=None):
    """Move the referral to ``status`` on behalf of ``sides``, with a reason where one is needed.

    A sender without progress consent moves the referral as they see it: cancelling what reads
    as accepted is never refused for what the program did since (which would tell them). When
    the program has already completed or failed it, the cancellation is the sender's own record:
    the program's stays as it is.
    """
    seen = lifecycle.as_seen_by(current, sides)["status"]
    refusal = lifecycle.check_move(seen, status, sides, reason, reason_text)
    if refusal:
        raise Refused(refusal)
    side = lifecycle.mover(current["status"], status)
    if side is None:
        return _cancelled_by_sender(current, now, seen, status, reason, reason_text)
    _refuse_after_withdrawal(current, side, "status")
    change = _moved(current, side, now, status, reason, reason_text)
    if side == RECEIVER and not current["received_at"]:  # answering it is opening it
        change = _opened_first(change)
    return change


def expire(current, now):
    """The atlas cancels a request nobody answered in time (reason "no response"), so the sender
    can refer elsewhere."""
    return _moved(current, SYSTEM, now, "cancelled", "no-response")


def record_outcome(current, sides, now, outcome, outcome_text=None):
    """The program says what came of a completed referral."""
    if RECEIVER not in sides:
        raise Refused(Refusal("forbidden", lifecycle.RECEIVER_ONLY, "outcome"))
    _refuse_after_withdrawal(current, RECEIVER, "outcome")
    refusal = lifecycle.check_outcome(current["status"], outcome, outcome_text)
    if refusal:
        raise Refused(refusal)
    at = stamp(now)
    text = _other_text(outcome, outcome_text)
    status = current["status"]
    return Change(at, _seen(current, {"outcome": outcome, "outcome_text": text, "updated": at}, RECEIVER, "outcome"),
                  (Event(RECEIVER, "outcome", status, status, outcome),), "outcome",
                  {"outcome": [current["outcome"], outcome]},
                  _notices(current, RECEIVER, "outcome", progress=True))


def give_feedback(current, sides, now, fit_rating=None, fit_comment=None, appropriate=None,
                  appropriate_comment=None):
    """The sender rates the fit (1-5); the receiver says whether the referral was appropriate.
    Only after completion or failure; each side writes only its own fields."""
    if lifecycle.as_seen_by(current, sides)["status"] not in ("completed", "failed"):
        raise Refused(Refusal("conflict", lifecycle.FEEDBACK_TOO_EARLY, "status"))
    values, audit, acting = {}, {}, []
    if SENDER in sides and fit_rating is not None:
        values.update(fit_rating=fit_rating, fit_comment=fit_comment or None)
        audit["fit_rating"] = [current["fit_rating"], fit_rating]
        acting.append(SENDER)
    if RECEIVER in sides and appropriate is not None:
        _refuse_after_withdrawal(current, RECEIVER, "appropriate", sides)
        values.update(appropriate=int(appropriate), appropriate_comment=appropriate_comment or None)
        audit["appropriate"] = [current["appropriate"], int(appropriate)]
        acting.append(RECEIVER)
    if not values:
        raise Refused(Refusal("invalid", lifecycle.FEEDBACK_MISSING, "fit_rating"))
    at = stamp(now)
    status = current["status"]
    # How the program judged the referral says how the client did: progress, as the privacy rule sees it.
    notices = [notice for side in acting for notice in _notices(current, side, "feedback", progress=side == RECEIVER)]
    values = _seen(current, {**values, "updated": at}, SENDER if SENDER in acting else RECEIVER, "feedback")
    return Change(at, values, tuple(Event(side, "feedback", status, status) for side in acting),
                  "feedback", audit, tuple(notices))


def withdraw_consent(current, sides, now):
    """The client withdrew consent: an open referral is cancelled, and the program can record
    nothing more (what it reported before stays, as the client had agreed to it then)."""
    if SENDER not in sides:
        raise Refused(Refusal("forbidden", lifecycle.SENDER_ONLY, "consent"))
    if current["consent_withdrawn_at"]:
        raise Refused(Refusal("conflict", lifecycle.CONSENT_WITHDRAWN, "consent"))
    at = stamp(now)
    before = current["status"]
    values = {"consent_withdrawn_at": at, "updated": at}
    if before not in CLOSED:
        values.update(_status_values(current, "cancelled"), reason="consent-withdrawn", reason_text=None, closed_at=at)
    after = values.get("status", before)
    return Change(at, _seen(current, values, SENDER, "consent-withdrawn"),
                  (Event(SENDER, "consent-withdrawn", before, after, values.get("reason")),),
                  "withdraw-consent", {"status": [before, after]},
                  (Notice(current["receiver_org"], "consent-withdrawn"),))


def _moved(current, side, now, status, reason=None, reason_text=None):
    at = stamp(now)
    before = current["status"]
    reason = reason if status in lifecycle.NEEDS_REASON else None
    reason_text = _other_text(reason, reason_text)
    values = {**_status_values(current, status), "reason": reason, "reason_text": reason_text, "updated": at}
    if before == "requested" and status in ("accepted", "rejected"):
        values["decided_at"] = at
    if status in CLOSED and not current["closed_at"]:
        values["closed_at"] = at
    audit = {"status": [before, status], **({"reason": [None, reason]} if reason else {})}
    return Change(at, _seen(current, values, side, status, status), (Event(side, status, before, status, reason, reason_text),),
                  "move", audit,
                  _notices(current, side, "status", progress=status in PROGRESS))


def _cancelled_by_sender(current, now, seen, status, reason, reason_text):
    """A sender without progress consent cancels a referral the program has since closed: the
    sender's side of it is cancelled, and the program is told; its own record stands."""
    at = stamp(now)
    reason_text = _other_text(reason, reason_text)
    values = _seen(current, {"sender_status": status, "updated": at}, SENDER, status, status)
    return Change(at, values, (Event(SENDER, status, seen, status, reason, reason_text),), "move",
                  {"sender_status": [seen, status], "reason": [None, reason]},
                  (Notice(current["receiver_org"], "status"),))


def _seen(current, values, side, action, to_status=None):
    """The values, with the sender's own view moved on when a sender without progress consent
    may know of this change: one version more, its time, and its closing."""
    if lifecycle.hidden_from_sender(side, action, to_status):
        return values
    at = values["updated"]
    seen = {"sender_version": (current["sender_version"] or 0) + 1, "sender_updated": at}
    if values.get("sender_status", current["sender_status"]) in CLOSED and not current["sender_closed_at"]:
        seen["sender_closed_at"] = at
    return {**values, **seen}


def _other_text(choice, text):
    """The words given for "other", kept only with that choice."""
    return (text or "").strip() or None if choice == "other" else None


def _opened_first(change):
    """The same change, with the receiver's first opening recorded before it."""
    opened = Event(RECEIVER, "received", versioned=False)
    return Change(change.at, {"received_at": change.at, **change.values}, (opened, *change.events), change.action,
                  change.audit, change.notices)


def _status_values(current, status):
    """The status, and the status as the sender sees it (kept beside it so the sender's list
    filters on what the sender may know)."""
    return {"status": status,
            "sender_status": lifecycle.visible_status(status, current["share_progress"], {SENDER})}


def _refuse_after_withdrawal(current, side, field_name, sides=None):
    """Once the client withdrew consent, the program records nothing more about them. An
    organization that is both sender and receiver acts as the sender, who may still close
    the record."""
    if side == RECEIVER and current["consent_withdrawn_at"] and SENDER not in (sides or ()):
        raise Refused(Refusal("conflict", lifecycle.CONSENT_WITHDRAWN, field_name))


def _notices(current, side, kind, progress):
    """The other side(s) of a change made by ``side``; a sender whose client did not agree to
    progress reports is not told of news about the client's progress."""
    others = {SENDER: (current["receiver_org"],), RECEIVER: (current["sender_org"],)}.get(
        side, (current["sender_org"], current["receiver_org"]))
    hidden = progress and not current["share_progress"]
    return tuple(Notice(organization, kind) for organization in others
                 if not (hidden and organization == current["sender_org"]))
