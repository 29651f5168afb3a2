"""Where programs are: postal codes to points, points to wards and neighbourhoods, and "near"."""

import json
import shutil
import threading
import urllib.parse
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest

from app.geo import geodata, places
from app.geo.distance import haversine_km
from app.geo.postcodes import district, locate

from .conftest import GEO_MIRROR, csv_text, needs_geo_mirror, program_row


@pytest.mark.parametrize(
    "code, precision",
    [("M5V 3L9", "postal_code"), ("M4W 2G8", "postal_code"), ("M5V 9Z9", "fsa"), ("M0A 1A1", None)],
)
def test_postal_codes_are_located_by_full_code_else_district(code, precision):
    found = locate(code)
    assert (found[2] if found else None) == precision
    if found:
        assert 43.58 < found[0] < 43.86 and -79.64 < found[1] < -79.11


def test_a_postal_district_has_a_name():
    assert district("M1B 5Z6").startswith("Scarborough")


def test_distances_are_great_circle_kilometres():
    import numpy as np

    # Toronto City Hall to Scarborough Town Centre: about 16.6 km as the crow flies.
    km = haversine_km(43.6534, -79.3841, np.array([[43.7764, -79.2573]]))[0]
    assert 16 < km < 17.5


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


def test_a_mirror_file_that_does_not_match_its_checksum_is_refused(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for geo_file in geodata.FILES:
        (mirror / geo_file.name).write_text("tampered")
    with pytest.raises(geodata.GeodataError, match="does not match its recorded checksum"):
        geodata.fetch_all(tmp_path / "instance", mirror=mirror, say=lambda line: None)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("toronto-wards-25.geojson", b"{}", "not a GeoJSON FeatureCollection"),
        ("toronto-wards-25.geojson", json.dumps({"type": "FeatureCollection", "features": [{"properties": {}}]}).encode(), "1 features, expected 25"),
        ("ward-profiles-2021.csv", b"nothing,here\n", "no Ward1"),
    ],
)
def test_files_that_fail_their_checks_are_refused(name, data, message):
    geo_file = next(f for f in geodata.FILES if f.name == name)
    with pytest.raises(geodata.GeodataError, match=message):
        geodata.verify(geo_file, data)


class FakeCkan:
    """A local stand-in for the City's CKAN portal and Statistics Canada, serving mirror files."""

    def __init__(self, folder):
        self.folder = folder
        handler = partial(self.Handler, fake=self, directory=str(folder))
        self.server = HTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.requests = []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, fake, **kwargs):
            self.fake = fake
            super().__init__(*args, **kwargs)

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.fake.requests.append(self.path)
            if self.path.startswith("/api/3/action/package_show"):
                dataset = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["id"][0]
                body = json.dumps({"success": True, "result": {"resources": self.fake.resources(dataset)}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

    def resources(self, dataset):
        geo_file = next(f for f in geodata.FILES if f.dataset == dataset)
        kind = "GeoJSON" if geo_file.name.endswith(".geojson") else "CSV"
        return [
            {"name": f"{dataset} - 2952 (2016)", "format": kind, "url": f"{self.url}/other-projection"},
            {"name": f"{dataset} - 4326 2021", "format": kind, "url": f"{self.url}/{geo_file.name}"},
        ]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@needs_geo_mirror
def test_fetch_downloads_through_the_ckan_api(tmp_path):
    import geopandas as gpd

    served = tmp_path / "served"
    served.mkdir()
    for geo_file in geodata.FILES[:4]:
        shutil.copy(GEO_MIRROR / geo_file.name, served / geo_file.name)
    shapefile = tmp_path / "shapefile"
    shapefile.mkdir()
    fsa = gpd.read_file(GEO_MIRROR / "toronto-fsa-2021.geojson").rename(columns={"FSA": "CFSAUID"})
    fsa[["CFSAUID", "geometry"]].to_file(shapefile / "lfsa000b21a_e.shp")
    shutil.make_archive(str(served / "fsa"), "zip", shapefile)
    fake = FakeCkan(served)
    try:
        lines = []
        provenance = geodata.fetch_all(
            tmp_path / "instance", ckan_url=fake.url, fsa_url=f"{fake.url}/fsa.zip", say=lines.append
        )
    finally:
        fake.close()
    assert any(path.startswith("/api/3/action/package_show?id=city-wards") for path in fake.requests)
    assert provenance["toronto-wards-25.geojson"]["source"].endswith("/toronto-wards-25.geojson")
    assert provenance["toronto-wards-25.geojson"]["matches_reference"] is True
    assert provenance["toronto-fsa-2021.geojson"]["matches_reference"] is False  # rebuilt from the shapefile
    boundaries = places.load(tmp_path / "instance")
    assert len(boundaries.ward_names()) == 25 and len(boundaries.neighbourhood_names()) == 158


def test_an_unreachable_portal_gives_a_clear_message(tmp_path):
    with pytest.raises(geodata.GeodataError, match="could not download"):
        geodata.fetch_all(tmp_path / "instance", ckan_url="http://127.0.0.1:9", fsa_url="http://127.0.0.1:9/x.zip", say=lambda line: None)


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
