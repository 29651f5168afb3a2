"""The convenor dashboard over the bundled data: coverage counts a convenor can trust, zeros
shown, gaps called out, and who may see it (its arithmetic as pure functions:
tests/unit/test_gaps.py)."""

import csv
import html
import io
import itertools
import re
import urllib.parse

import pytest

from app.catalog.vocabulary import load_all
from app.gaps import accessibility, need
from app.gaps.dimensions import DIMENSIONS
from app.settings import PROJECT_ROOT

from ..support.accounts import sign_in
from ..support.geo import GEO_MIRROR, needs_geo_mirror
from ..support.rows import program_row

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")


# --- the API and the page over the bundled data ------------------------------------------------

@pytest.fixture(scope="module")
def public(public_bundled):
    """A client of the bundled data, its dashboard open to everyone (an app of its own)."""
    return public_bundled.test_client()


def api_programs(client, url):
    """The /api/programs answer for a /programs link."""
    parsed = urllib.parse.urlsplit(url)
    assert parsed.path == "/programs"
    return client.get(f"/api/programs?{parsed.query}&per_page=1").get_json()


PAIRS = list(itertools.combinations([d.name for d in DIMENSIONS], 2))


@pytest.mark.parametrize("rows,cols", PAIRS, ids=[f"{r}-{c}" for r, c in PAIRS])
def test_every_coverage_count_is_the_programs_total_for_its_filters(public, rows, cols):
    """For each row value, /api/programs with that value gives facet counts for the columns,
    each the total that adding the column's value returns: every cell must equal them."""
    data = public.get(f"/api/gaps?rows={rows}&cols={cols}").get_json()
    by_row = {}
    for cell in data["cells"]:
        by_row.setdefault(cell["row"], {})[cell["col"]] = cell["count"]
    assert len(data["cells"]) == len(data["rows"]) * len(data["cols"])
    for row, counts in by_row.items():
        found = public.get(f"/api/programs?type=program&{rows}={row}&per_page=1").get_json()
        expected = found["facets"][cols]
        assert counts == {col: expected.get(col, 0) for col in counts}, row
        assert data["row_totals"][row] == found["total"]


def test_each_cell_link_leads_to_exactly_its_count_of_programs(public):
    data = public.get("/api/gaps?rows=stage&cols=population&ward=07").get_json()
    zeros = [c for c in data["cells"] if c["count"] == 0]
    assert zeros, "the bundled data has gaps for ward 7"
    for cell in data["cells"][:40] + zeros[:5]:
        assert api_programs(public, cell["programs_url"])["total"] == cell["count"]


def test_a_filter_on_a_dimension_chooses_its_rows_and_other_filters_narrow_every_cell(public):
    data = public.get("/api/gaps?rows=population&cols=stage&population=youth&population=newcomers&sector=ict").get_json()
    assert [r["slug"] for r in data["rows"]] == ["youth", "newcomers"]
    cell = next(c for c in data["cells"] if c["row"] == "youth" and c["col"] == "skills-training")
    assert "sector=ict" in cell["programs_url"]
    assert api_programs(public, cell["programs_url"])["total"] == cell["count"]
    total = public.get("/api/programs?type=program&population=youth&population=newcomers&sector=ict").get_json()["total"]
    assert data["total"] == total


def test_funders_are_a_filter_of_their_own(public):
    data = public.get("/api/gaps?rows=funder&cols=stream").get_json()
    assert [r["slug"] for r in data["rows"]] == [t.slug for t in VOCABULARIES["funders"].terms]
    assert sum(data["row_totals"].values()) > 0


@pytest.mark.parametrize("query,field", [
    ("rows=colour", "rows"), ("rows=sector&cols=sector", "cols"), ("cols=nope", "cols"),
    ("population=martians", "population"), ("ward=99", "ward"),
])
def test_a_wrong_parameter_is_named_in_a_json_error(public, query, field):
    response = public.get(f"/api/gaps?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


@pytest.mark.parametrize("query,field", [("view=pie", "view"), ("view=place&catchment_km=900", "catchment_km"),
                                         ("view=place&area=planet", "area"), ("format=xls", "format")])
def test_a_wrong_page_parameter_gets_a_page_naming_it(public, query, field):
    response = public.get(f"/gaps?{query}")
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


# --- who may see it ------------------------------------------------------------------------

def test_visitors_are_sent_to_sign_in_and_the_api_says_401(client):
    response = client.get("/gaps?rows=ward")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get("/api/gaps")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role,allowed", [("member", False), ("editor", False), ("convenor", True), ("admin", True)])
def test_only_convenors_and_administrators_see_the_dashboard(app, client, people, role, allowed):
    sign_in(client, people[role])
    page, api = client.get("/gaps"), client.get("/api/gaps")
    assert page.status_code == (200 if allowed else 403)
    assert api.status_code == (200 if allowed else 403)
    if not allowed:
        assert api.get_json()["error"]["code"] == "forbidden"
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/gaps"' in nav) == allowed


def test_the_setting_makes_the_figures_public_but_not_who_holds_accounts(app, client, people):
    app.config["ATLAS_PUBLIC_GAPS"] = 1
    assert client.get("/api/gaps").status_code == 200
    page = client.get("/gaps?view=health").get_data(as_text=True)
    assert "no editor account" not in page
    sign_in(client, people["convenor"])
    page = client.get("/gaps?view=health").get_data(as_text=True)
    assert "Organizations with no editor account" in page and "Other Org" in page


# --- the page and its exports --------------------------------------------------------------

def read_csv(response):
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_coverage_csv_has_every_cell_with_its_count_and_link(public):
    rows = read_csv(public.get("/gaps?rows=stage&cols=stream&format=csv"))
    data = public.get("/api/gaps?rows=stage&cols=stream").get_json()
    assert len(rows) == len(data["cells"])
    assert [int(r["Programs"]) for r in rows] == [c["count"] for c in data["cells"]]
    assert {r["Gap or thin"] for r in rows if r["Programs"] == "0"} == {"gap"}


@pytest.mark.parametrize("view", ["continuum", "place", "overlaps", "health"])
def test_every_view_exports_as_csv_and_shows_as_a_page(public, view):
    assert read_csv(public.get(f"/gaps?view={view}&format=csv&population=youth"))
    page = public.get(f"/gaps?view={view}&population=youth")
    assert page.status_code == 200 and "Download this view as CSV" in page.get_data(as_text=True)


def test_without_the_census_the_place_views_say_how_to_get_it(public):
    page = public.get("/gaps?view=largest&population=youth").get_data(as_text=True)
    assert "fetch-geodata" in page


def test_place_and_need_sets_supply_per_young_resident_beside_the_census(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=place&population=youth&format=csv"))
    assert len(rows) == 25
    ward_1 = rows[0]
    assert ward_1["Unemployment rate (%)"] == "16.5" and ward_1["Residents of the group"] == "26825"
    served = int(ward_1["Programs serving it"])
    assert float(ward_1["Programs serving it per 10,000 residents"]) == round(10_000 * served / 26825, 2)
    hoods = read_csv(public_geo.get("/gaps?view=place&area=neighbourhood&format=csv"))
    assert len(hoods) == 158
    assert sum(1 for r in hoods if r["City designation"] == "NIA") == 33


def test_the_largest_gaps_are_needy_places_with_little_access_and_link_to_the_nearest_programs(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=largest&population=newcomers&format=csv"))
    assert len(rows) == 10
    scores = [float(r["Gap score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > 50
    assert float(rows[0]["Need index (0 to 100)"]) > float(rows[0]["Supply rank (0 to 100)"])
    page = public_geo.get("/gaps?view=largest&population=newcomers").get_data(as_text=True)
    assert "sort=distance" in page and "near=43." in page


def test_a_wider_catchment_reaches_more_programs(public_geo):
    def access(km):
        rows = read_csv(public_geo.get(f"/gaps?view=place&area=neighbourhood&catchment_km={km}&format=csv"))
        return sum(float(r["Accessibility (2SFCA, programs within reach per 10,000 residents)"] or 0) > 0 for r in rows)

    assert access(1) < access(10)


def test_local_labour_market_sets_residents_industries_beside_programs(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=lmi&lmi_ward=01&format=csv"))
    construction = next(r for r in rows if r["Industry"] == "Construction and skilled trades")
    assert construction["Employed residents"] == "4245"
    assert public_geo.get("/gaps?view=lmi&lmi_ward=01").status_code == 200


def test_formulas_in_what_organizations_wrote_are_neutralised_in_the_csv_and_escaped_on_the_page(client, catalogue,
                                                                                                  people):
    catalogue([program_row(id="formula", organization="=HYPERLINK(\"http://x\")", organization_id="evil-org",
                           last_verified="2020-01-01", name="<script>alert(1)</script>")])
    sign_in(client, people["convenor"])
    rows = read_csv(client.get("/gaps?view=health&format=csv"))
    names = [r["Name"] for r in rows]
    assert "'=HYPERLINK(\"http://x\")" in names and "=HYPERLINK(\"http://x\")" not in names
    page = client.get("/gaps?view=health&q=%3Cscript%3E").get_data(as_text=True)
    assert "<script>alert" not in page


def test_the_matrix_prints_the_number_in_every_cell_and_says_gap_in_words(public):
    page = public.get("/gaps?rows=stream&cols=funder").get_data(as_text=True)
    data = public.get("/api/gaps?rows=stream&cols=funder").get_json()
    assert page.count('<td class="shade-') == len(data["cells"])
    gaps = sum(1 for c in data["cells"] if c["count"] == 0)
    assert page.count('class="level-word">gap<') == gaps + 1  # plus the key


# --- every number shown is what its link finds (review of issue 13) -----------------------------

COUNT_LINK = re.compile(r'<a href="(/programs\?[^"]+)">(?:<span class="stage-count">)?(\d+)')


def shown_counts(client, url):
    """[(programs link, number shown on it)] of a dashboard page."""
    response = client.get(url)
    assert response.status_code == 200, url
    return [(html.unescape(link), int(n)) for link, n in COUNT_LINK.findall(response.get_data(as_text=True))]


@needs_geo_mirror
@pytest.mark.parametrize("url,least", [
    ("/gaps?view=place", 25),
    ("/gaps?view=place&ward=05", 1),
    ("/gaps?view=place&ward=05&ward=07&population=youth", 2),
    ("/gaps?view=place&area=neighbourhood", 158),
    ("/gaps?view=place&area=neighbourhood&neighbourhood=001", 1),
    ("/gaps?view=place&area=neighbourhood&ward=05", 158),
    ("/gaps?view=place&site_ward=05&population=newcomers", 25),
    ("/gaps?view=largest&area=ward&ward=05", 1),
    ("/gaps?view=continuum&population=youth", 26 * 6),
    ("/gaps?view=continuum&ward=05&population=youth", 2 * 6),
    ("/gaps?view=continuum&stage=job-retention&ward=05&ward=10", 3 * 6),
    ("/gaps?view=overlaps", 5),
    ("/gaps?view=overlaps&population=youth", 3),
    ("/gaps?view=overlaps&ward=05&sector=ict", 1),
    ("/gaps?view=lmi&lmi_ward=07", 12),
    ("/gaps?view=lmi&lmi_ward=07&sector=ict&site_ward=03", 12),
])
def test_every_place_continuum_overlap_and_labour_market_count_is_what_its_link_finds(public_geo, url, least):
    counts = shown_counts(public_geo, url)
    assert len(counts) >= least
    wrong = [(link, n, total) for link, n in counts if (total := api_programs(public_geo, link)["total"]) != n]
    assert not wrong, wrong[:3]


@needs_geo_mirror
def test_a_filter_on_the_areas_chooses_the_rows_instead_of_narrowing_each(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=place&ward=05&ward=07&format=csv"))
    assert [r["Area"][:7] for r in rows] == ["Ward 5 ", "Ward 7 "]
    every = {r["Area"]: r for r in read_csv(public_geo.get("/gaps?view=place&format=csv"))}
    for row in rows:  # the same figures, ranks among all 25 wards included
        assert {k: row[k] for k in PLACE_FIGURES} == {k: every[row["Area"]][k] for k in PLACE_FIGURES}


PLACE_FIGURES = ("Programs serving it", "Need index (0 to 100)", "Supply rank (0 to 100)", "Gap score")


def test_overlaps_keep_to_the_chosen_population_industry_and_stage(public):
    rows = read_csv(public.get("/gaps?view=overlaps&format=csv&population=youth"))
    assert rows and {r["Who it serves"] for r in rows} == {"Youth"}
    rows = read_csv(public.get("/gaps?view=overlaps&format=csv&sector=ict&stage=skills-training"))
    assert rows and {(r["Industry"], r["Stage of the continuum"]) for r in rows} == {
        ("Information and communications technology", "Skills training")}
    assert len(read_csv(public.get("/gaps?view=overlaps&format=csv"))) > len(rows)


# --- who may see organizations ---------------------------------------------------------------

def test_public_figures_do_not_list_organizations_needing_re_checking(app, client, people):
    app.config["ATLAS_PUBLIC_GAPS"] = 1
    page = client.get("/gaps?view=health").get_data(as_text=True)
    assert "by industry" in page and "by organization" not in page and "Other Org" not in page
    rows = read_csv(client.get("/gaps?view=health&format=csv"))
    assert rows and "Organization" not in {r["Part"] for r in rows}
    sign_in(client, people["convenor"])
    assert "Needing re-checking, by organization" in client.get("/gaps?view=health").get_data(as_text=True)
    assert "Organization" in {r["Part"] for r in read_csv(client.get("/gaps?view=health&format=csv"))}


# --- accessibility is never rounded away ---------------------------------------------------------

ACCESS = "Accessibility (2SFCA, programs within reach per 10,000 residents)"


@needs_geo_mirror
def test_a_neighbourhood_with_a_site_in_it_shows_accessibility_above_zero(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=place&area=neighbourhood&format=csv"))
    sited = [r for r in rows if int(r["Programs with a site in it"]) > 0]
    assert len(sited) > 20
    assert [r["Area"] for r in sited if float(r[ACCESS]) == 0] == []
    page = public_geo.get("/gaps?view=place&area=neighbourhood").get_data(as_text=True)
    table = page[page.index('id="place-table"'):]
    for name, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
        located, access = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", cells, re.S)][1:5:3]
        if int(located) > 0:
            assert float(access.replace(",", "")) > 0, name


# --- the coverage key states the shades' real ranges ---------------------------------------------

@pytest.mark.parametrize("query", ["", "rows=ward&cols=stage", "rows=stream&cols=funder&population=youth"])
def test_every_cell_number_falls_in_the_key_range_of_its_shade(public, query):
    page = public.get("/gaps?" + query).get_data(as_text=True)
    key = {}
    for shade, text in re.findall(r'<span class="cell-sample shade-(\d)" aria-hidden="true"></span> ([^<]+)</li>', page):
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        key[int(shade)] = (numbers[0], numbers[-1])
    assert key
    cells = re.findall(r'<td class="shade-(\d) level-\w+"><a href="[^"]+">(\d+)', page)
    assert cells
    for shade, count in cells:
        if int(shade):
            low, high = key[int(shade)]
            assert low <= int(count) <= high, (shade, count, key)


# --- the labour market, need index and largest gaps can be checked from what is shown -------------

@needs_geo_mirror
def test_a_residents_share_is_of_all_the_wards_employed_residents(public_geo):
    with open(GEO_MIRROR / "ward-profiles-2021.csv", newline="", encoding="cp1252") as handle:
        source = list(csv.reader(handle))
    column = source[0].index("Ward7")
    value = lambda label: float(next(r[column] for r in source if r[0].strip() == label).replace(",", ""))  # noqa: E731
    employed, manufacturing = value("All industry categories"), value("31-33 Manufacturing")
    rows = read_csv(public_geo.get("/gaps?view=lmi&lmi_ward=07&format=csv"))
    row = next(r for r in rows if r["Industry"] == "Manufacturing")
    assert row["Employed residents"] == f"{manufacturing:.0f}"
    assert row["Share of employed residents (%)"] == f"{100 * manufacturing / employed:.1f}" == "16.2"


@needs_geo_mirror
def test_the_need_index_and_gap_score_can_be_rebuilt_from_the_csv(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=place&population=youth&format=csv"))
    measures = ("Unemployment rate (%)", "Low income, LIM-AT (%)", "No certificate, diploma or degree (%)",
                "Residents aged 15 to 29 (%)")
    ranks = [need.percentile_ranks([float(r[m]) for r in rows]) for m in measures]
    for n, row in enumerate(rows):
        rebuilt = sum(rank[n] for rank in ranks) / len(ranks)
        assert float(row["Need index (0 to 100)"]) == pytest.approx(rebuilt, abs=0.051)
        gap = float(row["Need index (0 to 100)"]) - float(row["Supply rank (0 to 100)"])
        assert float(row["Gap score"]) == pytest.approx(gap, abs=0.11)
    page = public_geo.get("/gaps?view=place&population=youth").get_data(as_text=True)
    assert "Supply rank" in page and "Share aged 15 to 29" in page and "The gap score is the need index minus" in page


@needs_geo_mirror
def test_largest_gaps_among_wards_lead_to_the_programs_nearest_first(public_geo):
    page = public_geo.get("/gaps?view=largest&area=ward&population=youth").get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+)">Programs nearest (Ward \d+)[^<]*, closest first</a>', page)
    assert len(links) == 3
    for link, _ward in links:
        found = api_programs(public_geo, html.unescape(link))
        assert "sort=distance" in link and "near=43." in link and found["total"] > 0


# --- exports say what produced them --------------------------------------------------------------

@needs_geo_mirror
def test_a_csv_says_its_filters_group_and_catchment_and_links_absolutely(public_geo):
    rows = read_csv(public_geo.get("/gaps?view=largest&population=newcomers&catchment_km=5&format=csv"))
    assert rows[0]["Filters"] == "Who it serves: Newcomers and immigrants"
    assert rows[0]["Rates per residents of"] == "immigrants who arrived 2016 to 2021"
    assert rows[0]["Catchment distance (km)"] == "5"
    view = urllib.parse.urlsplit(rows[0]["Dashboard view"])
    assert view.scheme == "http" and view.path == "/gaps"
    assert urllib.parse.parse_qs(view.query) == {"view": ["largest"], "population": ["newcomers"],
                                                 "catchment_km": ["5"], "type": ["program"]}
    cells = read_csv(public_geo.get("/gaps?rows=stage&cols=stream&format=csv"))
    assert all(r["Link to the programs"].startswith("http://localhost/programs?") for r in cells)


# --- wording, markup and the form -------------------------------------------------------------

def test_the_lead_says_what_is_counted_and_follows_type_and_status(public):
    plain = public.get("/gaps").get_data(as_text=True)
    assert "programs people join (not funders or networks) that have not ended" in plain
    assert "ended ones are left out" not in plain
    ended = public.get("/gaps?status=ended").get_data(as_text=True)
    assert "with the statuses you chose (Ended)" in ended and "have not ended" not in ended
    funders = public.get("/gaps?type=funder").get_data(as_text=True)
    assert "listings of the kinds you chose (Funder)" in funders


def test_the_health_text_uses_the_freshness_setting(app, client):
    app.config["ATLAS_PUBLIC_GAPS"] = 1
    app.config["ATLAS_STALE_AFTER_DAYS"] = 200
    page = client.get("/gaps?view=health").get_data(as_text=True)
    assert "in the last 200 days" in page and "for a year" not in page
    assert page.count("<caption") == page.count("<table")


def test_overlap_rows_have_row_headers(public):
    page = public.get("/gaps?view=overlaps").get_data(as_text=True)
    table = page[page.index('id="overlaps-caption"'):page.index("</table>", page.index('id="overlaps-caption"'))]
    assert table.count("<tr>") - 1 == table.count('<th scope="row">') > 0


def test_the_filter_form_keeps_every_value_of_a_repeated_filter(public):
    page = public.get("/gaps?population=youth&population=newcomers&sector=ict").get_data(as_text=True)
    select = re.search(r'<select id="f-population" name="population"([^>]*)>(.*?)</select>', page, re.S)
    assert "multiple" in select.group(1)
    assert set(re.findall(r'<option value="([^"]+)" selected>', select.group(2))) == {"youth", "newcomers"}
    assert "multiple" not in re.search(r'<select id="f-sector"[^>]*>', page).group(0)
    summary = page[page.index('class="gaps-filters-summary"'):]
    assert "<dd>Youth</dd><dd>Newcomers and immigrants</dd>" in summary


def test_the_coverage_summary_counts_in_whole_sentences(public):
    page = public.get("/gaps?rows=stream&cols=funder").get_data(as_text=True)
    summary = re.search(r"<p>(Client stream by Funder type: .*?)</p>", page, re.S).group(1)
    assert ";" not in summary and re.search(r"\d+ programs in all\. \d+ cells? ha(s|ve) no program", " ".join(summary.split()))


@pytest.mark.parametrize("start", ["/gaps?view=health&area=planet&measure=nope&rows=colour",
                                   "/gaps?view=coverage&area=planet&lmi_ward=99&catchment_km=900"])
def test_a_parameter_another_view_ignored_is_not_carried_into_the_view_tabs(public, start):
    page = public.get(start).get_data(as_text=True)
    nav = page[page.index('class="gaps-views"'):page.index("</nav>")]
    for link in re.findall(r'href="([^"]+)"', nav):
        assert public.get(html.unescape(link)).status_code == 200, link


# --- speed: accessibility is worked out once per state -----------------------------------------

@needs_geo_mirror
def test_accessibility_is_computed_once_per_scope_group_and_catchment(public_geo, monkeypatch):
    calls = []
    real = accessibility.two_step_fca
    monkeypatch.setattr(accessibility, "two_step_fca", lambda *a: calls.append(a[2]) or real(*a))
    for _ in range(3):
        public_geo.get("/gaps?view=place&area=neighbourhood&catchment_km=7&population=mature-workers")
    assert calls == [7.0]
    public_geo.get("/gaps?view=place&area=neighbourhood&catchment_km=7&population=youth")
    assert calls == [7.0, 7.0]
