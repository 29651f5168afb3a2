"""Closed-loop referrals through the pages and the API: sending with consent, answering,
following up, privacy between organizations, the audit trail, deadlines and retention."""

import datetime as dt
import json
import re

import pytest

from app import mail
from app.db import Database

from ..support.accounts import sign_in
from ..support.referral_world import (PROGRAMS, add_people, api_body, consent_form, csrf_headers, email_of, move_page, post,
                             send_page)

UTC = dt.timezone.utc


@pytest.fixture
def world(app, catalogue):
    catalogue(PROGRAMS)
    return add_people(app)


@pytest.fixture
def as_user(app, world):
    """A signed-in test client for one of the world's people."""
    clients = {}

    def get(name):
        if name not in clients:
            clients[name] = app.test_client()
            assert sign_in(clients[name], email_of(name)).status_code == 302
        return clients[name]

    return get


def sent(as_user, **overrides):
    response = send_page(as_user("sender"), **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def referral(app, referral_id):
    with Database(app.config["DATABASE"]) as db:
        return db.referrals.get(referral_id)


def audit_rows(app, action=None):
    with Database(app.config["DATABASE"]) as db:
        rows = db.connection.query("SELECT * FROM audit_log WHERE entity = 'referral' ORDER BY id")
    return [row for row in rows if action is None or row["action"] == action]


# Sending


def test_a_member_sends_a_referral_with_consent_and_the_program_sees_it(app, as_user):
    referral_id = sent(as_user)
    page = as_user("sender").get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "CL-2026-014" in page and "Requested" in page and "Not yet" in page
    inbox = as_user("receiver").get("/referrals").get_data(as_text=True)
    assert f"Referral {referral_id}" in inbox and "Not opened" in inbox and "Agency Org" in inbox
    opened = as_user("receiver").get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Opened by Receiver" in opened
    assert referral(app, referral_id)["received_at"] is not None


def test_no_consent_no_referral(app, as_user):
    response = send_page(as_user("sender"), consent="")
    assert response.status_code == 400
    assert "Without their consent, a referral cannot be sent" in response.get_data(as_text=True)
    with Database(app.config["DATABASE"]) as db:
        assert db.connection.scalar("SELECT count(*) FROM referrals") == 0


@pytest.mark.parametrize("reference", ["Maria Lopez", "maria@example.org", "416-555-0199", "046 454 286"])
def test_a_client_reference_that_identifies_the_client_is_refused(app, as_user, reference):
    response = send_page(as_user("sender"), client_ref=reference)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="client_ref-error"' in page and 'href="#client_ref"' in page
    assert "Has a forklift ticket." in page  # what was typed is kept


def test_the_form_warns_when_the_client_fails_a_program_rule_and_asks_why(app, as_user):
    client = as_user("sender")
    page = post(client, "/referrals/new", {"program": "jobs-youth", "age": "45", "population": "youth"}).get_data(as_text=True)
    assert "From the client" in page and "45" in page and 'id="override_reason"' in page
    response = send_page(client, age="45", population="youth")
    assert response.status_code == 400 and "say why you are referring anyway" in response.get_data(as_text=True)
    assert send_page(client, age="45", population="youth", override_reason="Returning to work after a layoff; "
                     "the coordinator said they take older youth workers.").status_code == 302


def test_capacity_warnings_and_self_referral_programs(app, as_user, world):
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE programs SET capacity_status = 'waitlist' WHERE id = 'jobs-youth'")
    page = as_user("sender").get("/referrals/new?program=jobs-youth").get_data(as_text=True)
    assert "waiting list" in page
    walk_in = as_user("sender").get("/referrals/new?program=third-self").get_data(as_text=True)
    assert "takes applications from people themselves" in walk_in and "Send referral" not in walk_in


# Lifecycle through the pages


def test_the_receiver_moves_it_along_and_the_sender_follows(app, as_user):
    referral_id = sent(as_user)
    receiver = as_user("receiver")
    for status, version in (("accepted", 1), ("in-progress", 2), ("completed", 3)):
        assert move_page(receiver, referral_id, status, version).status_code == 302
    response = post(receiver, f"/referrals/{referral_id}/outcome", {
        "outcome": "employed", "version": "4"})
    assert response.status_code == 302
    sender_page = as_user("sender").get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Completed" in sender_page and "Employed" in sender_page and "Now “Started”, by Receiver" in sender_page
    rated = post(as_user("sender"), f"/referrals/{referral_id}/feedback", {"fit_rating": "4"})
    assert rated.status_code == 302
    assert referral(app, referral_id)["fit_rating"] == 4


def test_an_illegal_move_is_refused_and_changes_nothing(app, as_user):
    referral_id = sent(as_user)
    response = move_page(as_user("receiver"), referral_id, "completed", 1)
    assert response.status_code == 409 and "cannot become" in response.get_data(as_text=True)
    forbidden = move_page(as_user("sender"), referral_id, "accepted", 1)
    assert forbidden.status_code == 403
    assert referral(app, referral_id)["status"] == "requested"
    assert referral(app, referral_id)["version"] == 1


def test_declining_needs_a_reason(app, as_user):
    referral_id = sent(as_user)
    response = move_page(as_user("receiver"), referral_id, "rejected", 1)
    assert response.status_code == 400 and 'id="reason-error"' in response.get_data(as_text=True)
    assert move_page(as_user("receiver"), referral_id, "rejected", 1, reason="no-capacity").status_code == 302
    assert "No capacity" in as_user("sender").get(f"/referrals/{referral_id}").get_data(as_text=True)


def test_a_stale_form_is_refused_with_the_referral_as_it_is_now(app, as_user):
    referral_id = sent(as_user)
    assert move_page(as_user("receiver"), referral_id, "accepted", 1).status_code == 302
    response = move_page(as_user("receiver_editor"), referral_id, "rejected", 1, reason="no-capacity")
    assert response.status_code == 409 and "Someone else changed this referral" in response.get_data(as_text=True)
    assert referral(app, referral_id)["status"] == "accepted"


def test_without_progress_consent_the_sender_sees_only_acceptance(app, as_user):
    referral_id = sent(as_user, share_progress="no")
    for status, version in (("accepted", 1), ("in-progress", 2)):
        move_page(as_user("receiver"), referral_id, status, version)
    page = as_user("sender").get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Accepted" in page and "Started" not in page and "did not agree" in page
    outbox = as_user("sender").get("/api/referrals?box=outgoing&status=accepted").get_json()
    assert [row["id"] for row in outbox["results"]] == [referral_id]
    assert as_user("sender").get("/api/referrals?box=outgoing&status=in-progress").get_json()["total"] == 0
    assert as_user("receiver").get("/api/referrals?box=incoming&status=in-progress").get_json()["total"] == 1


def test_withdrawing_consent_cancels_and_stops_reports(app, as_user):
    referral_id = sent(as_user)
    move_page(as_user("receiver"), referral_id, "accepted", 1)
    unconfirmed = post(as_user("sender"), f"/referrals/{referral_id}/withdraw-consent", {})
    assert unconfirmed.status_code == 400 and referral(app, referral_id)["status"] == "accepted"
    response = post(as_user("sender"), f"/referrals/{referral_id}/withdraw-consent", {"confirm": "yes"})
    assert response.status_code == 302
    current = referral(app, referral_id)
    assert current["status"] == "cancelled" and current["reason"] == "consent-withdrawn"
    assert move_page(as_user("receiver"), referral_id, "in-progress", current["version"]).status_code == 409
    page = as_user("receiver").get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Refer this client onward" not in page and "Update the referral" not in page


def test_referring_onward_credits_every_organization_along_the_chain(app, as_user):
    first = sent(as_user)
    receiver = as_user("receiver")
    for status, version in (("accepted", 1), ("completed", 2)):
        move_page(receiver, first, status, version)
    onward = post(receiver, "/referrals/new", {"program": "third-onward", "parent": str(first),
                                                   **consent_form(client_ref="JO-77")})
    assert onward.status_code == 302
    second = int(onward.headers["Location"].rsplit("/", 1)[1])
    assert referral(app, second)["parent_id"] == first
    third = as_user("third")
    for status, version in (("accepted", 1), ("completed", 2)):
        move_page(third, second, status, version)
    post(third, f"/referrals/{second}/outcome", {"outcome": "employed", "version": "3"})
    page = as_user("sender").get("/organizations/agency-org").get_data(as_text=True)
    assert re.search(r"Outcomes reached by clients it referred[^<]*</dt><dd>1<", page)


# Privacy


def test_other_organizations_convenors_and_visitors_cannot_see_a_referral(app, as_user):
    referral_id = sent(as_user)
    assert as_user("third").get(f"/referrals/{referral_id}").status_code == 404
    assert as_user("convenor").get(f"/referrals/{referral_id}").status_code == 404
    assert as_user("admin").get(f"/referrals/{referral_id}").status_code == 404
    assert app.test_client().get(f"/referrals/{referral_id}").status_code == 302
    counts = as_user("convenor").get("/referrals").get_data(as_text=True)
    assert "CL-2026-014" not in counts and re.search(r"Requested</th><td>1<", counts)
    assert f"Referral {referral_id}" not in as_user("third").get("/referrals").get_data(as_text=True)


def test_every_view_and_change_leaves_an_audit_row_without_client_details(app, as_user):
    referral_id = sent(as_user)
    as_user("receiver").get(f"/referrals/{referral_id}")
    as_user("sender").get(f"/referrals/{referral_id}")
    move_page(as_user("receiver"), referral_id, "accepted", 1)
    actions = [row["action"] for row in audit_rows(app)]
    assert actions == ["send", "view", "view", "move"]
    assert all("CL-2026-014" not in row["changes"] and "forklift" not in row["changes"] for row in audit_rows(app))
    with Database(app.config["DATABASE"]) as db:
        with pytest.raises(Exception, match="append-only"):
            with db.write():
                db.connection.execute("UPDATE audit_log SET who = 'someone else' WHERE entity = 'referral'")


def test_notifications_say_only_that_something_changed(app, as_user, monkeypatch):
    messages = []
    monkeypatch.setattr("app.mail.send", lambda config, to, subject, body: messages.append((to, subject, body)) or True)
    app.config["ATLAS_SMTP_HOST"] = "mail.example.org"
    referral_id = sent(as_user)
    mail.wait_for_delivery()
    assert {to for to, _, _ in messages} == {email_of("receiver"), email_of("receiver_editor")}
    for to, subject, body in messages:
        assert "CL-2026-014" not in subject + body and "forklift" not in body and "Jobs Youth" not in body
        assert f"/referrals/{referral_id}" in body
    inbox = as_user("receiver").get("/referrals").get_data(as_text=True)
    assert f"Referral {referral_id}: New referral" in inbox


# API


def test_the_api_sends_lists_and_moves_a_referral(app, as_user):
    sender = as_user("sender")
    response = sender.post("/api/referrals", json=api_body(), headers=csrf_headers(sender))
    assert response.status_code == 201, response.get_json()
    referral_id = response.get_json()["id"]
    receiver = as_user("receiver")
    listed = receiver.get("/api/referrals?box=incoming").get_json()
    assert listed["total"] == 1 and listed["results"][0]["client_ref"] == "CL-2026-014"
    moved = receiver.post(f"/api/referrals/{referral_id}/transitions", json={"status": "accepted", "version": 1},
                          headers=csrf_headers(receiver))
    assert moved.status_code == 200 and moved.get_json()["status"] == "accepted"
    stale = receiver.post(f"/api/referrals/{referral_id}/transitions",
                          json={"status": "rejected", "reason": "no-capacity", "version": 1}, headers=csrf_headers(receiver))
    assert stale.status_code == 409 and stale.get_json()["error"]["field"] == "version"
    detail = sender.get(f"/api/referrals/{referral_id}").get_json()
    assert [event["action"] for event in detail["timeline"]] == ["requested", "received", "accepted"]


def test_the_api_names_what_is_wrong(app, as_user):
    sender = as_user("sender")
    no_consent = sender.post("/api/referrals", json=api_body(consent=None), headers=csrf_headers(sender))
    assert no_consent.status_code == 400 and no_consent.get_json()["error"]["field"] == "consent"
    named = sender.post("/api/referrals", json=api_body(client_ref="Maria Lopez"), headers=csrf_headers(sender))
    assert named.get_json()["error"]["field"] == "client_ref"
    assert app.test_client().get("/api/referrals").status_code == 401
    assert as_user("third").get("/api/referrals/1").status_code == 404


# Deadlines and retention


def test_unopened_referrals_are_flagged_reminded_once_and_expire(app, as_user, runner, monkeypatch):
    referral_id = sent(as_user)
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE referrals SET created = '2026-11-02T15:00:00+00:00' WHERE id = ?", [referral_id])
    monday = dt.datetime(2026, 11, 3, 20, 0, tzinfo=UTC)  # one business day later
    app.extensions["atlas.clock"] = lambda: monday
    assert "Overdue" not in as_user("sender").get("/referrals?box=outgoing").get_data(as_text=True)
    app.extensions["atlas.clock"] = lambda: dt.datetime(2026, 11, 5, 20, 0, tzinfo=UTC)
    assert "Overdue" in as_user("sender").get("/referrals?box=outgoing").get_data(as_text=True)
    assert "Overdue" in as_user("sender").get("/referrals?box=outgoing&overdue=1").get_data(as_text=True)
    assert "Overdue" in as_user("receiver").get("/referrals").get_data(as_text=True)  # flagged to both sides
    result = runner.invoke(args=["referral-deadlines", "--now", "2026-11-05T20:00:00+00:00"])
    assert "1 reminded" in result.output and "0 cancelled" in result.output
    again = runner.invoke(args=["referral-deadlines", "--now", "2026-11-06T20:00:00+00:00"])
    assert "0 reminded" in again.output
    expired = runner.invoke(args=["referral-deadlines", "--now", "2026-11-16T20:00:00+00:00"])
    assert "1 cancelled" in expired.output
    current = referral(app, referral_id)
    assert current["status"] == "cancelled" and current["reason"] == "no-response"


def test_closed_referrals_are_anonymised_after_the_retention_period(app, as_user, runner):
    left_open = sent(as_user, client_ref="CL-OPEN-1")
    move_page(as_user("receiver"), left_open, "accepted", 1)
    referral_id = sent(as_user)
    move_page(as_user("receiver"), referral_id, "rejected", 1, reason="other", reason_text="moved to Ottawa")
    closed = dt.datetime.fromisoformat(referral(app, referral_id)["closed_at"])
    too_soon = (closed + dt.timedelta(days=364)).isoformat()
    assert "0 referrals" in runner.invoke(args=["purge-referrals", "--now", too_soon]).output
    later = (closed + dt.timedelta(days=366)).isoformat()
    dry = runner.invoke(args=["purge-referrals", "--dry-run", "--now", later])
    assert "1 referral" in dry.output and referral(app, referral_id)["client_ref"] == "CL-2026-014"
    output = runner.invoke(args=["purge-referrals", "--now", later]).output
    assert f"referral {left_open}: accepted" in output and "still open" in output
    assert referral(app, left_open)["client_ref"] == "CL-OPEN-1"
    current = referral(app, referral_id)
    assert current["client_ref"] is None and current["note"] is None and current["needs"] == {}
    assert current["reason_text"] is None and current["status"] == "rejected" and current["reason"] == "other"
    with Database(app.config["DATABASE"]) as db:
        texts = json.dumps(db.referrals.timeline(referral_id))
    assert "Ottawa" not in texts


def test_a_caseworker_refers_from_a_match_result_and_the_needs_go_with_it(app, as_user):
    client = as_user("sender")
    results = post(client, "/match", {"age": "22", "population": "youth", "near": "M5H 2N2"}).get_data(as_text=True)
    assert 'formaction="/referrals/new" name="program" value="jobs-youth"' in results
    assert 'value="third-self"' not in results  # takes no referrals from agencies
    form = post(client, "/referrals/new", {"program": "jobs-youth", "age": "22", "population": "youth",
                                           "near": "M5H 2N2"}).get_data(as_text=True)
    assert "Age" in form and "22" in form and 'value="M5H"' in form and "M5H 2N2" not in form
    response = send_page(client, age="22", population="youth", near="M5H")
    stored = referral(app, int(response.headers["Location"].rsplit("/", 1)[1]))["needs"]
    assert stored == {"age": ["22"], "near": ["M5H"], "population": ["youth"]}


def test_the_deadline_clock_applies_deadlines_without_a_command(app, as_user):
    from app.referral_tasks import DeadlineClock

    referral_id = sent(as_user)
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE referrals SET created = '2020-01-06T15:00:00+00:00' WHERE id = ?", [referral_id])
    DeadlineClock(app).check()
    assert referral(app, referral_id)["status"] == "cancelled"


def test_the_openapi_file_documents_every_referral_route_and_field(app, as_user):
    document = app.test_client().get("/api/openapi.json").get_json()
    routes = {rule.rule.replace("<referral_id>", "{id}") for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/referrals")}
    assert routes <= set(document["paths"])
    sender = as_user("sender")
    answer = sender.post("/api/referrals", json=api_body(), headers=csrf_headers(sender)).get_json()
    documented = set(document["components"]["schemas"]["Referral"]["properties"])
    assert set(answer) <= documented
    assert set(sender.get(f"/api/referrals/{answer['id']}").get_json()) <= documented


def test_a_partner_system_uses_a_token_without_csrf_and_sees_only_its_referrals(app, as_user, runner):
    referral_id = sent(as_user)
    output = runner.invoke(args=["create-token", email_of("receiver"), "--name", "case system"]).output
    token = re.search(r"atlas_[A-Za-z0-9_-]+", output).group()
    system = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    listed = system.get("/api/referrals?box=incoming", headers=headers).get_json()
    assert [row["id"] for row in listed["results"]] == [referral_id]
    moved = system.post(f"/api/referrals/{referral_id}/transitions", json={"status": "accepted", "version": 1},
                        headers=headers)
    assert moved.status_code == 200 and moved.get_json()["status"] == "accepted"
    assert "Set-Cookie" not in moved.headers
    third = runner.invoke(args=["create-token", email_of("third")]).output
    other = {"Authorization": f"Bearer {re.search(r'atlas_[A-Za-z0-9_-]+', third).group()}"}
    assert system.get(f"/api/referrals/{referral_id}", headers=other).status_code == 404
    assert system.get("/api/referrals", headers={"Authorization": "Bearer atlas_wrong"}).status_code == 401
    assert audit_rows(app, "move")[-1]["user_id"] is not None


def test_a_program_shows_how_it_answers_referrals_once_it_has_five(app, as_user):
    receiver = as_user("receiver")
    for n in range(4):
        referral_id = sent(as_user, client_ref=f"CL-{n}")
        move_page(receiver, referral_id, "accepted" if n < 3 else "rejected", 1,
                  **({"reason": "no-capacity"} if n == 3 else {}))
    page = as_user("sender").get("/programs/jobs-youth").get_data(as_text=True)
    assert "Too few referrals through the atlas to say." in page
    sent(as_user, client_ref="CL-5")
    page = as_user("sender").get("/programs/jobs-youth").get_data(as_text=True)
    assert "5 referrals received." in page and "75% of those answered or left to lapse were accepted." in page
    assert "Answering referrals" not in app.test_client().get("/programs/jobs-youth").get_data(as_text=True)


def test_without_progress_consent_nothing_after_acceptance_reaches_the_sender(app, as_user, monkeypatch):
    told = []
    monkeypatch.setattr("app.mail.send", lambda config, to, subject, body: told.append(to) or True)
    app.config["ATLAS_SMTP_HOST"] = "mail.example.org"
    referral_id = sent(as_user, share_progress="no")
    receiver = as_user("receiver")
    move_page(receiver, referral_id, "accepted", 1)
    move_page(receiver, referral_id, "failed", 2, reason="other", reason_text="Client in hospital until May")
    post(receiver, f"/referrals/{referral_id}/feedback", {"appropriate": "no", "appropriate_comment": "Too early"})
    sender = as_user("sender")
    answer = sender.get(f"/api/referrals/{referral_id}").get_json()
    assert answer["status"] == "accepted" and answer["reason_text"] is None and answer["closed_at"] is None
    assert answer["appropriate"] is None and answer["appropriate_comment"] is None
    page = sender.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "hospital" not in page and "Too early" not in page and "did not agree" in page
    assert "Save feedback" not in page
    assert post(sender, f"/referrals/{referral_id}/feedback", {"fit_rating": "3"}).status_code == 409
    mail.wait_for_delivery()
    assert sorted(told) == sorted(email_of(name) for name in ("receiver", "receiver_editor", "sender", "sender_editor"))
    # the sender's side heard of the acceptance only; the program of the new referral only
    # cancelling what reads as accepted is answered as it would be had the program done nothing since
    cancel = sender.post(f"/api/referrals/{referral_id}/transitions",
                         json={"status": "cancelled", "reason": "client-not-interested", "version": answer["version"]},
                         headers=csrf_headers(sender))
    assert cancel.status_code == 200 and cancel.get_json()["status"] == "cancelled"
    assert "failed" not in cancel.get_data(as_text=True) and "hospital" not in cancel.get_data(as_text=True)
    program_side = as_user("receiver").get(f"/api/referrals/{referral_id}").get_json()
    assert program_side["status"] == "failed" and program_side["timeline"][-1]["to_status"] == "cancelled"
    outbox = sender.get("/referrals?box=outgoing").get_data(as_text=True)  # the list agrees with the referral
    assert "referral-cancelled" in outbox and "referral-accepted" not in outbox and "referral-failed" not in outbox


@pytest.mark.parametrize("path", [("in-progress", "completed"), ("failed",)])
def test_voiding_a_referral_does_not_show_a_sender_without_progress_consent_what_the_program_reported(
        app, as_user, path):
    """Whatever the program did after accepting, the sender who voids the referral sees what
    they would have seen had it only been accepted: the same fields and the same version."""
    def voided(progress):
        referral_id = sent(as_user, share_progress="no")
        receiver = as_user("receiver")
        move_page(receiver, referral_id, "accepted", 1)
        for version, status in enumerate(progress, start=2):
            reason = {"reason": "other", "reason_text": "Client in hospital"} if status == "failed" else {}
            move_page(receiver, referral_id, status, version, **reason)
        if progress[-1:] == ["completed"]:
            post(receiver, f"/referrals/{referral_id}/outcome", {"outcome": "other", "outcome_text": "Hired as a cook",
                                                                  "version": str(len(progress) + 1)})
            post(receiver, f"/referrals/{referral_id}/feedback", {"appropriate": "yes", "appropriate_comment": "Fit"})
        sender = as_user("sender")
        version = sender.get(f"/api/referrals/{referral_id}").get_json()["version"]
        done = sender.post(f"/api/referrals/{referral_id}/transitions", json={"status": "entered-in-error",
                           "version": version}, headers=csrf_headers(sender))
        assert done.status_code == 200, done.get_json()
        page = sender.get(f"/referrals/{referral_id}").get_data(as_text=True)
        assert "hospital" not in page and "cook" not in page and "Did not finish" not in page
        return sender.get(f"/api/referrals/{referral_id}").get_json()

    progressed, plain = voided(list(path)), voided([])
    for name in ("status", "version", "outcome", "outcome_text", "appropriate", "appropriate_comment", "reason",
                 "reason_text", "allowed_transitions"):
        assert progressed[name] == plain[name], name
    assert [event["to_status"] for event in progressed["timeline"]] == \
        [event["to_status"] for event in plain["timeline"]]
    assert (progressed["closed_at"] is None) == (plain["closed_at"] is None)


@pytest.mark.parametrize("body,field", [
    ({"client_ref": 12345}, "client_ref"),
    ({"note": ["a"]}, "note"),
    ({"override_reason": 7}, "override_reason"),
    ({"parent_id": "99999999999999999999999"}, "parent_id"),
    ({"parent_id": 424242}, "parent_id"),
    ({"needs": {"population": "Jane Doe 416-555-0199"}}, "needs.population"),
    ({"needs": {"age": "x" * 2000}}, "needs.age"),
    ({"needs": {"favourite_colour": "blue"}}, "needs.favourite_colour"),
    ({"needs": "youth"}, "needs"),
    ({"consent": "yes"}, "consent"),
    ({"consent": {"given_on": 20261101, "method": "phone", "share_progress": True}}, "consent.given_on"),
    ({"consent": {"given_on": "2026-11-01", "method": "phone", "share_progress": "yes"}}, "consent.share_progress"),
])
def test_the_api_refuses_wrong_types_naming_the_field(app, as_user, body, field):
    sender = as_user("sender")
    response = sender.post("/api/referrals", json=api_body(**body), headers=csrf_headers(sender))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field


@pytest.mark.parametrize("path,body,field", [
    ("transitions", {"status": "rejected", "reason": ["no-capacity"]}, "reason"),
    ("transitions", {"status": "accepted", "version": "1"}, "version"),
    ("transitions", {"status": "rejected", "reason": "other", "reason_text": 5}, "reason_text"),
    ("outcome", {"outcome": ["employed"]}, "outcome"),
    ("outcome", {"outcome": "employed", "version": "abc"}, "version"),
    ("feedback", {"fit_rating": 0}, "fit_rating"),
    ("feedback", {"appropriate": 0}, "appropriate"),
    ("feedback", {"fit_rating": 4, "fit_comment": 5}, "fit_comment"),
    ("transitions", None, "body"),
])
def test_the_api_refuses_bad_changes_naming_the_field(app, as_user, path, body, field):
    referral_id = sent(as_user)
    receiver = as_user("receiver")
    headers = csrf_headers(receiver)
    if body is None:
        response = receiver.post(f"/api/referrals/{referral_id}/{path}", data="status=accepted", headers=headers)
    else:
        response = receiver.post(f"/api/referrals/{referral_id}/{path}", json=body, headers=headers)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field
    assert referral(app, referral_id)["version"] == 1


@pytest.mark.parametrize("query,parameter", [("status=done", "status"), ("box=sideways", "box"), ("page=0", "page")])
def test_the_inbox_names_a_bad_filter(as_user, query, parameter):
    response = as_user("sender").get(f"/referrals?{query}")
    assert response.status_code == 400 and parameter in response.get_data(as_text=True)


def test_the_deadline_clock_links_its_emails_to_the_sites_configured_address(app, as_user, monkeypatch):
    """The clock runs in a worker's thread, with no request to take an address from."""
    from app.referral_tasks import DeadlineClock

    messages = []
    monkeypatch.setattr("app.mail.send", lambda config, to, subject, body: messages.append(body) or True)
    referral_id = sent(as_user)
    app.config.update(ATLAS_SMTP_HOST="mail.example.org", ATLAS_BASE_URL="https://atlas.example.org/")
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE referrals SET created = '2020-01-06T15:00:00+00:00' WHERE id = ?", [referral_id])
    DeadlineClock(app).check()
    mail.wait_for_delivery()
    assert messages and all(f"https://atlas.example.org/referrals/{referral_id}" in body for body in messages)


def test_reading_referrals_never_waits_on_a_long_write_and_what_it_records_follows(app, as_user):
    """An import holds the write lock: the inbox and a referral still open at once (were they
    to wait, they would outlast the busy timeout and answer 503), and their audit rows, the
    receiver's first opening and the notifications read are written once the lock is free."""
    from app.db import readings

    referral_id = sent(as_user)
    receiver = as_user("receiver")
    views_before = len(audit_rows(app, "view"))
    app.config["ATLAS_BUSY_TIMEOUT_MS"] = 1000
    importer = Database(app.config["DATABASE"])
    with importer.write():
        importer.connection.execute("UPDATE programs SET seats = seats WHERE id = 'jobs-youth'")
        assert receiver.get("/referrals").status_code == 200
        assert receiver.get(f"/referrals/{referral_id}").status_code == 200
        assert receiver.get(f"/api/referrals/{referral_id}").status_code == 200
    importer.close()
    assert referral(app, referral_id)["received_at"] is None and len(audit_rows(app, "view")) == views_before
    with Database(app.config["DATABASE"]) as db:
        assert readings.flush_kept(db, app.instance_path) == 7  # 1 list + 2 views x (view, received, read)
        assert db.referrals.count_unread(db.accounts.find_user(email_of("receiver"))["id"]) == 0
    assert referral(app, referral_id)["received_at"] is not None
    assert len(audit_rows(app, "view")) == views_before + 2


def test_links_to_give_people_need_no_request(app):
    """Commands and the deadline clock build links with no request to take an address from."""
    from app.links import public_url

    with app.app_context():
        assert public_url(app, "referrals.detail", referral_id=7) == "http://127.0.0.1:5000/referrals/7"
        app.config["ATLAS_BASE_URL"] = "https://atlas.example.org/"
        assert public_url(app, "referrals.detail", referral_id=7) == "https://atlas.example.org/referrals/7"
    app.config["ATLAS_BASE_URL"] = ""
    with app.test_request_context(base_url="https://asked.example.org"):
        assert public_url(app, "referrals.detail", referral_id=7) == "https://asked.example.org/referrals/7"
