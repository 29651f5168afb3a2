"""The map in a real browser: markers per program, offline, no errors, no script from user text."""

from pathlib import Path

import pytest

from ..conftest import needs_geo_mirror, program_row
from .conftest import Served, axe_violations

pytestmark = [pytest.mark.browser, needs_geo_mirror]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`+alert(1)+`", "</script><script>alert(1)</script>"]
# Far enough apart that they stay separate markers at the zoom that fits them all.
SITES = {"M9W 5L7": "Rexdale", "M1B 5Z6": "Malvern", "M5H 2N2": "downtown", "M8V 1J4": "Long Branch"}


@pytest.fixture
def served(geo_app, write_csv):
    geo_app.config["ATLAS_MAP_TILES"] = "none"  # tests stay on 127.0.0.1
    rows = [
        program_row(id=f"site-{n}", name=f"{PAYLOADS[n % len(PAYLOADS)]} program {n}", postal_code=code,
                    organization=PAYLOADS[(n + 1) % len(PAYLOADS)], description=PAYLOADS[(n + 2) % len(PAYLOADS)],
                    sectors="ict" if n < 3 else "retail")
        for n, code in enumerate(SITES)
    ]
    result = geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv(rows))])
    assert result.exit_code == 0, result.output
    server = Served(geo_app)
    yield server.url
    server.stop()


def markers(page):
    page.wait_for_selector(".leaflet-marker-icon")
    return page.locator(".leaflet-marker-icon").count()


def test_the_map_shows_one_marker_per_program_of_the_search(served, page):
    page.goto(served + "/map?sector=ict")
    assert markers(page) == 3
    page.goto(served + "/map")
    assert markers(page) == 4
    assert page.get_by_role("heading", name="Programs per ward").is_visible()
    assert page.errors == []
    assert all(url.startswith("http://127.0.0.1") for url in page.requests), page.requests


def test_a_popup_is_filled_with_text_from_the_api(served, page):
    page.goto(served + "/map?sector=retail")
    page.locator(".leaflet-marker-icon").first.click()
    title = page.locator(".map-popup-title")
    title.wait_for()
    assert title.inner_text() == "</script><script>alert(1)</script> program 3"
    assert page.dialogs == [] and page.errors == []


@pytest.mark.parametrize("path", ["/programs", "/programs/site-0", "/programs/site-1", "/map", "/programs?q=program",
                                  "/organizations/test-community-services", "/organizations"])
def test_payloads_in_listings_fire_nothing(served, page, path):
    page.goto(served + path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.errors == []


@pytest.mark.parametrize("path", ["/map", "/programs/site-2", "/programs?q=program", "/", "/organizations",
                                  "/organizations/test-community-services"])
def test_axe_finds_no_wcag_2_a_or_aa_violations(served, axe_page, path):
    axe_page.goto(served + path)
    axe_page.wait_for_load_state("load")
    assert axe_violations(axe_page) == []


def test_the_map_takes_keyboard_focus_and_has_a_name(served, page):
    page.goto(served + "/map")
    region = page.get_by_role("region", name="Map of 4 programs", exact=False)
    assert region.is_visible()
    page.locator(".leaflet-container").focus()
    assert page.evaluate("document.activeElement.classList.contains('leaflet-container')")
    viewport = page.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
