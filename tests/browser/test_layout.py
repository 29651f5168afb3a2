"""The shared layout on a phone and on a desk: axe finds nothing, nothing scrolls sideways, the
header leaves room for the page, focus is always visible, and the home page says plainly what
the atlas knows about intakes."""

import datetime as dt

import pytest

from ..support.rows import program_row
from .conftest import Served, axe_violations

pytestmark = pytest.mark.browser

PAGES = ["/", "/organizations", "/organizations/city-of-toronto", "/login", "/no-such-page"]
PHONE, NARROW_PHONE, DESK = 390, 320, 1280


@pytest.fixture(scope="module")
def atlas(bundled):
    """The bundled Toronto data served once for the module: real names, addresses and links
    are what overflow a narrow screen."""
    served = Served(bundled)
    yield served.url
    served.stop()


def open_at(browser, width, url, bypass_csp=False):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=bypass_csp)
    page = context.new_page()
    page.goto(url)
    return context, page


@pytest.mark.parametrize("width", [PHONE, DESK])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing(atlas, browser, path, width):
    context, page = open_at(browser, width, atlas + path, bypass_csp=True)
    try:
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_scrolls_sideways_on_a_narrow_phone(atlas, browser, path):
    context, page = open_at(browser, NARROW_PHONE, atlas + path)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    finally:
        context.close()


def test_the_header_leaves_the_page_room_on_a_phone(atlas, browser):
    context, page = open_at(browser, PHONE, atlas + "/")
    try:
        height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
        assert height <= 110
        assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").is_visible()
    finally:
        context.close()


def test_keyboard_focus_is_visible_on_every_control(atlas, browser):
    context, page = open_at(browser, PHONE, atlas + "/")
    try:
        seen = set()
        for _ in range(12):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => {
                const element = document.activeElement, style = getComputedStyle(element);
                return {name: element.tagName + ' ' + (element.textContent || element.id).trim().slice(0, 30),
                        outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
            }""")
            assert focused["outline"] != "none" and focused["width"] >= 2, focused
            seen.add(focused["name"])
        assert len(seen) == 12  # every press reached a new control
    finally:
        context.close()


def test_every_check_box_of_the_filters_is_the_same_size(atlas, browser):
    context, page = open_at(browser, DESK, atlas + "/programs")
    try:
        sizes = page.evaluate("""[...document.querySelectorAll('input[type=checkbox]')]
            .filter(box => box.offsetParent !== null)
            .map(box => { const r = box.getBoundingClientRect(); return [r.width, r.height]; })""")
        assert len(sizes) > 10 and set(map(tuple, sizes)) == {(20, 20)}
    finally:
        context.close()


def test_the_home_page_says_plainly_when_no_intake_date_is_published(live_server, page, catalogue):
    catalogue([
        program_row(id="rolling", name="Rolling Start", intake="continuous", next_intake_date=""),
        program_row(id="cohort", name="Cohort Someday", intake="cohort", next_intake_date=""),
    ])
    page.goto(live_server + "/")
    section = page.get_by_role("region", name="Next intakes")
    assert section.get_by_text(
        "No program in the atlas has published an upcoming intake date yet; 1 takes people in continuously.",
        exact=True).is_visible()
    section.get_by_role("link", name="See the program with continuous intake").click()
    assert page.get_by_role("link", name="Rolling Start").is_visible()
    assert page.get_by_role("link", name="Cohort Someday").count() == 0


def test_the_home_page_lists_the_soonest_intakes_first(live_server, page, catalogue):
    today = dt.date.today()
    catalogue([
        program_row(id="later", name="Later Cohort", next_intake_date=(today + dt.timedelta(days=60)).isoformat()),
        program_row(id="sooner", name="Sooner Cohort", next_intake_date=(today + dt.timedelta(days=10)).isoformat()),
        program_row(id="past", name="Past Cohort", next_intake_date=(today - dt.timedelta(days=10)).isoformat()),
        program_row(id="rolling", name="Rolling Start", intake="continuous", next_intake_date=""),
    ])
    page.goto(live_server + "/")
    items = page.get_by_role("region", name="Next intakes").get_by_role("listitem").all_inner_texts()
    assert [item.split(": ")[1].split(" (")[0] for item in items] == ["Sooner Cohort", "Later Cohort"]
    assert "published an upcoming intake date" not in page.content()
