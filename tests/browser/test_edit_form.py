"""The edit form in a real browser: a refused save puts the person on its problems, a good one
says so, the small helpers work, and the pages pass axe on a phone and on a laptop."""

import pytest
from playwright.sync_api import expect

from ..support.accounts import PASSWORD
from ..support.rows import program_row
from .conftest import axe_violations, watched_page

pytestmark = pytest.mark.browser

EDIT = "/programs/own-program/edit"
OFFLINE = "Failed to load resource"  # map tiles: this machine has no internet


def signed_in(browser, live_server, email, width=1280, bypass_csp=False):
    page = watched_page(browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp))
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def errors(page):
    return [e for e in page.errors if OFFLINE not in e]


def test_a_refused_save_takes_the_person_to_the_problem(live_server, browser, people):
    page = signed_in(browser, live_server, people["editor"])
    page.goto(live_server + EDIT)
    page.get_by_label("Next intake").fill("2099-01-10")
    page.get_by_label("Apply by").fill("2099-02-01")
    page.get_by_role("button", name="Save changes").click()

    summary = page.get_by_role("region", name="There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Apply by")).to_be_focused()
    assert page.get_by_label("Apply by").input_value() == "2099-02-01"
    assert errors(page) == []


def test_a_good_save_is_confirmed_on_the_listing(live_server, browser, people):
    page = signed_in(browser, live_server, people["editor"])
    page.goto(live_server + EDIT)
    page.get_by_label("Seats").fill("24")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    assert page.url == live_server + "/programs/own-program"


def test_a_site_is_added_and_another_removed_with_the_buttons(live_server, browser, people, app):
    page = signed_in(browser, live_server, people["editor"])
    page.goto(live_server + EDIT)
    sites = page.locator("[data-sites]")
    sites.get_by_role("group", name="Site 2").get_by_label("Address").fill("5100 Yonge St")
    sites.get_by_role("group", name="Site 2").get_by_label("Postal code").fill("M2N 5V7")
    sites.get_by_role("button", name="Add another site").click()
    expect(sites.get_by_role("group", name="Site 3").get_by_label("Address")).to_be_focused()
    page.keyboard.type("789 Yonge St")
    sites.get_by_role("group", name="Site 3").get_by_label("Postal code").fill("M4W 2G8")
    sites.get_by_role("button", name="Remove site 1").click()
    expect(sites.get_by_role("group", name="Site 1").get_by_label("Address")).to_have_value("5100 Yonge St")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")

    from app.db import Database

    with Database(app.config["DATABASE"]) as db:
        saved = db.catalog.get_program("own-program")["sites"]
    assert [site["postal_code"] for site in saved] == ["M2N 5V7", "M4W 2G8"]
    assert errors(page) == []


def test_typing_narrows_the_languages_and_the_places_follow_the_choice(live_server, browser, people):
    page = signed_in(browser, live_server, people["editor"])
    page.goto(live_server + EDIT)
    languages = page.get_by_role("group", name="Languages")
    languages.get_by_label("Find in the list: Languages").fill("som")
    expect(languages.get_by_label("Somali")).to_be_visible()
    expect(languages.get_by_label("English")).to_be_visible()  # offered already, so never hidden
    expect(languages.get_by_label("Spanish")).to_be_hidden()

    area = page.get_by_role("group", name="Service area")
    expect(area.get_by_label("Ward 7", exact=True)).to_be_hidden()  # this program serves all of Toronto
    area.get_by_label("Particular wards or neighbourhoods").check()
    area.get_by_label("Ward 7", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    assert errors(page) == []


def test_a_long_value_in_the_history_stays_within_a_laptop_window(live_server, browser, people, catalogue):
    long_url = "https://example.org/" + "a-very-long-path-segment-" * 12
    catalogue([program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org",
                           website=long_url, description="word " * 300)])
    page = signed_in(browser, live_server, people["editor"])
    page.goto(live_server + "/programs/own-program/history")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.parametrize("width", [390, 1280])
def test_the_edit_history_and_administration_pages_pass_axe(live_server, browser, people, app, width):
    from app.db import Database

    with Database(app.config["DATABASE"]) as db, db.write():
        db.accounts.add_user({"email": "new@example.org", "name": "Nia New", "password_hash": "x", "role": "member",
                              "organization_id": "own-org", "status": "pending", "created": "2026-11-30T20:05:00+00:00"})
    page = signed_in(browser, live_server, people["admin"], width, bypass_csp=True)
    page.goto(live_server + EDIT)
    page.get_by_label("Seats").fill("24")
    page.get_by_role("button", name="Save changes").click()
    found, wide = {}, {}
    for path in (EDIT, "/programs/own-program/history", "/admin/"):
        page.goto(live_server + path)
        found[path] = axe_violations(page)
        wide[path] = page.evaluate("document.documentElement.scrollWidth") > width
    page.goto(live_server + EDIT)
    page.get_by_label("Apply by").fill("2099-02-01")
    page.get_by_label("Next intake").fill("2099-01-10")
    page.get_by_role("button", name="Save changes").click()
    found["refused save"] = axe_violations(page)
    page.goto(live_server + "/admin/")
    page.get_by_role("button", name="Approve Nia New").click()
    found["approval without a role"] = axe_violations(page)
    assert found == {key: [] for key in found}
    assert wide == {path: False for path in wide}  # only a table's own box scrolls sideways
