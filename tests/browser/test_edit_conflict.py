"""Two people editing one listing in two browsers: the second sees what changed meanwhile, keeps
what they typed, and saves both changes without losing either."""

from ..support.accounts import PASSWORD
from .conftest import axe_violations, watched_page


def signed_in(browser, live_server, email, bypass_csp=False):
    page = watched_page(browser.new_context(bypass_csp=bypass_csp))
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_a_stale_save_shows_what_changed_and_keeps_the_typing(live_server, browser, people):
    editor = signed_in(browser, live_server, people["editor"])
    admin = signed_in(browser, live_server, people["admin"], bypass_csp=True)
    for page in (editor, admin):
        page.goto(live_server + "/programs/own-program/edit")

    editor.get_by_label("Eligibility").fill("Toronto residents aged 18 to 29.")
    editor.get_by_role("button", name="Save changes").click()
    assert editor.get_by_text("Your changes are saved.").is_visible()

    admin.get_by_label("What it offers").fill("Twelve weeks of cloud support training.")
    admin.get_by_role("button", name="Save changes").click()
    alert = admin.get_by_role("alert").filter(has_text="Someone else saved this listing")
    assert alert.is_visible()
    assert alert.get_by_role("cell", name="Toronto residents aged 18 to 29.").is_visible()
    assert admin.get_by_label("What it offers").input_value() == "Twelve weeks of cloud support training."
    assert admin.get_by_label("Eligibility").input_value() == "Toronto residents aged 18 to 29."

    assert axe_violations(admin) == []

    admin.get_by_role("button", name="Save changes").click()
    assert admin.get_by_text("Twelve weeks of cloud support training.").is_visible()
    assert admin.get_by_text("Toronto residents aged 18 to 29.").is_visible()
    offline = "Failed to load resource"  # map tiles: this machine has no internet
    assert [e for e in editor.errors + admin.errors if offline not in e] == []
