"""A caseworker searches, ticks a facet and follows a result, in a real browser."""

import pytest

from ..support.rows import program_row

pytestmark = pytest.mark.browser


def test_search_tick_a_facet_and_open_a_result(live_server, page, catalogue):
    catalogue(
        [
            program_row(id="kitchen-youth", name="Kitchen Skills for Youth", sectors="hospitality-food", populations="youth",
                        description="Commercial kitchen training with a paid placement."),
            program_row(id="kitchen-refugees", name="Kitchen Start", sectors="hospitality-food", populations="refugees",
                        description="Kitchen training and job matching for refugee claimants."),
            program_row(id="coding", name="Code Launch", description="Software training."),
        ]
    )
    page.goto(live_server + "/programs")
    page.get_by_label("Search programs").fill("kitchen")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="2 programs").is_visible()
    assert page.locator("mark").first.inner_text().lower() == "kitchen"

    page.get_by_label("Refugees (1)").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_url("**population=refugees**")
    assert page.get_by_role("heading", name="1 program").is_visible()
    assert page.get_by_label("Refugees (1)").is_checked()

    page.get_by_role("link", name="Kitchen Start").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kitchen Start"
    assert page.dialogs == []
