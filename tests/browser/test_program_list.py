"""The program list as a caseworker uses it: on a phone, with the keyboard, with a screen reader."""

import pytest

from ..support.rows import program_row
from .conftest import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def many_programs():
    """Enough programs and filter values that the sidebar is as long as on the real site."""
    populations = ["youth", "newcomers", "women", "refugees", "black", "indigenous", "disabilities", "odsp"]
    sectors = ["ict", "hospitality-food", "construction-trades", "health-care-social", "manufacturing", "retail"]
    return [
        program_row(id=f"program-{n:02d}", name=f"Program {n:02d}", populations=populations[n % 8],
                    sectors=sectors[n % 6], languages=["en", "fr", "es", "pt", "zh", "ar"][n % 6])
        for n in range(30)
    ]


def test_on_a_phone_the_first_result_shows_on_the_first_screen(live_server, page, catalogue):
    catalogue(many_programs())
    page.set_viewport_size(PHONE)
    for path in ("/programs?near=M1B+3C3&radius_km=5&population=youth", "/programs?population=youth&population=women"):
        page.goto(live_server + path)
        first = page.locator(".program-card").first.bounding_box()
        assert first["y"] < PHONE["height"], f"the first result of {path} starts at {first['y']:.0f} px"
    toggle = page.get_by_role("button", name="Filters (2)")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert page.get_by_label("Youth").first.is_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]


def test_nothing_scrolls_sideways_at_320_pixels(live_server, page, catalogue):
    catalogue(many_programs())
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/programs?near=M1B&q=program")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_skip_link_reaches_the_first_result_in_two_tabs(live_server, page, catalogue, viewport):
    catalogue(many_programs())
    page.set_viewport_size(viewport)
    page.goto(live_server + "/programs")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.program-card') !== null")
    assert focused, page.evaluate("document.activeElement.outerHTML")
    assert page.evaluate("document.activeElement.textContent") == "Program 00"


def test_space_on_a_filter_ticks_it_and_keeps_focus_there(live_server, page, catalogue):
    catalogue(many_programs())
    page.set_viewport_size(DESKTOP)
    page.goto(live_server + "/programs")
    box = page.get_by_label("Youth (4)")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert box.is_checked()
    assert page.url == live_server + "/programs"
    assert page.evaluate("document.activeElement.id") == "f-population-youth"
    page.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_url("**population=youth**")
    assert page.get_by_role("heading", name="4 programs").is_visible()


def test_a_mistyped_postal_code_keeps_the_search(live_server, page, catalogue):
    catalogue(many_programs())
    page.goto(live_server + "/programs?population=youth")
    page.get_by_label("Client's postal code").fill("K1A 0B1")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("is not a Toronto postal code").is_visible()
    page.wait_for_function("document.activeElement.id === 'near'")  # the mistake is where focus is
    assert page.get_by_role("heading", name="4 programs").is_visible()
    assert page.get_by_label("Client's postal code").input_value() == "K1A 0B1"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_list_has_no_accessibility_violations(live_server, axe_page, catalogue, viewport):
    catalogue(many_programs())
    axe_page.set_viewport_size(viewport)
    axe_page.goto(live_server + "/programs?near=M1B&q=program&population=youth")
    assert axe_violations(axe_page) == []
    axe_page.goto(live_server + "/programs?q=zzzzqqq")
    assert axe_violations(axe_page) == []
