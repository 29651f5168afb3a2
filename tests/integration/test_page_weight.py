"""Pages with a map stay light enough for a caseworker's phone: under 60 KB on the wire.

Measured on the bundled Toronto data, compressed as the app serves it. The vendored Leaflet
files are cached for a year, so they are not counted. Byte counts are deterministic.
"""


import pytest

from app.db import Database

from ..support.geo import needs_geo_mirror

BUDGET_BYTES = 60 * 1024
ENCODINGS = ("br", "gzip")


def busiest_program(app):
    """The program with the most sites on the map: the heaviest program page."""
    with Database(app.config["DATABASE"]) as db:
        programs = db.catalog.all_programs()
    return max(programs, key=lambda p: sum(s.get("latitude") is not None for s in p["sites"]))["id"]


def wire_bytes(client, path, encoding):
    response = client.get(path, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    return len(response.data)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_map_and_the_busiest_program_page_keep_to_the_budget(bundled, bundled_client, encoding):
    for path in ["/map", f"/programs/{busiest_program(bundled)}"]:
        assert wire_bytes(bundled_client, path, encoding) < BUDGET_BYTES, path


@needs_geo_mirror
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("query", ["", "?population=youth"])
def test_the_map_with_ward_and_neighbourhood_layers_keeps_to_the_budget(bundled_geo, query, encoding):
    client = bundled_geo.test_client()
    assert wire_bytes(client, "/map" + query, encoding) < BUDGET_BYTES


@needs_geo_mirror
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_busiest_program_page_keeps_to_the_budget_with_boundaries(bundled_geo, encoding):
    path = f"/programs/{busiest_program(bundled_geo)}"
    assert wire_bytes(bundled_geo.test_client(), path, encoding) < BUDGET_BYTES


@needs_geo_mirror
def test_a_program_page_weighs_what_its_own_map_needs_not_the_whole_city(bundled_geo):
    """A program serving one ward carries that ward's outline, a fraction of the city's wards."""
    client = bundled_geo.test_client()
    whole_city = wire_bytes(client, "/map", "gzip")
    with Database(bundled_geo.config["DATABASE"]) as db:
        one_ward = next(p["id"] for p in db.catalog.all_programs()
                        if len(p["service_area"]) == 1 and p["service_area"][0].startswith("ward:"))
    assert wire_bytes(client, f"/programs/{one_ward}", "gzip") < whole_city / 4


@needs_geo_mirror
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("query", ["", "&area=neighbourhood", "&area=neighbourhood&population=youth&measure=gap"])
def test_the_gaps_place_map_keeps_to_the_budget(public_bundled_geo, query, encoding):
    """The place-and-need view carries its map and the full table of every ward or neighbourhood."""
    assert wire_bytes(public_bundled_geo.test_client(), "/gaps?view=place" + query, encoding) < BUDGET_BYTES
