"""Which side may move a referral from which status to which, and what each move needs.

Statuses follow HL7 Gravity SDOH's referral task (FHIR Task.status) so records can be exchanged
later. The sender requests and cancels; the receiving program accepts, rejects, starts, holds,
completes or fails; only the sender marks a referral entered in error. "Received" (the receiver
first opened it) is a timestamp, not a status.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import privacy

SENDER, RECEIVER, SYSTEM = "sender", "receiver", "system"

STATUSES = {
    "requested": _l("Requested"),
    "accepted": _l("Accepted"),
    "rejected": _l("Declined"),
    "in-progress": _l("Started"),
    "on-hold": _l("On hold"),
    "completed": _l("Completed"),
    "failed": _l("Did not finish"),
    "cancelled": _l("Cancelled"),
    "entered-in-error": _l("Entered in error"),
}
# What the button that makes each move says.
ACTIONS = {
    "accepted": _l("Accept"),
    "rejected": _l("Decline"),
    "in-progress": _l("Mark as started"),
    "on-hold": _l("Put on hold"),
    "completed": _l("Mark as completed"),
    "failed": _l("Mark as not finished"),
    "cancelled": _l("Cancel referral"),
    "entered-in-error": _l("Mark as entered in error"),
}
CLOSED = frozenset({"rejected", "completed", "failed", "cancelled", "entered-in-error"})
OPEN = frozenset(STATUSES) - CLOSED
# Statuses that report the client's progress in the program, hidden from a sender whose client
# did not agree to progress reports.
PROGRESS = frozenset({"in-progress", "on-hold", "completed", "failed"})

_RECEIVER_MOVES = {
    "requested": ("accepted", "rejected"),
    "accepted": ("in-progress", "on-hold", "completed", "failed"),
    "in-progress": ("on-hold", "completed", "failed"),
    "on-hold": ("in-progress", "completed", "failed"),
}
TRANSITIONS = {
    **{(before, after): RECEIVER for before, afters in _RECEIVER_MOVES.items() for after in afters},
    **{(before, "cancelled"): SENDER for before in ("requested", "accepted", "in-progress", "on-hold")},
    **{(before, "entered-in-error"): SENDER for before in STATUSES if before != "entered-in-error"},
}

REASONS = {
    "no-capacity": _l("No capacity"),
    "not-eligible": _l("Not eligible"),
    "could-not-contact": _l("Could not contact the client"),
    "client-not-interested": _l("Client no longer interested"),
    "referred-elsewhere": _l("Referred elsewhere"),
    "missing-information": _l("Missing information"),
    "outside-service-area": _l("Outside the service area"),
    "no-response": _l("No response"),
    "consent-withdrawn": _l("The client withdrew consent"),
    "other": _l("Other (say what)"),
}
NEEDS_REASON = frozenset({"rejected", "cancelled", "on-hold", "failed"})
# Reasons only the atlas records: expiry, and the sender's recording of a withdrawal.
SYSTEM_REASONS = frozenset({"no-response", "consent-withdrawn"})

OUTCOMES = {
    "enrolled": _l("Enrolled"),
    "completed-program": _l("Completed the program"),
    "employed": _l("Employed"),
    "further-training": _l("In further training"),
    "returned-to-referrer": _l("Returned to the referrer"),
    "other": _l("Other (say what)"),
}

TEXT_LIMIT = 500

CONSENT_WITHDRAWN = _l("The client withdrew consent: the program can no longer report on this referral.")
SENDER_ONLY = _l("Only the organization that sent the referral can do this.")
RECEIVER_ONLY = _l("Only the program that received the referral can do this.")
FEEDBACK_TOO_EARLY = _l("Feedback can be given once the referral is completed or did not finish.")
FEEDBACK_MISSING = _l("Give a rating from 1 to 5, or say whether the referral was appropriate.")


@dataclass(frozen=True)
class Refusal:
    """Why a move is refused: ``kind`` is "conflict" (not from this status), "forbidden" (not
    this side's move) or "invalid" (a field is missing or wrong, named by ``field``)."""

    kind: str
    message: str
    field: str | None = None


def mover(before, after):
    """The side allowed to make this move, or None when no side may."""
    return TRANSITIONS.get((before, after))


def moves_for(status, sides):
    """The statuses the given sides (a set of SENDER/RECEIVER) may move a referral to now."""
    return [after for (before, after), side in TRANSITIONS.items() if before == status and side in sides]


def check_move(before, after, sides, reason=None, reason_text=None):
    """None when ``sides`` may move a referral from ``before`` to ``after`` with this reason.

    The order of checks gives the most useful answer first: a status nobody can reach from here
    is a conflict (someone else moved it), then whose move it is, then the reason.
    """
    if after not in STATUSES:
        return Refusal("invalid", _l("There is no status called “%(status)s”.", status=after), "status")
    side = mover(before, after)
    if side is None:
        return Refusal("conflict", _l("A referral that is “%(before)s” cannot become “%(after)s”.",
                                      before=STATUSES[before], after=STATUSES[after]), "status")
    if side not in sides:
        return Refusal("forbidden", SENDER_ONLY if side == SENDER else RECEIVER_ONLY, "status")
    return check_reason(after, reason, reason_text)


def check_reason(after, reason, reason_text):
    if after not in NEEDS_REASON:
        return _check_other_text(None, reason_text, "reason_text")  # not kept, but never taken unchecked
    if not reason:
        return Refusal("invalid", _l("Choose a reason."), "reason")
    if reason not in REASONS or reason in SYSTEM_REASONS:
        return Refusal("invalid", _l("There is no reason called “%(reason)s” to choose.", reason=reason), "reason")
    return _check_other_text(reason, reason_text, "reason_text")


def check_outcome(status, outcome, outcome_text):
    if status != "completed":
        return Refusal("conflict", _l("An outcome can be recorded once the referral is completed."), "outcome")
    if outcome not in OUTCOMES:
        return Refusal("invalid", _l("Choose an outcome."), "outcome")
    return _check_other_text(outcome, outcome_text, "outcome_text")


def _check_other_text(choice, text, field):
    text = (text or "").strip()
    if choice == "other" and not text:
        return Refusal("invalid", _l("Say what the other reason is."), field)
    if len(text) > TEXT_LIMIT:
        return Refusal("invalid", _l("Keep this under %(limit)d characters.", limit=TEXT_LIMIT), field)
    problem = privacy.identity_problem(text)
    if problem:
        return Refusal("invalid", _l("%(problem)s Leave contact details and identity numbers out of it.",
                                     problem=problem), field)
    return None


def progress_hidden(share_progress, sides):
    """Whether these sides may not learn how the client is doing: a sender whose client did not
    agree that the program reports progress back."""
    return RECEIVER not in sides and not share_progress


def visible_status(status, share_progress, sides):
    """The status a side sees: a sender whose client did not agree to progress reports sees an
    accepted referral as accepted, whatever happened after, until it is cancelled or voided."""
    if not progress_hidden(share_progress, sides) or status not in PROGRESS:
        return status
    return "accepted"


# What the program reports of the client, never shown to a sender without progress consent.
REPORTED_FIELDS = ("outcome", "outcome_text", "appropriate", "appropriate_comment")


def hidden_from_sender(side, action, to_status):
    """Whether a change (or its timeline event) reports the client's progress: the program
    starting, holding, completing or failing them, recording an outcome or judging the referral."""
    return side == RECEIVER and (to_status in PROGRESS or action in ("outcome", "feedback"))


def as_seen_by(referral, sides):
    """The referral as these sides may see it. A sender whose client did not agree to progress
    reports sees what the sender-side columns keep: the status, version, last change and
    closing as they stood after the last change the sender may know of, none of what the
    program reported, and the reason only of a move they could see. This holds in every status,
    so voiding or cancelling a referral reveals nothing of what came before."""
    if not progress_hidden(referral["share_progress"], sides):
        return dict(referral)
    seen = dict(referral)
    for name, own in (("status", "sender_status"), ("version", "sender_version"), ("updated", "sender_updated"),
                      ("closed_at", "sender_closed_at")):
        if name in seen:
            seen[name] = referral.get(own)
    hidden = REPORTED_FIELDS + (("reason", "reason_text") if referral["status"] != referral["sender_status"] else ())
    for name in hidden:
        if name in seen:
            seen[name] = None
    return seen


class Refused(Exception):
    """A move or record the rules refuse; carries the Refusal that says why."""

    def __init__(self, refusal):
        super().__init__(str(refusal.message))
        self.refusal = refusal


def moves_seen_by(referral, sides):
    """The moves these sides are offered now: none for the program once the client withdrew
    consent (the sender may still close or void the record)."""
    if referral["consent_withdrawn_at"] and SENDER not in sides:
        return []
    return moves_for(as_seen_by(referral, sides)["status"], sides)


def event_shown(event, referral, sides):
    """Whether a timeline event is shown to these sides: a sender whose client did not agree to
    progress reports does not see the program's reports of progress, outcome or feedback."""
    if not progress_hidden(referral["share_progress"], sides):
        return True
    return not hidden_from_sender(event["side"], event["action"], event["to_status"])
