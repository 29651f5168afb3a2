"""A caseworker matches a client, keeps a shortlist and prints a plan, in a real browser."""

import pytest

from ..support.rows import catalogue_for_matching
from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_match_shortlist_and_print_a_plan(live_server, axe_page, catalogue):
    catalogue(catalogue_for_matching())
    page = axe_page
    page.goto(live_server + "/match")
    assert axe_violations(page) == []
    page.get_by_label("Age", exact=True).fill("19")
    page.get_by_text("Groups, industries and services").click()
    page.get_by_label("Information and communications technology").check()
    page.get_by_role("button", name="Find programs").click()
    assert "age=" not in page.url, "the profile stays out of the address"
    card = page.locator(".match-card").first
    assert card.get_by_role("link").inner_text() == "Youth Tech"
    assert page.get_by_role("heading", name="2 programs this client can join").is_visible()

    card.get_by_role("button", name="Add to shortlist").click()
    shortlist = page.get_by_role("complementary", name="Shortlist")
    assert shortlist.get_by_text("Youth Tech").is_visible()
    remove = card.get_by_role("button", name="Remove from shortlist")
    assert remove.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.activeElement.textContent").startswith("Remove from shortlist"), "focus stays put"
    assert page.get_by_role("status").filter(has_text="Youth Tech added to the shortlist.").count() == 1
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == []

    page.get_by_role("button", name="Make a link to this search").click()
    assert "age=19" in page.get_by_label("Link to this search").input_value()

    page.get_by_role("link", name="Print a plan for the client").click()
    assert page.get_by_role("heading", name="Youth Tech").is_visible()
    assert page.get_by_text("Call the intake line.").is_visible()
    address = page.url.removeprefix(live_server)  # the server's own port may hold a "19"
    assert "age" not in address and "19" not in address
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")
    assert axe_violations(page) == []

    page.goto(live_server + "/match")
    assert page.get_by_role("complementary", name="Shortlist").count() == 0  # no results: no shortlist panel
    assert page.errors == []


def test_a_bad_value_focuses_the_error_summary(live_server, page, catalogue):
    catalogue(catalogue_for_matching())
    page.goto(live_server + "/match")
    page.get_by_label("Home postal code").fill("K1A 0B1")
    page.get_by_role("button", name="Find programs").click()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.get_by_role("link", name="not a Toronto postal code").click()
    assert page.evaluate("document.activeElement.id") == "m-near"
