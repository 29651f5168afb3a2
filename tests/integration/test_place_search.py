"""Place means what people mean: a program *serves* a place (its service area covers it; a
city-wide program serves every ward) or is *located in* it (a site there). A search near a
client keeps programs that reach them without a site nearby, and says why each is there."""

import re

import pytest

from ..support.geo import needs_geo_mirror
from ..support.rows import program_row

CLIENT = "M1B 3C3"  # Malvern, Scarborough: ward 25
CLIENT_WARD = "25"


def places_catalogue():
    """One program for each way a program can reach (or miss) a client in Malvern."""
    no_site = dict(address="", postal_code="")
    return [
        program_row(id="malvern-site", name="Malvern Site", address="Malvern, Toronto",
                    postal_code="M1B 3C3", service_area=""),
        program_row(id="downtown-site", name="Downtown Site", service_area=""),
        program_row(id="all-toronto", name="All Toronto", service_area="city-wide", **no_site),
        program_row(id="online-only", name="Online Only", service_area="", delivery_mode="virtual", **no_site),
        program_row(id="serves-ward-25", name="Serves Ward 25", service_area="ward:25", **no_site),
        program_row(id="serves-ward-10", name="Serves Ward 10", service_area="ward:10", **no_site),
        program_row(id="teen-program", name="Teen Program", age_min="14", age_max="17", service_area="city-wide",
                    **no_site),
    ]


def found(client, query):
    response = client.get(f"/api/programs?{query}&per_page=100")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def reasons(data):
    return {program["id"]: program["place"]["reason"] for program in data["results"]}


@needs_geo_mirror
def test_near_keeps_programs_serving_the_clients_ward_and_says_why(geo_app, write_csv):
    _load(geo_app, write_csv)
    data = found(geo_app.test_client(), f"near={CLIENT}")
    assert reasons(data) == {
        "malvern-site": "site", "downtown-site": "site", "all-toronto": "city-wide",
        "online-only": "online", "serves-ward-25": "serves-ward", "teen-program": "city-wide",
    }
    assert data["left_out_by_near"] == 1  # serves ward 10 only, with no site
    ids = [program["id"] for program in data["results"]]
    assert ids[:2] == ["malvern-site", "downtown-site"], "sites come first, nearest first"
    assert data["results"][0]["place"]["distance_km"] < 3 < data["results"][1]["place"]["distance_km"]


@needs_geo_mirror
def test_a_radius_limits_only_the_distance_to_a_site(geo_app, write_csv):
    _load(geo_app, write_csv)
    data = found(geo_app.test_client(), f"near={CLIENT}&radius_km=5")
    assert set(reasons(data)) == {"malvern-site", "all-toronto", "online-only", "serves-ward-25", "teen-program"}
    assert data["left_out_by_near"] == 2


@needs_geo_mirror
def test_ward_means_serves_and_site_ward_means_located_in(geo_app, write_csv):
    _load(geo_app, write_csv)
    client = geo_app.test_client()
    serves = {p["id"] for p in found(client, f"ward={CLIENT_WARD}")["results"]}
    located = {p["id"] for p in found(client, f"site_ward={CLIENT_WARD}")["results"]}
    assert serves == {"malvern-site", "all-toronto", "serves-ward-25", "teen-program"}
    assert located == {"malvern-site"}
    assert "serves-ward-10" in {p["id"] for p in found(client, "ward=10")["results"]}


@needs_geo_mirror
def test_place_facet_counts_equal_the_totals_they_lead_to(geo_app, write_csv):
    _load(geo_app, write_csv)
    client = geo_app.test_client()
    for base in (f"near={CLIENT}", f"near={CLIENT}&radius_km=5", "age=16"):
        facets = found(client, base)["facets"]
        for facet in ("ward", "site_ward", "population", "neighbourhood"):
            for slug, count in list(facets[facet].items())[:5]:
                assert found(client, f"{base}&{facet}={slug}")["total"] == count, (base, facet, slug)


def test_a_postal_district_alone_is_a_place(app, catalogue):
    catalogue(places_catalogue())
    data = found(app.test_client(), "near=m1b")
    assert data["results"][0]["id"] == "malvern-site"
    assert reasons(data)["all-toronto"] == "city-wide"


@pytest.mark.parametrize("near, says", [
    ("K1A 0B1", "not a Toronto postal code"),
    ("12345", "not a postal code"),
    ("45.4,-75.7", "outside Toronto"),
])
def test_the_api_refuses_a_place_it_cannot_use(client, near, says):
    response = client.get("/api/programs", query_string={"near": near})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == "near" and says in error["message"]


def test_a_mistyped_postal_code_is_shown_beside_its_field_and_the_search_is_kept(app, catalogue):
    catalogue(places_catalogue())
    response = app.test_client().get("/programs?q=program&population=youth&near=K1A+0B1&sort=distance")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    field = re.search(r'<input[^>]*id="near"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and 'value="K1A 0B1"' in field
    assert 'id="near-error"' in page and "not a Toronto postal code" in page
    assert 'value="program"' in page  # the words searched stay in the box
    assert re.search(r'id="f-population-youth"[^>]*checked', page)
    assert "Teen Program" in page


def test_age_keeps_programs_whose_range_includes_it(app, catalogue):
    catalogue(places_catalogue() + [program_row(id="no-limits", name="No Limits", age_min="", age_max="")])
    client = app.test_client()
    ids = {p["id"] for p in found(client, "age=16")["results"]}
    assert "teen-program" in ids and "no-limits" in ids and "malvern-site" not in ids
    ids = {p["id"] for p in found(client, "age=30")["results"]}
    assert ids == {"no-limits"}
    assert client.get("/api/programs?age=old").status_code == 400


def test_result_cards_show_fit_at_a_glance(app, catalogue):
    catalogue(places_catalogue() + [
        program_row(id="women-only", name="Women Only", requires_populations="women", intake="continuous",
                    next_intake_date="", fee="", languages="en;fr;es;pt"),
    ])
    page = app.test_client().get("/programs?q=women&population=youth&near=M1B").get_data(as_text=True)
    card = _card(page, "Women Only")
    assert "Only for: Women" in card
    assert "Youth" in card and "ages 18 to 29" in card
    assert "km away" in card and "Serves all of Toronto" in card
    assert "Continuous intake" in card
    assert "English, French, Spanish and 1 more" in card and "In person" in card
    assert "Fee" in card and "Not published" in card
    assert re.search(r'Matches:.*class="tag">women<.*class="tag">Youth<', card, re.S)
    teen = _card(app.test_client().get("/programs?near=M1B").get_data(as_text=True), "Teen Program")
    assert "ages 14 to 17" in teen and "Free" in teen


def test_the_list_page_and_the_api_give_the_same_total_near_a_client(app, catalogue):
    catalogue(places_catalogue())
    client = app.test_client()
    page = client.get("/programs?near=M1B").get_data(as_text=True)
    total = found(client, "near=M1B")["total"]
    assert f"{total} programs" in page


def _card(page, name):
    start = page.index(f">{name}</a>")
    return page[start : page.index("</li>", start)]


def _load(app, write_csv):
    path = write_csv(places_catalogue(), name="places.csv")
    result = app.test_cli_runner().invoke(args=["import-programs", str(path)])
    assert result.exit_code == 0, result.output


def test_a_programs_sites_are_listed_by_street(client, runner, write_csv):
    programs = write_csv([program_row(id="two-sites", name="Two Sites", address="789 Yonge St, Toronto",
                                      postal_code="M4W 2G8")])
    sites = write_csv([{"program_id": "two-sites", "address": "1081 Progress Ave, Toronto", "postal_code": "M1B 5Z6",
                        "latitude": "", "longitude": "", "location_precision": ""}], name="sites.csv")
    result = runner.invoke(args=["import-programs", str(programs), "--sites", str(sites)])
    assert result.exit_code == 0, result.output
    page = client.get("/programs/two-sites").get_data(as_text=True)
    assert 0 < page.index("1081 Progress") < page.index("789 Yonge")


def test_the_api_description_names_the_new_place_parameters(client):
    parameters = {p["name"]: p for p in client.get("/api/openapi.json").get_json()["paths"]["/api/programs"]["get"]["parameters"]}
    assert {"ward", "site_ward", "neighbourhood", "site_neighbourhood", "age", "near"} <= set(parameters)
    assert "serves" in parameters["ward"]["description"] and "site" in parameters["site_ward"]["description"]
    assert "M1B" in parameters["near"]["description"]


@needs_geo_mirror
def test_near_results_on_the_page_say_how_each_reaches_the_client(geo_app, write_csv):
    _load(geo_app, write_csv)
    page = geo_app.test_client().get(f"/programs?near={CLIENT}").get_data(as_text=True)
    assert "(ward 25 Scarborough-Rouge Park)" in page
    assert "km away" in _card(page, "Malvern Site")
    assert "Serves all of Toronto" in _card(page, "All Toronto")
    assert "Online" in _card(page, "Online Only")
    assert "Serves your ward" in _card(page, "Serves Ward 25")
    assert "1 program matching your other choices is left out" in page
    assert "Serves Ward 10" not in page


def test_a_bad_radius_keeps_the_postal_code_and_a_bad_postal_code_keeps_the_radius(app, catalogue):
    catalogue(places_catalogue())
    client = app.test_client()
    page = client.get("/programs?near=M1B&radius_km=abc").get_data(as_text=True)
    assert 'id="radius-error"' in page and "Near M1B" in page
    assert 'id="near-error"' not in page
    page = client.get("/programs?near=K1A+0B1&radius_km=5").get_data(as_text=True)
    assert 'id="near-error"' in page
    assert re.search(r'<option value="5" selected>', page)
    page = client.get("/programs?near=M1B&radius_km=3").get_data(as_text=True)
    assert re.search(r'<option value="3" selected>3 km</option>', page)


def test_taking_people_in_soon_is_kept_by_every_link(app, catalogue):
    catalogue(places_catalogue())
    page = app.test_client().get("/programs?open_within_days=60&sort=name").get_data(as_text=True)
    links = re.findall(r'href="(/(?:programs|map)[?#][^"]*)"', page)
    losing = [link for link in links if "open_within_days=60" not in link]
    assert len(links) >= 3 and len(losing) == 1, losing  # only "Show programs whatever their intake"
    assert 'name="open_within_days" value="60"' in page


def test_the_distance_and_address_on_a_card_are_the_nearest_sites(client, runner, write_csv):
    programs = write_csv([program_row(id="two-sites", name="Two Sites", address="100 Queen St W, Toronto",
                                      postal_code="M5H 2N2")])
    sites = write_csv([{"program_id": "two-sites", "address": "Malvern, Toronto", "postal_code": "M1B 3C3",
                        "latitude": "", "longitude": "", "location_precision": ""}], name="sites.csv")
    assert runner.invoke(args=["import-programs", str(programs), "--sites", str(sites)]).exit_code == 0
    card = _card(client.get("/programs?near=M1B+3C3&q=youth&population=youth").get_data(as_text=True), "Two Sites")
    assert "Malvern, Toronto (and 1 more site)" in card
    assert card.count('class="tag">') == 1  # "youth" typed and "Youth" ticked: one match


def test_a_time_limited_program_past_its_end_says_it_ended(client, catalogue):
    catalogue([program_row(id="old-grant", name="Old Grant", status="time-limited", end_date="2019-03-31"),
               program_row(id="new-grant", name="New Grant", status="time-limited", end_date="2099-03-31")])
    page = client.get("/programs?q=grant").get_data(as_text=True)
    assert "Old Grant" not in page  # ended by its date: left out, as ended programs are
    assert "Time-limited: until March 31, 2099" in _card(page, "New Grant")
    assert client.get("/api/programs?q=grant").get_json()["facets"]["status"]["ended"] == 1
    page = client.get("/programs?q=grant&status=ended").get_data(as_text=True)
    assert "Ended on March 31, 2019" in _card(page, "Old Grant")
    assert client.get("/programs?population=").status_code == 200  # a blank choice chooses nothing


def test_a_time_limited_program_leaves_default_searches_the_day_after_its_end(app, client, catalogue, monkeypatch):
    import datetime as dt
    import types

    from app.search import schema, watcher

    today = dt.date.today()
    catalogue([program_row(id="last-day", name="Last Day Grant", status="time-limited", end_date=today.isoformat())])
    assert client.get("/api/programs?q=grant").get_json()["total"] == 1  # it still runs today

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return today + dt.timedelta(days=1)

    clock = types.SimpleNamespace(date=Tomorrow, timedelta=dt.timedelta)
    monkeypatch.setattr(schema, "dt", clock)
    monkeypatch.setattr(watcher, "dt", clock)
    check = watcher.Watcher(app, interval=10)
    check.day = today  # the index was brought up to date today; the worker now sees tomorrow
    check.check()
    assert client.get("/api/programs?q=grant").get_json()["total"] == 0
    assert client.get("/api/programs?q=grant&status=ended").get_json()["total"] == 1


def test_the_home_page_counts_a_program_past_its_end_as_ended_as_search_does(client, catalogue):
    catalogue([program_row(id="old-grant", name="Old Grant", status="time-limited", end_date="2019-03-31",
                           sectors="ict"),
               program_row(id="running", name="Running Program", sectors="ict")])
    page = client.get("/").get_data(as_text=True)
    assert "1 programs from" in page
    assert client.get("/api/programs?sector=ict").get_json()["total"] == 1
