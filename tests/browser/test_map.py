"""The map in a real browser: markers per program, offline, no errors, no script from user text."""

import re
from pathlib import Path

import pytest

from app.db import Database
from app.geo.postcodes import locate

from ..support.geo import needs_geo_mirror
from ..support.rows import program_row
from .conftest import Served, axe_violations

pytestmark = [pytest.mark.browser, needs_geo_mirror]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`+alert(1)+`", "</script><script>alert(1)</script>"]
# Far enough apart that they stay separate markers at the zoom that fits them all.
SITES = {"M9W 5L7": "Rexdale", "M1B 5Z6": "Malvern", "M5H 2N2": "downtown", "M8V 1J4": "Long Branch"}
MAP = "(() => { for (const key of Object.keys(window)) { if (key.startsWith('map_')) return window[key]; } })()"
WIDTHS = (390, 1280)  # a phone and a desk


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


@pytest.fixture(scope="module")
def bundled_site(bundled_geo):
    """The bundled Toronto data with the boundaries, served; with the program having most sites."""
    with Database(bundled_geo.config["DATABASE"]) as db:
        busiest = max(db.catalog.all_programs(), key=lambda p: len(p["sites"]))["id"]
    server = Served(bundled_geo)
    yield server.url, busiest
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


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["the map", "the program with most sites"])
def test_axe_finds_nothing_on_maps_of_the_bundled_data(bundled_site, axe_page, which, width):
    url, busiest = bundled_site
    axe_page.set_viewport_size({"width": width, "height": 800})
    axe_page.goto(url + ("/map" if which == "the map" else f"/programs/{busiest}"))
    markers(axe_page)
    axe_page.wait_for_timeout(500)  # clusters settle
    assert axe_violations(axe_page) == []
    assert axe_page.errors == []


def test_every_tab_stop_on_the_map_has_a_name_and_areas_are_none_of_them(bundled_site, page):
    url, _ = bundled_site
    page.goto(url + "/map")
    markers(page)
    assert re.fullmatch(r"Map of \d+ programs", page.locator(".leaflet-container").get_attribute("aria-label"))
    page.locator(".leaflet-container").focus()
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e.closest('.leaflet-container')) return null;
            return {tag: e.tagName.toLowerCase(), name: (e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent).trim()};
        }""")
        if stop is None:
            break
        stops.append(stop)
    assert len(stops) > 3  # clusters, zoom buttons
    assert [stop for stop in stops if not stop["name"] or stop["tag"] == "path"] == []


def test_a_filtered_map_still_shows_the_whole_city(served, page):
    page.goto(served + "/map?sector=retail")  # one site, in Long Branch
    assert markers(page) == 1
    assert page.evaluate(f"{MAP}.getBounds().contains(L.latLngBounds([[43.59, -79.63], [43.85, -79.12]]))")


def test_a_map_near_a_postal_code_opens_on_its_neighbourhood(served, page):
    latitude, longitude, _ = locate("M1B 5Z6")
    page.goto(served + "/map?near=M1B+5Z6")
    markers(page)
    zoom, centre = page.evaluate(f"[{MAP}.getZoom(), {MAP}.getCenter()]")
    assert zoom == 13
    assert abs(centre["lat"] - latitude) < 0.001 and abs(centre["lng"] - longitude) < 0.001
    assert page.get_by_text("Where you searched near: M1B 5Z6.").is_visible()


def test_wards_are_numbered_on_the_whole_city_and_named_closer_in(served, page):
    page.goto(served + "/map")
    markers(page)
    ward = page.locator(".ward-label", has_text="Humber River-Black Creek")
    assert ward.locator(".area-number").is_visible() and ward.locator(".area-number").inner_text() == "7"
    assert not ward.locator(".area-name").is_visible()
    page.locator(".leaflet-container").focus()
    page.keyboard.press("Shift+Equal")  # Leaflet: three levels in
    page.locator(".leaflet-container.zoom-12").wait_for()
    assert ward.locator(".area-name").inner_text() == "Ward 7 Humber River-Black Creek"
    assert ward.locator(".area-name").is_visible() and not ward.locator(".area-number").is_visible()


def test_the_legend_switches_layers_on_and_off(served, page):
    page.goto(served + "/map")
    markers(page)
    areas = page.locator(".leaflet-overlay-pane path")
    assert areas.count() == 25
    page.get_by_role("checkbox", name="Programs per neighbourhood").check()
    assert areas.count() == 25 + 158
    page.get_by_role("checkbox", name="Programs per ward").uncheck()
    assert areas.count() == 158
    page.get_by_role("checkbox", name="Program sites").uncheck()
    assert page.locator(".leaflet-marker-icon").count() == 0


def test_each_marker_of_a_program_shows_its_own_address(geo_app, write_csv, page):
    geo_app.config["ATLAS_MAP_TILES"] = "none"
    sites = write_csv([{"program_id": "two-sites", "address": "Malvern branch", "postal_code": "M1B 5Z6",
                        "latitude": "", "longitude": "", "location_precision": ""}], name="sites.csv")
    programs = write_csv([program_row(id="two-sites", address="Rexdale branch", postal_code="M9W 5L7")])
    result = geo_app.test_cli_runner().invoke(args=["import-programs", str(programs), "--sites", str(sites)])
    assert result.exit_code == 0, result.output
    server = Served(geo_app)
    try:
        page.goto(server.url + "/programs/two-sites")
        assert markers(page) == 2
        seen = []
        for n in range(2):
            page.locator(".atlas-site").nth(n).focus()
            page.keyboard.press("Enter")
            page.locator(".map-popup-title").wait_for()
            seen.append(page.locator(".map-popup").inner_text())
            page.keyboard.press("Escape")
            page.locator(".leaflet-popup").wait_for(state="detached")
        assert sorted("Malvern branch" in text for text in seen) == [False, True]
        assert sorted("Rexdale branch" in text for text in seen) == [False, True]
    finally:
        server.stop()
