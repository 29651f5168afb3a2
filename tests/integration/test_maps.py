"""The map page as the server builds it: same search as the list, assets local, text alongside."""

import re


from app.geo import maps

from ..support.geo import needs_geo_mirror
from ..support.maps import drawn_areas, map_script
from ..support.rows import program_row

ONLINE = dict(address="", postal_code="", delivery_mode="virtual", service_area="city-wide")


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
    assert "<td>Ward 10 Spadina-Fort York</td>" in page  # the table under the map: number and name
    link = re.search(r'href="(/map\?site_ward=(?:10|13))">1</a>', page).group(1)  # downtown: ward 10 or 13
    assert "1 program matches." in geo_app.test_client().get(link).get_data(as_text=True)


@needs_geo_mirror
def test_wards_are_labelled_by_number_and_name_and_are_not_focusable(geo_app, write_csv):
    geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv([program_row()]))])
    page = geo_app.test_client().get("/map").get_data(as_text=True)
    labels = {f["properties"].get("label") for f in drawn_areas(page)}
    assert "Ward 7 Humber River-Black Creek" in labels and "Ward 10 Spadina-Fort York" in labels
    layers = map_script(page).count("L.geoJson(")
    assert layers == 3 and map_script(page).count('"interactive": false') == layers


@needs_geo_mirror
def test_the_legend_explains_the_markers_and_the_ward_shades(geo_app, write_csv):
    rows = [program_row(id=f"p{n}", name=f"Program {n}") for n in range(7)]  # seven sites in ward 10
    geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv(rows))])
    page = geo_app.test_client().get("/map").get_data(as_text=True)
    legend = page[page.index('class="map-legend"'):page.index("</section>", page.index('class="map-legend"'))]
    assert "A site. Select it" in legend and "A group of sites close together" in legend
    assert "7 programs" in legend and "none" in legend
    assert "Programs per neighbourhood" in legend and "Neighbourhood Improvement Areas" in legend


def test_the_map_says_how_many_programs_it_cannot_draw(client, catalogue):
    catalogue([program_row(), program_row(id="online-a", name="Online A", **ONLINE),
               program_row(id="online-b", name="Online B", **ONLINE)])
    page = client.get("/map").get_data(as_text=True)
    assert "3 programs match." in page
    assert "1 of them has a site on the map." in page
    assert "2 have no site (they serve the whole city or work online), so they are not drawn on the map." in page
    assert "Online A" in page and "Online B" in page  # still in the list under the map


def test_a_filtered_map_opens_on_the_whole_city(client, catalogue):
    catalogue([program_row(), program_row(id="kitchen", name="Kitchen Start", sectors="hospitality-food")])
    script = map_script(client.get("/map?sector=hospitality-food").get_data(as_text=True))
    (south, west), (north, east) = maps.TORONTO_BOUNDS
    assert re.search(rf"fitBounds\(\s*\[\[{south}, {west}\], \[{north}, {east}\]\]", script)


def test_a_map_near_a_place_opens_on_it(client, catalogue):
    catalogue([program_row()])
    page = client.get("/map?near=M5H+2N2").get_data(as_text=True)
    assert "fitBounds" not in map_script(page)
    assert re.search(r"center: \[43\.6\d*, -79\.3\d*\]", map_script(page))
    assert f'"zoom": {maps.NEAR_ZOOM},' in map_script(page)
    assert "Where you searched near: M5H 2N2." in page


def test_an_online_program_page_carries_no_map(client, catalogue):
    catalogue([program_row(id="online", name="Online Only", **ONLINE)])
    page = client.get("/programs/online").get_data(as_text=True)
    assert "leaflet" not in page and "folium-map" not in page
    assert "Serves all of Toronto." in page


@needs_geo_mirror
def test_an_online_program_page_carries_no_map_even_with_boundaries(geo_app, write_csv):
    geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv([program_row(id="online", **ONLINE)]))])
    page = geo_app.test_client().get("/programs/online").get_data(as_text=True)
    assert "leaflet" not in page and "Serves all of Toronto." in page


@needs_geo_mirror
def test_a_program_page_outlines_only_the_wards_it_serves(geo_app, write_csv):
    rows = [program_row(id="east", service_area="ward:24;ward:25", address="", postal_code="")]
    geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv(rows))])
    page = geo_app.test_client().get("/programs/east").get_data(as_text=True)
    [outline] = drawn_areas(page)
    longitudes = [lon for polygon in outline["geometry"]["coordinates"] for lon, _ in polygon[0]]
    assert min(longitudes) > -79.32  # Scarborough's two eastern wards, nothing west of them
    assert "Map of the area this program serves" in page and "Outlined: the area it serves." in page
    assert "Serves all of Toronto" not in page


@needs_geo_mirror
def test_a_city_wide_program_page_draws_its_site_and_no_area(geo_app, write_csv):
    geo_app.test_cli_runner().invoke(args=["import-programs", str(write_csv([program_row()]))])
    page = geo_app.test_client().get("/programs/test-youth-tech").get_data(as_text=True)
    assert drawn_areas(page) == []
    assert "Map of this program’s 1 site" in page and "Serves all of Toronto." in page
    assert "[43.6" in map_script(page)  # the site's marker


def test_user_text_never_reaches_a_program_pages_map_script(client, catalogue):
    catalogue([program_row(name="${alert(1)}`</script>", description="<img src=x onerror=alert(1)>",
                           address="`${alert(1)}` <script>alert(1)</script>")])
    page = client.get("/programs/test-youth-tech").get_data(as_text=True)
    assert "folium-map" in page and "alert(1)" not in map_script(page)


def test_default_tiles_are_openstreetmap_with_attribution_and_allowed_by_the_policy(app, client, catalogue):
    catalogue([program_row()])
    app.config["ATLAS_MAP_TILES"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    response = client.get("/map")
    page = response.get_data(as_text=True)
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in page and "OpenStreetMap" in page
    assert "img-src 'self' data: https://tile.openstreetmap.org" in response.headers["Content-Security-Policy"]
