"""Where programs are: points to wards and neighbourhoods through fetched boundaries, sites
placed on import, and "near" (postal codes, distances and fetching: tests/unit/test_geo.py)."""

import pytest

from app.geo import geodata, places

from ..support.geo import needs_geo_mirror
from ..support.rows import program_row


@needs_geo_mirror
@pytest.mark.parametrize(
    "point, ward, neighbourhood, nia",
    [
        ((43.6426, -79.3871), "10", "165", None),  # CN Tower: Spadina-Fort York
        ((43.7764, -79.2573), "21", "156", None),  # Scarborough Town Centre
        ((43.7590, -79.5180), "07", "024", "NIA"),  # Jane and Finch: an Improvement Area
    ],
)
def test_points_join_to_their_ward_and_neighbourhood(geo_instance, point, ward, neighbourhood, nia):
    [placed] = places.load(geo_instance).place([point])
    assert placed == {"ward": ward, "neighbourhood": neighbourhood, "neighbourhood_class": nia}


@needs_geo_mirror
@pytest.mark.parametrize("point", [(43.62, -79.62), (43.80, -79.55), (43.60, -79.40)], ids=["Mississauga", "Vaughan", "the lake"])
def test_points_outside_the_city_have_no_ward(geo_instance, point):
    assert places.load(geo_instance).place([point]) == [None]


@needs_geo_mirror
def test_fetch_from_the_mirror_verifies_and_records_provenance(geo_instance):
    provenance = geodata.read_provenance(geo_instance)
    assert set(provenance) == {f.name for f in geodata.FILES}
    assert all(record["matches_reference"] for record in provenance.values())


def test_without_boundaries_imports_say_how_to_place_sites(runner, write_csv):
    result = runner.invoke(args=["import-programs", str(write_csv([program_row()]))])
    assert result.exit_code == 0
    assert "run `flask --app app fetch-geodata`" in result.output


@needs_geo_mirror
def test_import_places_sites_and_reports_those_outside_the_city(geo_app, write_csv):
    rows = [
        program_row(),
        program_row(id="border", name="Border", postal_code="", latitude="43.62", longitude="-79.62"),
    ]
    result = geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv(rows))])
    assert "is outside the City's wards" in result.output
    client = geo_app.test_client()
    data = client.get("/api/programs/test-youth-tech").get_json()
    assert data["sites"][0]["ward"] == "10" or data["sites"][0]["ward"] == "13"
    wards = client.get("/api/programs").get_json()["facets"]["site_ward"]
    assert sum(wards.values()) == 1
    assert client.get(f"/api/programs?site_ward={data['sites'][0]['ward']}").get_json()["total"] == 1


def test_near_sorts_by_distance_and_filters_by_radius(client, catalogue):
    catalogue(
        [
            program_row(id="downtown", name="Downtown", postal_code="M5H 2N2"),  # Queen and Bay
            program_row(id="scarborough", name="Scarborough", postal_code="M1P 4P5", service_area=""),  # Scarborough Centre
            program_row(id="virtual", name="Online only", postal_code="", address=""),
        ]
    )
    data = client.get("/api/programs?near=M5V 3L9").get_json()
    assert [p["id"] for p in data["results"]] == ["downtown", "scarborough", "virtual"]
    assert data["results"][0]["distance_km"] < 2 < data["results"][1]["distance_km"]
    assert data["results"][2]["place"] == {"reason": "city-wide", "distance_km": None}
    near = client.get("/api/programs?near=43.6426,-79.3871&radius_km=5").get_json()
    assert [p["id"] for p in near["results"]] == ["downtown", "virtual"]
    page = client.get("/programs?near=M5V+3L9").get_data(as_text=True)
    assert "km away" in page


@pytest.mark.parametrize(
    "near, message",
    [("zzz", "is not a postal code"), ("M9Z 9Z9", "is not a Toronto postal code we know"), ("45.42,-75.69", "is outside Toronto")],
)
def test_bad_near_values_get_a_clear_message(client, near, message):
    response = client.get("/api/programs", query_string={"near": near})
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
