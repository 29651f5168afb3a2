"""Where programs are, as pure functions: postal codes to points, great-circle distances, and
boundary files fetched and checked without the app (points joined to wards through a fetched
instance, imports and "near": tests/integration/test_geo.py)."""

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

from ..support.geo import GEO_MIRROR, needs_geo_mirror


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
