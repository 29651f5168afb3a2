"""A convenor signs in, crosses two dimensions, follows a gap and a covered cell to their
programs, downloads the CSV, and the dashboard passes axe on a phone and a desk."""

import csv
import io
from pathlib import Path

import pytest

from ..support.accounts import PASSWORD
from ..support.rows import program_row
from .conftest import axe_violations

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)


@pytest.fixture
def convenor_site(live_server, catalogue, people):
    """Own Program and Other Program (youth and newcomers, ICT, city-wide) from ``people``, plus
    a women's retail program in ward 3."""
    catalogue([program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org"),
               program_row(id="other-program", name="Other Program", organization="Other Org",
                           organization_id="other-org"),
               program_row(id="retail-women", name="Retail Ready for Women", sectors="retail", populations="women",
                           interventions="job-readiness", service_area="ward:03", organization_id="own-org",
                           organization="Own Org")])
    return live_server, people["convenor"]


def sign_in(page, base, email):
    page.goto(base + "/gaps")
    assert "/login" in page.url
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/gaps**")


def cell(page, count, row, col):
    return page.get_by_role("link", name=f"{count} programs: {row}, {col}", exact=False).first


def test_a_convenor_changes_the_dimensions_follows_cells_and_downloads_csv(convenor_site, page):
    base, email = convenor_site
    sign_in(page, base, email)
    assert page.get_by_role("heading", level=1).inner_text() == "Gaps in the ecosystem"

    page.get_by_label("Rows", exact=True).select_option("population")
    page.get_by_label("Columns", exact=True).select_option("sector")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**rows=population**")
    assert page.get_by_role("table").first.get_by_role("rowheader", name="Black communities").is_visible()

    page.get_by_role("link", name="0 gap programs: Black communities, Construction and skilled trades").click()
    page.wait_for_url("**/programs?**")
    assert "population=black" in page.url and "sector=construction-trades" in page.url
    assert page.get_by_role("heading", name="0 programs").is_visible()

    page.go_back()
    page.get_by_role("link", name="2 thin programs: Youth, Information and communications technology").click()
    page.wait_for_url("**/programs?**")
    assert page.get_by_role("heading", name="2 programs").is_visible()
    assert page.get_by_role("link", name="Own Program").is_visible()

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this view as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    youth_ict = next(r for r in rows if r["Who it serves"] == "Youth" and r["Industry"].startswith("Information"))
    assert youth_ict["Programs"] == "2"
    assert page.errors == []


def test_the_continuum_calls_out_the_break_in_words(convenor_site, page):
    base, email = convenor_site
    sign_in(page, base, email)
    page.get_by_role("link", name="Continuum").click()
    page.wait_for_url("**view=continuum**")
    page.get_by_label("Who it serves", exact=True).select_option("women")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**view=continuum**population=women**")  # the answer's page has loaded
    assert page.get_by_text("The path cannot start: no active program offers Life stabilization.").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_passes_axe_on_a_phone_and_a_desk(convenor_site, axe_page, width):
    base, email = convenor_site
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, base, email)
    for view in ("coverage", "continuum", "place", "overlaps", "health"):
        axe_page.goto(base + f"/gaps?view={view}")
        assert axe_violations(axe_page) == [], view


@pytest.fixture
def public_map_site(public_bundled_geo):
    """The bundled catalogue with the City's boundaries and Census profiles, its gaps public."""
    from .conftest import Served

    served = Served(public_bundled_geo)
    yield served.url
    served.stop()


def open_place_map(page, url):
    page.goto(url)
    page.locator(".gaps-map path.leaflet-interactive").first.wait_for()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("query", ["", "&area=neighbourhood&measure=gap"])
def test_the_place_map_passes_axe_on_a_phone_and_a_desk(public_map_site, axe_page, width, query):
    axe_page.set_viewport_size({"width": width, "height": 900})
    open_place_map(axe_page, public_map_site + "/gaps?view=place" + query)
    assert axe_violations(axe_page) == []
    assert axe_page.errors == []


def test_tab_passes_over_the_areas_and_the_skip_link_leads_to_the_table(public_map_site, page):
    open_place_map(page, public_map_site + "/gaps?view=place")
    assert page.locator(".gaps-map path.leaflet-interactive").count() == 25
    page.get_by_role("link", name="Skip the map").focus()
    stops = []
    for _ in range(12):  # through the map and its zoom buttons to the table
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement;
            return [e.tagName.toLowerCase(), e.getAttribute('class') || '', e.closest('table') ? 'table' : ''].join(' '); }"""))
    assert not [s for s in stops if s.startswith(("path", "svg", "g ")) or "leaflet-interactive" in s], stops
    assert any("leaflet-container" in s for s in stops)  # the map itself: arrows move it, plus and minus zoom

    page.get_by_role("link", name="Skip the map").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#place-table")  # the browser reports the jump a moment after the key
    assert page.url.endswith("#place-table")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#place-table')")


def test_an_area_on_the_place_map_names_itself_and_its_figures(public_map_site, page):
    open_place_map(page, public_map_site + "/gaps?view=place&population=newcomers")
    area = page.locator(".gaps-map path.leaflet-interactive").first
    area.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".map-popup-title").inner_text().startswith("Ward ")
    assert "Programs serving it: " in popup.inner_text() and "Need index: " in popup.inner_text()
    assert page.locator(".atlas-gap-mark").count() == 5
    assert page.errors == []
