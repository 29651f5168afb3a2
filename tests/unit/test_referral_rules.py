"""The referral rules as pure functions: lifecycle by side, consent, what a sender may type,
business-day deadlines, and the figures members see."""

import datetime as dt
import itertools

import pytest

from app.referrals import consent, deadlines, lifecycle, privacy, stats
from app.referrals.lifecycle import RECEIVER, SENDER, STATUSES

# The table, written out by hand: (from, to) -> who may make the move.
EXPECTED = {
    ("requested", "accepted"): RECEIVER, ("requested", "rejected"): RECEIVER,
    ("requested", "cancelled"): SENDER,
    ("accepted", "in-progress"): RECEIVER, ("accepted", "on-hold"): RECEIVER,
    ("accepted", "completed"): RECEIVER, ("accepted", "failed"): RECEIVER, ("accepted", "cancelled"): SENDER,
    ("in-progress", "on-hold"): RECEIVER, ("in-progress", "completed"): RECEIVER,
    ("in-progress", "failed"): RECEIVER, ("in-progress", "cancelled"): SENDER,
    ("on-hold", "in-progress"): RECEIVER, ("on-hold", "completed"): RECEIVER,
    ("on-hold", "failed"): RECEIVER, ("on-hold", "cancelled"): SENDER,
    **{(status, "entered-in-error"): SENDER for status in STATUSES if status != "entered-in-error"},
}
REASONED = {"rejected", "cancelled", "on-hold", "failed"}


@pytest.mark.parametrize("before,after,side", [
    (before, after, side) for before, after in itertools.product(STATUSES, STATUSES) for side in (SENDER, RECEIVER)
])
def test_every_move_is_allowed_only_to_its_side(before, after, side):
    reason = "other" if after in REASONED else None
    refusal = lifecycle.check_move(before, after, {side}, reason, "because")
    allowed_side = EXPECTED.get((before, after))
    if allowed_side == side:
        assert refusal is None
    elif allowed_side is None:
        assert refusal.kind == "conflict"
    else:
        assert refusal.kind == "forbidden"


@pytest.mark.parametrize("after", sorted(REASONED))
def test_reasoned_moves_need_a_reason_from_the_list(after):
    before = "requested" if after in ("rejected", "cancelled") else "accepted"
    sides = {SENDER, RECEIVER}
    assert lifecycle.check_move(before, after, sides).field == "reason"
    assert lifecycle.check_move(before, after, sides, "because I said").field == "reason"
    assert lifecycle.check_move(before, after, sides, "other").field == "reason_text"
    assert lifecycle.check_move(before, after, sides, "other", "moved away") is None
    assert lifecycle.check_move(before, after, sides, "no-capacity") is None


def test_an_unknown_status_names_the_field():
    refusal = lifecycle.check_move("requested", "done", {RECEIVER})
    assert refusal.kind == "invalid" and refusal.field == "status"


def test_moves_offered_to_each_side():
    assert set(lifecycle.moves_for("requested", {RECEIVER})) == {"accepted", "rejected"}
    assert set(lifecycle.moves_for("requested", {SENDER})) == {"cancelled", "entered-in-error"}
    assert lifecycle.moves_for("completed", {RECEIVER}) == []


def test_a_sender_without_progress_consent_sees_accepted():
    assert lifecycle.visible_status("completed", False, {SENDER}) == "accepted"
    assert lifecycle.visible_status("completed", True, {SENDER}) == "completed"
    assert lifecycle.visible_status("completed", False, {RECEIVER}) == "completed"
    assert lifecycle.visible_status("cancelled", False, {SENDER}) == "cancelled"


def test_outcome_only_after_completion():
    assert lifecycle.check_outcome("in-progress", "employed", None).kind == "conflict"
    assert lifecycle.check_outcome("completed", "hired", None).field == "outcome"
    assert lifecycle.check_outcome("completed", "other", "").field == "outcome_text"
    assert lifecycle.check_outcome("completed", "employed", None) is None


TODAY = dt.date(2026, 11, 30)


def test_no_consent_no_referral():
    result, errors = consent.parse(False, "2026-11-20", "phone", True, TODAY)
    assert result is None and "consent" in errors


@pytest.mark.parametrize("given_on,field", [("", "consent_given_on"), ("20/11/2026", "consent_given_on"),
                                             ("2026-12-01", "consent_given_on"), ("2025-01-01", "consent_given_on")])
def test_consent_dates_must_be_real_and_recent(given_on, field):
    _, errors = consent.parse(True, given_on, "phone", True, TODAY)
    assert field in errors


def test_consent_needs_a_method_and_a_progress_answer():
    _, errors = consent.parse(True, "2026-11-20", "telepathy", None, TODAY)
    assert set(errors) == {"consent_method", "share_progress"}
    given, errors = consent.parse(True, "2026-11-20", "in-person-written", False, TODAY)
    assert errors == {} and given.share_progress is False and given.given_on == dt.date(2026, 11, 20)


@pytest.mark.parametrize("value", [
    "Maria Lopez", "maria", "maria.lopez@example.org", "416-555-0199", "(647) 555 0123",
    "046 454 286",  # a Luhn-valid nine-digit number: a SIN
    "1234-567-890-AB",  # an Ontario health card with its version code
    "1985-03-12", "CL19850312", "M5H2N2", "", "x" * 41,
])
def test_client_references_that_look_like_identity_are_refused(value):
    assert privacy.client_ref_problem(value) is not None


@pytest.mark.parametrize("value", ["CL-2026-014", "A17", "case/88", "TCH#5521", "2026-000123", "OW-2026-0042"])
def test_codes_are_accepted_as_client_references(value):
    assert privacy.client_ref_problem(value) is None


def test_notes_refuse_contact_details_and_long_text():
    assert privacy.note_problem("Call her at 416 555 0199") is not None
    assert privacy.note_problem("a" * 601) is not None
    assert privacy.note_problem("Prefers mornings; has forklift ticket from 2019.") is None


UTC = dt.timezone.utc


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_overdue_counts_business_days_skipping_weekends_and_holidays():
    # Sent Friday 13 Feb 2026 at noon Toronto time; Monday 16 Feb is Family Day in Ontario.
    referral = {"status": "requested", "received_at": None, "created": "2026-02-13T17:00:00+00:00"}
    def overdue(referral, now):
        return deadlines.is_overdue(referral, deadlines.subtract_business_days(now, 2))

    assert not overdue(referral, at("2026-02-17T17:30:00"))  # Tuesday: one business day
    assert overdue(referral, at("2026-02-18T17:30:00"))  # Wednesday: two
    assert not overdue(dict(referral, received_at="2026-02-14T10:00:00+00:00"), at("2026-03-01T00:00:00"))
    assert not overdue(dict(referral, status="accepted"), at("2026-03-01T00:00:00"))


def test_response_figures_need_enough_referrals():
    rows = [{"created": "2026-01-01T00:00:00+00:00", "decided_at": f"2026-01-0{day}T00:00:00+00:00",
             "status": "accepted", "accepted": day != 3, "fit_rating": 4} for day in (2, 3, 4, 5)]
    assert stats.response_figures(rows, 5) is None
    rows.append({"created": "2026-01-01T00:00:00+00:00", "decided_at": None, "status": "requested",
                 "accepted": False, "fit_rating": None})
    figures = stats.response_figures(rows, 5)
    assert figures.referrals == 5 and figures.median_days == 2.5
    assert figures.acceptance_rate == 0.75 and figures.fit_average == 4.0
    lapsed = {"created": "2026-01-01T00:00:00+00:00", "decided_at": None, "status": "cancelled",
              "reason": "no-response", "accepted": False, "fit_rating": None}
    figures = stats.response_figures(rows + [lapsed, lapsed], 5)
    assert figures.unanswered == 2 and figures.acceptance_rate == 0.5


def test_every_organization_along_a_chain_is_credited_with_the_outcome():
    referrals = [
        {"id": 1, "parent_id": None, "sender_org": "agency-a", "receiver_org": "program-b", "status": "completed",
         "accepted": True, "outcome": "returned-to-referrer"},
        {"id": 2, "parent_id": 1, "sender_org": "program-b", "receiver_org": "program-c", "status": "completed",
         "accepted": True, "outcome": "employed"},
        {"id": 3, "parent_id": None, "sender_org": "agency-a", "receiver_org": "program-c", "status": "rejected",
         "accepted": False, "outcome": None},
    ]
    figures = stats.contributions(referrals)
    assert figures["agency-a"] == {"made": 2, "accepted": 1, "outcomes": 2, "own_outcomes": 0}
    assert figures["program-b"]["outcomes"] == 1 and figures["program-b"]["own_outcomes"] == 1
    assert figures["program-c"]["own_outcomes"] == 1 and figures["program-c"]["made"] == 0


def test_an_outcome_is_not_credited_to_a_sender_without_progress_consent():
    referrals = [
        {"id": 1, "parent_id": None, "sender_org": "a", "receiver_org": "b", "status": "completed",
         "accepted": True, "outcome": None, "share_progress": 1},
        {"id": 2, "parent_id": 1, "sender_org": "b", "receiver_org": "c", "status": "completed",
         "accepted": True, "outcome": "employed", "share_progress": 0},
    ]
    figures = stats.contributions(referrals)
    assert figures["a"]["outcomes"] == 0 and figures["b"]["outcomes"] == 0
    assert figures["c"]["own_outcomes"] == 1


def test_a_sender_without_progress_consent_sees_nothing_of_what_followed_acceptance():
    referral = {"status": "failed", "share_progress": 0, "reason": "other", "reason_text": "in hospital",
                "outcome": None, "closed_at": "2026-11-30T00:00:00+00:00", "appropriate": 0, "version": 4,
                "sender_status": "accepted", "sender_version": 2, "sender_closed_at": None}
    seen = lifecycle.as_seen_by(referral, {SENDER})
    assert seen["status"] == "accepted" and seen["reason_text"] is None and seen["closed_at"] is None
    assert seen["version"] == 2 and seen["appropriate"] is None
    assert lifecycle.as_seen_by(referral, {RECEIVER})["reason_text"] == "in hospital"
    assert lifecycle.as_seen_by(dict(referral, share_progress=1), {SENDER})["status"] == "failed"


def test_reasons_the_atlas_records_cannot_be_chosen():
    assert lifecycle.check_move("requested", "rejected", {RECEIVER}, "consent-withdrawn").field == "reason"
    assert lifecycle.check_move("requested", "cancelled", {SENDER}, "no-response").field == "reason"
