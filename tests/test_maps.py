"""The map page as the server builds it: same search as the list, assets local, text alongside."""

import re

from .conftest import needs_geo_mirror, program_row


def test_the_map_works_without_boundaries_and_says_how_to_get_them(client, catalogue):
    catalogue([program_row()])
    page = client.get("/map").get_data(as_text=True)
    assert "fetch-geodata" in page
    assert "Youth Tech Pathways" in page  # the text list beside the map
    assert "leaflet.markercluster" in page


def test_the_map_uses_the_list_query_parameters(client, catalogue):
    catalogue([program_row(), program_row(id="kitchen", name="Kitchen Start", sectors="hospitality-food")])
    page = client.get("/map?sector=hospitality-food").get_data(as_text=True)
    assert "1 program match" in page
    assert 'href="/programs?sector=hospitality-food"' in page
    listing = client.get("/programs?sector=hospitality-food").get_data(as_text=True)
    assert 'href="/map?sector=hospitality-food"' in listing


def test_no_page_loads_anything_from_another_host(client, catalogue):
    catalogue([program_row()])
    for url in ["/", "/programs", "/map", "/programs/test-youth-tech"]:
        page = client.get(url).get_data(as_text=True)
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        external = [s for s in sources if s.startswith(("http:", "https:", "//")) and "example.org" not in s]
        assert external == [], (url, external)


def test_map_scripts_run_only_with_the_response_nonce(client, catalogue):
    catalogue([program_row()])
    response = client.get("/map")
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    page = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert "'unsafe-inline'" not in policy
    assert client.get("/map").headers["Content-Security-Policy"] != policy  # a fresh nonce each time


def test_vendored_assets_are_served(client):
    for path in [
        "/static/vendor/leaflet-1.9.4/leaflet-1.9.4.js",
        "/static/vendor/leaflet-1.9.4/leaflet-1.9.4.css",
        "/static/vendor/leaflet-1.9.4/images/marker-icon.png",
        "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster-1.5.3.js",
        "/static/js/map.js",
    ]:
        response = client.get(path)
        response.close()
        assert response.status_code == 200, path


def test_user_text_never_reaches_the_map_script(client, catalogue):
    catalogue([program_row(name="${alert(1)}`</script>", description="<img src=x onerror=alert(1)>")])
    page = client.get("/map").get_data(as_text=True)
    script = page[page.index("<script nonce"):]
    assert "alert(1)" not in script


@needs_geo_mirror
def test_the_map_has_ward_coverage_and_layers_with_boundaries(geo_app, write_csv):
    geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv([program_row()]))])
    page = geo_app.test_client().get("/map").get_data(as_text=True)
    assert "Programs per ward" in page and "Neighbourhood Improvement Areas" in page
    assert "10 Spadina-Fort York" in page or "13 Toronto Centre" in page


def test_default_tiles_are_openstreetmap_with_attribution_and_allowed_by_the_policy(app, client, catalogue):
    catalogue([program_row()])
    app.config["ATLAS_MAP_TILES"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    response = client.get("/map")
    page = response.get_data(as_text=True)
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in page and "OpenStreetMap" in page
    assert "img-src 'self' data: https://tile.openstreetmap.org" in response.headers["Content-Security-Policy"]
