"""A facet named once in the registry is filterable, documented, counted and shown everywhere,
and a ward or a mistyped slug is judged the same way by the importer and by the search URL."""

import pytest

from app.catalog.facet_registry import FACETS
from app.geo import places
from app.geo.codes import NEIGHBOURHOODS, WARDS

from ..support.facets import NAMES, a_valid_value, imported
from ..support.geo import needs_geo_mirror


def api(client, **params):
    response = client.get("/api/programs", query_string=params)
    return response.status_code, response.get_json()


def search_parameters(client):
    return client.get("/api/openapi.json").get_json()["paths"]["/api/programs"]["get"]["parameters"]


@pytest.mark.parametrize("facet", FACETS, ids=NAMES)
def test_every_facet_is_a_filter_the_api_accepts_and_refuses_nonsense_for(bundled_client, facet):
    status, _ = api(bundled_client, **{facet.name: a_valid_value(facet)})
    assert status == 200
    status, data = api(bundled_client, **{facet.name: "no-such-value"})
    assert status == 400 and data["error"]["field"] == facet.name


def test_every_facet_is_documented_in_the_openapi_description_in_registry_order(bundled_client):
    parameters = search_parameters(bundled_client)
    documented = [p for p in parameters if p["name"] in NAMES]
    assert [p["name"] for p in documented] == NAMES
    for facet, parameter in zip(FACETS, documented):
        assert parameter["description"].startswith(facet.description)
        assert ("enum" in parameter["schema"]["items"]) == bool(facet.vocabulary)


def test_every_facet_is_counted_in_the_api_response(bundled_client):
    _, data = api(bundled_client)
    assert set(data["facets"]) == set(NAMES)


@pytest.mark.parametrize("facet", FACETS, ids=NAMES)
def test_every_facet_is_shown_in_the_programs_sidebar_once_ticked(bundled_client, facet):
    value = a_valid_value(facet)
    page = bundled_client.get("/programs", query_string={facet.name: value}).get_data(as_text=True)
    assert f"<legend>{facet.title}</legend>" in page and f'id="f-{facet.name}-{value}"' in page


def test_the_ward_description_states_the_wards_there_are(bundled_client):
    parameters = search_parameters(bundled_client)
    assert "(01 to 25)" in next(p for p in parameters if p["name"] == "ward")["description"]


@pytest.mark.parametrize("number, exists", [(0, False), (1, True), (25, True), (26, False), (99, False)])
def test_a_ward_is_judged_alike_by_the_importer_and_the_ward_filter(bundled_client, number, exists):
    record, problems = imported(service_area=f"ward:{number}")
    status, data = api(bundled_client, ward=f"{number:02d}")
    assert (record is not None, status == 200) == (exists, exists)
    if not exists:
        assert problems == [f'service_area: "ward:{number}" is not a service area: use city-wide, '
                            "ward:01 to ward:25, or neighbourhood:001 to neighbourhood:174"]
        assert data["error"]["field"] == "ward"
        assert data["error"]["message"] == f'"{number:02d}" is not a ward number'


@pytest.mark.parametrize(
    "field, facet, typed, message",
    [
        ("populations", "population", "youths", '"youths" is not a population; did you mean "youth"?'),
        ("sectors", "sector", "tech", '"tech" is not a sector; did you mean "ict"?'),
        ("delivery_mode", "mode", "online", '"online" is not a delivery mode; did you mean "virtual"?'),
        ("languages", "language", "zzzzz", '"zzzzz" is not a language'),
    ],
)
def test_a_mistyped_slug_gets_the_same_did_you_mean_from_the_importer_and_the_api(
    bundled_client, field, facet, typed, message
):
    _, problems = imported(**{field: typed})
    _, data = api(bundled_client, **{facet: typed})
    assert problems == [f"{field}: {message}"]
    assert data["error"]["message"] == message


@needs_geo_mirror
def test_the_citys_boundaries_use_exactly_the_codes_the_atlas_accepts(geo_instance):
    boundaries = places.load(geo_instance)
    wards, hoods = set(boundaries.ward_names()), set(boundaries.neighbourhood_names())
    assert wards == {WARDS.code(n) for n in range(1, WARDS.highest + 1)}
    assert all(NEIGHBOURHOODS.is_code(code) for code in hoods)
    assert max(hoods) == NEIGHBOURHOODS.code(NEIGHBOURHOODS.highest)
