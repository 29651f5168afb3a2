"""Folium maps of programs and of coverage by ward and neighbourhood.

Only the map's element and its script are taken from folium; the page supplies the vendored
Leaflet files, so nothing is loaded from a CDN and the script can carry the page's CSP nonce.
No user-written text is put into the map: markers carry coordinates and a program id (a
validated slug), and popups are filled on demand from the API with ``textContent``.
"""

import time
from dataclasses import dataclass

import folium
from folium.plugins import FastMarkerCluster
from markupsafe import Markup

TORONTO_CENTRE = (43.7180, -79.3780)
MAX_ZOOM = 18
LEAFLET_JS = "/static/vendor/leaflet-1.9.4/leaflet-1.9.4.js"
LEAFLET_CSS = "/static/vendor/leaflet-1.9.4/leaflet-1.9.4.css"
CLUSTER_JS = "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster-1.5.3.js"
CLUSTER_CSS = (
    "/static/vendor/leaflet.markercluster-1.5.3/MarkerCluster-1.5.3.css",
    "/static/vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default-1.5.3.css",
)
SHADES = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")

# A marker per site; its popup asks the API for the program and fills itself with text only.
MARKER_CALLBACK = """function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]), {keyboard: true, title: "Program"});
    marker.bindPopup(function () { return atlasProgramPopup(row[2]); });
    return marker;
}"""


class AtlasMap(folium.Map):
    """A folium map whose assets are the vendored copies (never a CDN)."""

    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


class AtlasCluster(FastMarkerCluster):
    default_js = [("markerclusterjs", CLUSTER_JS)]
    default_css = [(f"markerclustercss{n}", path) for n, path in enumerate(CLUSTER_CSS)]


@dataclass(frozen=True)
class RenderedMap:
    element: Markup  # the map's <div>
    script: str  # JavaScript, to go in a <script> with the page's nonce
    seconds: float


def program_map(points, counts, boundaries, tiles, attribution, title):
    """A map of program sites (clustered) with coverage layers when boundaries are loaded.

    ``points`` is [(latitude, longitude, program id)]; ``counts`` is {"ward": {code: n},
    "neighbourhood": {code: n}} for the current search.
    """
    started = time.perf_counter()
    figure = AtlasMap(location=TORONTO_CENTRE, zoom_start=11, tiles=None, control_scale=True)
    figure.options["maxZoom"] = MAX_ZOOM  # marker clusters need it even with no tile layer
    if tiles and tiles != "none":
        folium.TileLayer(tiles=tiles, attr=attribution, name="Street map").add_to(figure)
    if boundaries is not None:
        _coverage_layers(figure, boundaries, counts)
    AtlasCluster(
        [[round(lat, 5), round(lon, 5), program_id] for lat, lon, program_id in points],
        callback=MARKER_CALLBACK,
        name=f"Program sites ({len(points)})",
    ).add_to(figure)
    folium.LayerControl(collapsed=False).add_to(figure)
    _fit(figure, points)
    root = figure.get_root()
    root.render()
    return RenderedMap(
        element=Markup(root.html.render()),
        script=root.script.render(),
        seconds=time.perf_counter() - started,
    )


def _fit(figure, points):
    if points:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        figure.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=14)


def _coverage_layers(figure, boundaries, counts):
    wards = boundaries.geojson("wards")
    hoods = boundaries.geojson("neighbourhoods")
    _choropleth(wards, counts.get("ward", {}), "Programs per ward", show=True).add_to(figure)
    _choropleth(hoods, counts.get("neighbourhood", {}), "Programs per neighbourhood", show=False).add_to(figure)
    nia = {"type": "FeatureCollection",
           "features": [f for f in hoods["features"] if f["properties"]["classification"] == "NIA"]}
    folium.GeoJson(
        nia,
        name="Neighbourhood Improvement Areas",
        show=False,
        style_function=lambda feature: {"color": "#b35806", "weight": 2, "fillOpacity": 0.15},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(figure)


def _choropleth(collection, counts, name, show):
    top = max(counts.values(), default=0)
    features = []
    for feature in collection["features"]:
        count = counts.get(feature["properties"]["code"], 0)
        properties = dict(feature["properties"], programs=count)
        features.append(dict(feature, properties=properties))

    def style(feature):
        count = feature["properties"]["programs"]
        shade = SHADES[min(len(SHADES) - 1, int(count * len(SHADES) / (top + 1)))] if count else "#ffffff"
        return {"color": "#4a4a4a", "weight": 1, "fillColor": shade, "fillOpacity": 0.55 if count else 0.1}

    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        show=show,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["name", "programs"], aliases=["", "Programs"]),
    )


def sites_map(program, boundaries, tiles, attribution):
    """A small map of one program's sites and, with boundaries, its service area.

    Markers carry no text: the page lists the addresses beside the map.
    """
    started = time.perf_counter()
    figure = AtlasMap(location=TORONTO_CENTRE, zoom_start=11, tiles=None, control_scale=True)
    figure.options["maxZoom"] = MAX_ZOOM
    if tiles and tiles != "none":
        folium.TileLayer(tiles=tiles, attr=attribution, name="Street map").add_to(figure)
    if boundaries is not None:
        _service_area_layer(program.get("service_area") or [], boundaries).add_to(figure)
    points = [(s["latitude"], s["longitude"]) for s in program.get("sites", []) if s.get("latitude") is not None]
    for latitude, longitude in points:
        folium.Marker([latitude, longitude], keyboard=True).add_to(figure)
    _fit(figure, points)
    root = figure.get_root()
    root.render()
    return RenderedMap(Markup(root.html.render()), root.script.render(), time.perf_counter() - started)


def _service_area_layer(codes, boundaries):
    """The wards or neighbourhoods a program serves (the whole city when city-wide)."""
    wards = {code.split(":")[1] for code in codes if code.startswith("ward:")}
    hoods = {code.split(":")[1] for code in codes if code.startswith("neighbourhood:")}
    city_wide = "city-wide" in codes or not (wards or hoods)
    features = [
        f for f in boundaries.geojson("wards")["features"] if city_wide or f["properties"]["code"] in wards
    ] + [f for f in boundaries.geojson("neighbourhoods")["features"] if f["properties"]["code"] in hoods]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Service area",
        style_function=lambda feature: {"color": "#0b4f9c", "weight": 1, "fillColor": "#74a9cf", "fillOpacity": 0.25},
    )