"""Referral changes as commands on plain records: what each decides to write, record and tell,
and what it refuses, with no database and no Flask."""

import datetime as dt

import pytest

from app.referrals import commands
from app.referrals.lifecycle import RECEIVER, SENDER, SYSTEM, Refused

NOW = dt.datetime(2026, 11, 30, 14, 5, tzinfo=dt.timezone.utc)
AT = "2026-11-30T14:05:00+00:00"


def referral(**overrides):
    """A stored referral as the database returns it."""
    row = {"id": 7, "program_id": "jobs-youth", "sender_org": "agency", "receiver_org": "program-org",
           "status": "requested", "sender_status": "requested", "share_progress": 1, "received_at": None,
           "decided_at": None, "closed_at": None, "consent_withdrawn_at": None, "outcome": None,
           "outcome_text": None, "reason": None, "reason_text": None, "updated": None, "appropriate_comment": None,
           "fit_rating": None, "appropriate": None, "version": 1, "sender_version": 1, "sender_updated": None,
           "sender_closed_at": None}
    row.update(overrides)
    return row


def told(change):
    return {(notice.organization, notice.kind) for notice in change.notices}


def test_sending_tells_the_program_and_records_who_sent_what():
    change = commands.send({"program_id": "jobs-youth", "receiver_org": "program-org", "sender_org": "agency"}, NOW)
    assert change.values["status"] == change.values["sender_status"] == "requested"
    assert change.values["created"] == AT and change.values["version"] == 1
    assert told(change) == {("program-org", "new")}
    assert [(e.side, e.action) for e in change.events] == [(SENDER, "requested")]


def test_accepting_an_unopened_referral_opens_it_decides_it_and_tells_the_sender():
    change = commands.move(referral(), {RECEIVER}, NOW, "accepted")
    assert change.values["received_at"] == change.values["decided_at"] == AT
    assert [e.action for e in change.events] == ["received", "accepted"]
    assert not change.events[0].versioned and change.events[1].versioned
    assert told(change) == {("agency", "status")}
    assert "closed_at" not in change.values


def test_a_closing_move_sets_the_closing_time_once():
    assert commands.move(referral(status="accepted", received_at=AT), {RECEIVER}, NOW, "completed"
                         ).values["closed_at"] == AT
    voided = commands.move(referral(status="completed", closed_at="2026-11-01T00:00:00+00:00"), {SENDER}, NOW,
                           "entered-in-error")
    assert "closed_at" not in voided.values


@pytest.mark.parametrize("status", ["in-progress", "on-hold", "completed", "failed"])
def test_a_sender_without_progress_consent_is_not_told_of_progress(status):
    reason = {"reason": "no-capacity"} if status in ("on-hold", "failed") else {}
    change = commands.move(referral(status="accepted", share_progress=0, received_at=AT), {RECEIVER}, NOW, status,
                           **reason)
    assert told(change) == set()
    assert change.values["sender_status"] == "accepted"  # what the sender's list filters on


def test_a_sender_with_progress_consent_is_told_of_progress():
    change = commands.move(referral(status="accepted", received_at=AT), {RECEIVER}, NOW, "completed")
    assert told(change) == {("agency", "status")} and change.values["sender_status"] == "completed"


def test_the_wrong_side_is_refused_and_nothing_is_decided():
    with pytest.raises(Refused) as refused:
        commands.move(referral(), {SENDER}, NOW, "accepted")
    assert refused.value.refusal.kind == "forbidden"


@pytest.mark.parametrize("act", [
    lambda current: commands.move(current, {RECEIVER}, NOW, "completed"),
    lambda current: commands.record_outcome(dict(current, status="completed"), {RECEIVER}, NOW, "employed"),
    lambda current: commands.give_feedback(dict(current, status="completed"), {RECEIVER}, NOW, appropriate=True),
])
def test_once_consent_is_withdrawn_the_program_records_nothing_more(act):
    with pytest.raises(Refused) as refused:
        act(referral(status="accepted", received_at=AT, consent_withdrawn_at=AT))
    assert refused.value.refusal.kind == "conflict"


def test_withdrawing_consent_cancels_an_open_referral_and_tells_the_program():
    change = commands.withdraw_consent(referral(status="accepted"), {SENDER}, NOW)
    assert change.values["status"] == "cancelled" and change.values["reason"] == "consent-withdrawn"
    assert change.values["closed_at"] == change.values["consent_withdrawn_at"] == AT
    assert told(change) == {("program-org", "consent-withdrawn")}


def test_withdrawing_consent_after_closing_keeps_the_status():
    change = commands.withdraw_consent(referral(status="completed", closed_at=AT), {SENDER}, NOW)
    assert "status" not in change.values and change.audit == {"status": ["completed", "completed"]}


def test_an_outcome_reaches_the_sender_only_with_progress_consent():
    done = referral(status="completed", received_at=AT)
    assert told(commands.record_outcome(done, {RECEIVER}, NOW, "employed")) == {("agency", "outcome")}
    assert told(commands.record_outcome(dict(done, share_progress=0), {RECEIVER}, NOW, "employed")) == set()


def test_feedback_from_each_side_is_its_own_and_the_programs_judgement_stays_private_without_consent():
    done = referral(status="completed", share_progress=0)
    both = commands.give_feedback(done, {SENDER, RECEIVER}, NOW, fit_rating=4, appropriate=False)
    assert both.values["fit_rating"] == 4 and both.values["appropriate"] == 0
    assert told(both) == {("program-org", "feedback")}  # the sender's rating goes to the program only
    assert [e.side for e in both.events] == [SENDER, RECEIVER]


def test_expiry_is_the_atlas_cancelling_for_no_response_and_tells_both_sides():
    change = commands.expire(referral(), NOW)
    assert change.values["status"] == "cancelled" and change.values["reason"] == "no-response"
    assert change.events[0].side == SYSTEM
    assert told(change) == {("agency", "status"), ("program-org", "status")}


def stored(current, change):
    """The referral after the change, as the database would store it."""
    return {**current, **change.values, "version": current["version"] + 1}


def test_a_sender_without_progress_consent_learns_nothing_of_what_followed_acceptance_in_any_state():
    """Accepted, then completed with an outcome and feedback, then voided by the sender: the
    sender sees the same as for a referral the program only accepted and the sender voided."""
    from app.referrals.lifecycle import as_seen_by

    def run(progress):
        current = referral(share_progress=0)
        current = stored(current, commands.move(current, {RECEIVER}, NOW, "accepted"))
        if progress:
            current = stored(current, commands.move(current, {RECEIVER}, NOW + dt.timedelta(days=1), "in-progress"))
            current = stored(current, commands.move(current, {RECEIVER}, NOW + dt.timedelta(days=9), "completed"))
            current = stored(current, commands.record_outcome(current, {RECEIVER}, NOW + dt.timedelta(days=9),
                                                              "other", "Hired as a cook"))
            current = stored(current, commands.give_feedback(current, {RECEIVER}, NOW + dt.timedelta(days=9),
                                                             appropriate=True, appropriate_comment="Good fit"))
        current = stored(current, commands.move(current, {SENDER}, NOW + dt.timedelta(days=10), "entered-in-error"))
        return as_seen_by(current, {SENDER})

    progressed, plain = run(True), run(False)
    for name in ("status", "version", "outcome", "outcome_text", "appropriate", "appropriate_comment",
                 "closed_at", "updated", "reason", "reason_text"):
        assert progressed[name] == plain[name], name
    assert progressed["status"] == "entered-in-error" and progressed["outcome_text"] is None


def test_a_sender_without_progress_consent_may_cancel_what_the_program_has_closed_since():
    current = referral(status="completed", sender_status="accepted", share_progress=0, received_at=AT,
                       closed_at=AT, version=4, sender_version=2)
    change = commands.move(current, {SENDER}, NOW, "cancelled", "client-not-interested")
    assert "status" not in change.values and change.values["sender_status"] == "cancelled"
    assert change.values["sender_version"] == 3 and change.values["sender_closed_at"] == AT
    assert told(change) == {("program-org", "status")}


def test_failing_a_referral_moves_nothing_a_sender_without_progress_consent_sees():
    current = referral(status="accepted", sender_status="accepted", share_progress=0, received_at=AT, version=3,
                       sender_version=3)
    change = commands.move(current, {RECEIVER}, NOW, "failed", "could-not-contact")
    assert "sender_version" not in change.values and "sender_updated" not in change.values
    assert change.values["sender_status"] == "accepted"
