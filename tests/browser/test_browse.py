"""A caseworker opens the atlas in a real browser and follows a program from the list."""

import pytest

from ..support.rows import program_row

pytestmark = pytest.mark.browser


def test_home_page_leads_to_a_program_page(live_server, page, catalogue):
    catalogue(
        [
            program_row(),
            program_row(id="kitchen", name="Kitchen Skills", sectors="hospitality-food", populations="refugees"),
        ]
    )
    page.goto(live_server + "/")
    assert page.title() == "Home · Toronto Workforce Atlas"
    assert page.get_by_role("heading", level=1).inner_text() == "Toronto Workforce Atlas"

    page.get_by_role("link", name="Hospitality and food services").click()
    assert "sector=hospitality-food" in page.url
    page.get_by_role("link", name="Kitchen Skills").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Kitchen Skills"
    assert page.get_by_text("Refugees").is_visible()
    assert page.get_by_text("Compiled from public sources").first.is_visible()


def test_program_page_shows_escaped_text_and_runs_no_script(live_server, page, catalogue):
    catalogue([program_row(name="<img src=x onerror=alert(1)>", description="${alert(1)} ` </script><script>alert(2)</script>")])
    page.goto(live_server + "/programs/test-youth-tech")
    assert page.get_by_role("heading", level=1).inner_text() == "<img src=x onerror=alert(1)>"
    page.goto(live_server + "/programs")
    page.wait_for_load_state("load")
    assert page.dialogs == []


def test_keyboard_users_can_skip_to_the_content(live_server, page, catalogue):
    catalogue([program_row()])
    page.goto(live_server + "/organizations")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
