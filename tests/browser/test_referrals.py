"""A caseworker refers a client found by matching; the program receives, accepts, starts and
completes it and records the outcome; the caseworker rates the fit. Two organizations, two
browsers, a real server."""

import pytest

from ..support.accounts import PASSWORD
from ..support.referral_world import PROGRAMS, add_people, email_of
from .conftest import axe_violations, watched_page

pytestmark = pytest.mark.browser


def sign_in(page, base, name):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email_of(name))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def no_axe_violations(page):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], page.url


def choose_move(page, label, reason=None):
    page.get_by_label(label).check()
    if reason:
        page.get_by_label("Reason (needed").select_option(label=reason)
    page.get_by_role("button", name="Save", exact=True).click()


def test_match_refer_receive_accept_start_complete_outcome_and_rating(live_server, browser, catalogue, app):
    catalogue(PROGRAMS)
    add_people(app)
    sender = watched_page(browser.new_context(bypass_csp=True))
    receiver = watched_page(browser.new_context(bypass_csp=True))

    sign_in(sender, live_server, "sender")
    sender.goto(live_server + "/match")
    sender.get_by_label("Age", exact=True).fill("22")
    sender.get_by_role("button", name="Find programs").click()
    card = sender.locator(".match-card").filter(has=sender.get_by_role("link", name="Jobs Youth Cohort"))
    assert card.get_by_role("button", name="Refer this client").is_visible()
    card.get_by_role("button", name="Add to shortlist").click()  # refer from the shortlist
    shortlist = sender.get_by_role("complementary", name="Shortlist")
    shortlist.get_by_role("button", name="Refer this client").click()
    assert sender.get_by_role("heading", name="Refer a client to Jobs Youth Cohort").is_visible()
    no_axe_violations(sender)

    sender.get_by_label("Your reference for the client").fill("Maria Lopez")
    sender.get_by_role("button", name="Send referral").click()
    summary = sender.locator("[data-error-summary]")
    assert summary.is_visible()
    assert sender.evaluate("document.activeElement.hasAttribute('data-error-summary')"), "focus on the problems"
    assert summary.get_by_role("link", name="Your reference for the client").count() == 1
    assert summary.get_by_role("link", name="Consent").count() == 1
    no_axe_violations(sender)
    sender.get_by_label("Your reference for the client").fill("CL-2026-014")
    sender.get_by_label("The client agreed to be referred to Jobs Org.").check()
    sender.get_by_label("How they agreed").select_option(label="By phone")
    sender.get_by_label("Yes, the client agreed to that too").check()
    sender.get_by_role("button", name="Send referral").click()
    assert sender.get_by_text("Referral sent to Jobs Youth Cohort.").is_visible()
    referral_url = sender.url
    assert "Age: 22" in sender.locator(".referral-facts").inner_text()

    sign_in(receiver, live_server, "receiver")
    assert receiver.get_by_role("link", name="Referrals (1 update)").is_visible()
    receiver.get_by_role("link", name="Referrals (1 update)").click()
    assert receiver.get_by_text("Not opened", exact=True).is_visible()
    no_axe_violations(receiver)
    receiver.get_by_role("link", name="Referral 1", exact=True).click()
    assert receiver.get_by_text("CL-2026-014").is_visible()
    no_axe_violations(receiver)
    choose_move(receiver, "Accept")
    choose_move(receiver, "Mark as started")
    choose_move(receiver, "Mark as completed")
    receiver.get_by_label("What the client went on to").select_option(label="Employed")
    receiver.get_by_role("button", name="Record the outcome").click()
    assert receiver.get_by_text("The outcome is recorded.").is_visible()

    sender.goto(referral_url)
    assert sender.locator(".referral-state").get_by_text("Completed").is_visible()
    assert sender.locator(".referral-facts").get_by_text("Employed").is_visible()
    timeline = sender.get_by_role("list").filter(has_text="Opened by Receiver")
    for step in ("Sent by Sender", "Now “Accepted”, by Receiver", "Now “Started”, by Receiver",
                 "Now “Completed”, by Receiver", "Outcome recorded by Receiver"):
        assert timeline.get_by_text(step).count() == 1, step
    sender.get_by_label("4", exact=True).check()
    sender.get_by_role("button", name="Save feedback").click()
    assert sender.get_by_text("4 out of 5").is_visible()
    no_axe_violations(sender)
    # The refused form answered 400, which the browser logs; nothing else went wrong.
    assert [e for e in sender.errors + receiver.errors if "status of 400" not in e] == []
