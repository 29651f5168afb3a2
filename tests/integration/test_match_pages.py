"""/match and /api/match as a caseworker and an API client use them: every parameter read,
every bad value named, and nothing about the client kept."""

import logging
import re

import pytest

from ..support.accounts import form_token
from ..support.rows import catalogue_for_matching, program_row


def match(client, query):
    response = client.get(f"/api/match?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_api_ranks_eligible_programs_and_says_why_the_others_are_out(client, catalogue):
    catalogue(catalogue_for_matching())
    data = match(client, "age=17&gender=man&sector=ict")
    assert data["results"] == [], "the only tech program starts at 18"
    rules = {entry["program"]["id"]: entry["rules"] for entry in data["excluded"]}
    assert any("17" in rule and "18" in rule for rule in rules["youth-tech"])
    assert rules["women-trades"] and rules["ended-one"] and rules["a-funder"]

    data = match(client, "age=19&sector=ict&population=youth")
    first = data["results"][0]
    assert first["program"]["id"] == "youth-tech" and 0 <= first["score"] <= 100 and first["reasons"]
    assert "ended-one" not in {r["program"]["id"] for r in data["results"]}


def test_an_empty_profile_returns_every_program_people_can_join(client, catalogue):
    catalogue(catalogue_for_matching())
    ids = {r["program"]["id"] for r in match(client, "")["results"]}
    assert ids == {"youth-tech", "women-trades"}


@pytest.mark.parametrize("parameter, value", [
    ("age", "old"), ("age", "200"), ("age", "²"), ("start_within_days", "①"), ("limit", "٣"), ("gender", "robot"), ("population", "martians"), ("sector", "mining"),
    ("intervention", "magic"), ("stage", "done"), ("stream", "z"), ("income_support", "lottery"),
    ("immigration_status", "tourist"), ("near", "K1A 0B1"), ("language", "xx"), ("mode", "teleport"),
    ("start_within_days", "soon"), ("hours", "always"), ("limit", "0"), ("ward", "26"), ("ward", "seven"),
])
def test_the_api_names_each_bad_parameter(client, parameter, value):
    response = client.get("/api/match", query_string={parameter: value})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == parameter


def test_the_page_keeps_the_form_and_shows_each_mistake_beside_its_field(client, catalogue):
    catalogue(catalogue_for_matching())
    page = client.post("/match", data={"csrf_token": form_token(client), "age": "nineteen", "near": "K1A 0B1",
                                       "sector": "ict", "population": "youth"}).get_data(as_text=True)
    assert "There is a problem" in page
    age = re.search(r'<input[^>]*id="m-age"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in age and 'value="nineteen"' in age
    assert 'id="near-error"' in page and "not a Toronto postal code" in page
    assert re.search(r'id="m-sector-ict"[^>]*checked', page)
    assert "Youth Tech" in page, "the fields that could be read are still matched on"


def test_a_posted_profile_stays_out_of_addresses_and_logs(client, catalogue, caplog):
    catalogue(catalogue_for_matching())
    with caplog.at_level(logging.INFO):
        response = client.post("/match", data={"csrf_token": form_token(client), "age": "19", "gender": "woman"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'method="post"' in page
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "POST /match" in logged, "the request itself is logged"
    assert "age" not in logged and "woman" not in logged
    assert "address contains the client" not in page, "a posted profile is not in the address"


def test_a_shared_link_says_it_holds_the_profile(client, catalogue):
    catalogue(catalogue_for_matching())
    page = client.get("/match?age=19&sector=ict").get_data(as_text=True)
    assert "address contains the client" in page
    assert "Youth Tech" in page


def test_the_plan_names_programs_and_how_to_apply_only(client, catalogue):
    catalogue(catalogue_for_matching())
    page = client.get("/match/plan?program=youth-tech&program=women-trades").get_data(as_text=True)
    assert "Youth Tech" in page and "Women in Trades" in page
    assert "Call the intake line." in page and "100 Queen St W" in page
    assert page.index("Youth Tech") < page.index("Women in Trades")


def test_the_api_description_documents_matching(client):
    document = client.get("/api/openapi.json").get_json()
    names = {p["name"] for p in document["paths"]["/api/match"]["get"]["parameters"]}
    assert {"age", "gender", "population", "sector", "intervention", "stage", "stream", "income_support",
            "immigration_status", "near", "ward", "language", "mode", "start_within_days", "hours", "limit"} <= names
    assert "MatchResponse" in document["components"]["schemas"]


def test_a_ward_places_the_client_when_no_postal_code_is_given(client, catalogue):
    catalogue(catalogue_for_matching() + [
        program_row(id="ward-ten", name="Ward Ten Only", service_area="ward:10", address="", postal_code=""),
    ])
    near = {r["program"]["id"]: r for r in match(client, "ward=10")["results"]}
    assert "serves ward 10" in near["ward-ten"]["reasons"]
    far = {r["program"]["id"]: r for r in match(client, "ward=3")["results"]}
    assert "serves ward 10" not in far["ward-ten"]["reasons"]
    assert any("10" in caution for caution in far["ward-ten"]["cautions"])
    assert far["ward-ten"]["score"] < near["ward-ten"]["score"]


def test_the_count_is_of_every_program_the_client_can_join_not_only_those_shown(client, catalogue):
    catalogue(catalogue_for_matching())
    data = match(client, "limit=1")
    assert data["total"] == 2 and len(data["results"]) == 1
    page = client.post("/match", data={"csrf_token": form_token(client), "limit": "1"}).get_data(as_text=True)
    assert "2 programs this client can join" in page and "Showing the best 1." in page
    assert 'name="limit" value="100"' in page
