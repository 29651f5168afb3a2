"""Figures shown to signed-in members: how a program answers referrals, and what each
organization's referrals led to, along the whole chain of referrals that got a client there.

A provider who did the first work with a client and found the program that suited them
contributed to the outcome, even when the job is counted by the organization at the end of the
chain: every organization along the chain is credited.
"""

import statistics
from dataclasses import dataclass

from .deadlines import moment


@dataclass(frozen=True)
class ResponseFigures:
    referrals: int
    unanswered: int
    median_days: float | None
    acceptance_rate: float | None
    fit_average: float | None
    fit_ratings: int


def response_figures(referrals, minimum):
    """How a program answered its referrals (dicts with created, decided_at, status, reason,
    accepted, fit_rating): None below ``minimum`` referrals, too few to say anything fair.

    Referrals that expired unanswered count against the acceptance rate: a program that lets
    most referrals lapse must not look as if it accepts everyone.
    """
    if len(referrals) < minimum:
        return None
    waits = [_days(r["created"], r["decided_at"]) for r in referrals if r.get("decided_at")]
    decided = [r for r in referrals if r.get("decided_at")]
    unanswered = [r for r in referrals if r["status"] == "cancelled" and r.get("reason") == "no-response"]
    accepted = [r for r in decided if r["accepted"]]
    ratings = [r["fit_rating"] for r in referrals if r.get("fit_rating")]
    answerable = len(decided) + len(unanswered)
    return ResponseFigures(
        referrals=len(referrals),
        unanswered=len(unanswered),
        median_days=round(statistics.median(waits), 1) if waits else None,
        acceptance_rate=len(accepted) / answerable if answerable else None,
        fit_average=round(statistics.fmean(ratings), 1) if ratings else None,
        fit_ratings=len(ratings),
    )


def _days(start, end):
    return (moment(end) - moment(start)).total_seconds() / 86400


def chain_of(referral_id, parents):
    """The referral and every referral before it, nearest first: ``parents`` maps id -> parent id.
    A loop (impossible through the app, possible in hand-edited data) stops the walk."""
    chain, seen, current = [], set(), referral_id
    while current is not None and current not in seen:
        seen.add(current)
        chain.append(current)
        current = parents.get(current)
    return chain


def contributions(referrals):
    """Per organization: referrals made, referrals of theirs accepted, and outcomes reached by
    clients they referred, directly or through a later referral along the chain.

    ``referrals`` are dicts with id, parent_id, sender_org, receiver_org, status, accepted, outcome
    and share_progress: an outcome is credited only to senders whose client agreed it be
    reported back to them.
    """
    by_id = {r["id"]: r for r in referrals}
    parents = {r["id"]: r["parent_id"] for r in referrals}
    figures = {}

    def entry(organization):
        return figures.setdefault(organization, {"made": 0, "accepted": 0, "outcomes": 0, "own_outcomes": 0})

    for referral in referrals:
        if referral["status"] == "entered-in-error":
            continue
        entry(referral["sender_org"])["made"] += 1
        if referral["accepted"]:
            entry(referral["sender_org"])["accepted"] += 1
        if not referral.get("outcome"):
            continue
        entry(referral["receiver_org"])["own_outcomes"] += 1
        for organization in _credited(chain_of(referral["id"], parents), by_id) - {referral["receiver_org"]}:
            entry(organization)["outcomes"] += 1
    return figures


def _credited(chain, by_id):
    """The senders along a chain (nearest first) who may learn of its outcome: each referral
    from theirs down to the outcome carried the client's consent to report progress back."""
    credited = set()
    for referral_id in chain:
        referral = by_id.get(referral_id)
        if referral is None or not referral.get("share_progress", 1):
            break
        credited.add(referral["sender_org"])
    return credited

