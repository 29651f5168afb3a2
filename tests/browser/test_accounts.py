"""Sign up, approval, sign in and editing a listing, in a real browser."""

import pytest

from ..support.accounts import PASSWORD
from ..support.rows import program_row

pytestmark = pytest.mark.browser


def test_sign_up_approval_sign_in_and_edit(live_server, browser, catalogue, runner):
    catalogue([program_row(id="kitchen", name="Kitchen Start", organization="Kitchen Org", organization_id="kitchen-org")])
    runner.invoke(args=["create-user", "admin@example.org", "--password", PASSWORD])

    newcomer = browser.new_context().new_page()
    newcomer.goto(live_server + "/signup")
    newcomer.get_by_label("Your name").fill("Sam Editor")
    newcomer.get_by_label("Email").fill("sam@kitchen.example.org")
    newcomer.get_by_label("Password (at least 8 characters)").fill(PASSWORD)
    newcomer.get_by_label("Your organization").select_option("kitchen-org")
    newcomer.get_by_role("button", name="Request account").click()
    assert newcomer.get_by_role("heading", name="Thank you").is_visible()

    admin = browser.new_context().new_page()
    admin.goto(live_server + "/login")
    admin.get_by_label("Email").fill("admin@example.org")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.get_by_role("link", name="Administration").click()
    admin.get_by_label("Role for Sam Editor").select_option("editor")
    admin.get_by_role("button", name="Approve Sam Editor").click()
    assert admin.get_by_role("button", name="Disable Sam Editor").is_visible()

    newcomer.goto(live_server + "/login")
    newcomer.get_by_label("Email").fill("sam@kitchen.example.org")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Sign in").click()
    newcomer.goto(live_server + "/programs/kitchen")
    newcomer.get_by_role("link", name="Edit this listing").click()
    newcomer.get_by_label("What it offers").fill("Twelve weeks of commercial kitchen training, then a paid placement.")
    newcomer.get_by_role("group", name="Who it serves").get_by_label("Refugees").check()
    newcomer.get_by_role("button", name="Save changes").click()
    assert newcomer.get_by_text("Twelve weeks of commercial kitchen training").is_visible()
    assert newcomer.get_by_text("Refugees").first.is_visible()
    newcomer.get_by_role("link", name="History").click()
    assert newcomer.get_by_role("row").filter(has_text="Sam Editor").filter(has_text="What it offers").is_visible()
