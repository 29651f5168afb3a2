"""Folium maps of programs and of coverage by ward and neighbourhood.

Only the map's script is taken from folium; the page supplies the map's element, the vendored
Leaflet files and every word shown (static/js/map.js reads them from the page and sets them with
``textContent``), so nothing is loaded from a CDN, the script can carry the page's CSP nonce and
no user-written text is put into the map. Markers carry coordinates and a program id (a
validated slug); popups are filled on demand from the API.
"""

import math
import time
from dataclasses import dataclass, field

import folium
import shapely
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template
from folium.utilities import JsCode

TORONTO_BOUNDS = ((43.5810, -79.6393), (43.8555, -79.1155))  # south-west and north-east corners of the wards
TORONTO_CENTRE = (43.7180, -79.3780)
NEAR_ZOOM = 13  # a neighbourhood and its surroundings: about five kilometres across
SITES_MAX_ZOOM = 15
MAX_ZOOM = 18
ZOOM_SNAP = 0.25  # lets the city fill the map: whole zoom levels leave it at half the width
OUTLINE_DEGREES = 0.001  # about 100 m: a service area's outline on a small map
COORDINATE_PLACES = 4
MIN_PART_DEGREES2 = 1e-6  # about 0.01 km²: smaller islands of an outline are not drawn
LEAFLET_JS = "/static/vendor/leaflet-1.9.4/leaflet-1.9.4.js"
LEAFLET_CSS = "/static/vendor/leaflet-1.9.4/leaflet-1.9.4.css"
CLUSTER_JS = "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster-1.5.3.js"
CLUSTER_CSS = "/static/vendor/leaflet.markercluster-1.5.3/MarkerCluster-1.5.3.css"
SHADES = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")
EMPTY_FILL = "#ffffff"
OUTLINE_COLOUR = "#4a4a4a"
NIA_COLOUR = "#b35806"
SERVICE_AREA_COLOUR = "#0b4f9c"
NEAR_COLOUR = "#b2182b"


class AtlasMap(folium.Map):
    """A folium map whose assets are the vendored copies (never a CDN)."""

    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


class AtlasCluster(FastMarkerCluster):
    default_js = [("markerclusterjs", CLUSTER_JS)]
    default_css = [("markerclustercss", CLUSTER_CSS)]


class MapReady(MacroElement):
    """Hands the finished map and its switchable layers to ``atlasMapReady`` (static/js/map.js),
    which words the zoom buttons in the page's language, shows area labels by zoom, closes popups
    on Escape and wires the legend's layer switches."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "atlasMapReady({{ this._parent.get_name() }}, { "
        "{% for key, layer in this.layers.items() %}{{ key | tojson }}: {{ layer.get_name() }},{% endfor %}"
        "});"
        "{% endmacro %}"
    )

    def __init__(self, layers):
        super().__init__()
        self.layers = layers


@dataclass(frozen=True)
class Step:
    """One colour of a choropleth: the areas with ``low`` to ``high`` programs."""

    low: int
    high: int
    shade: int  # index in SHADES; static/css/map.css colours the legend's keys by it

    @property
    def colour(self):
        return SHADES[self.shade]


@dataclass(frozen=True)
class RenderedMap:
    map_id: str  # the id of the element the script draws into
    script: str  # JavaScript, to go in a <script> with the page's nonce
    seconds: float
    scales: dict = field(default_factory=dict)  # {"ward" | "neighbourhood": [Step]}, for the legend
    layers: tuple = ()  # the layers the legend may switch on and off
    sites: int = 0
    outline: bool = False  # a service area is drawn


def shade_steps(top):
    """Equal count ranges from 1 to ``top``, darker for more; the fill and the legend read the
    same steps, so the legend never describes colours the map does not use."""
    if top <= 0:
        return []
    width = math.ceil(top / len(SHADES))
    count = math.ceil(top / width)
    first = len(SHADES) - count  # few steps take the darker shades: pale ones barely show
    return [Step(1 + n * width, min(top, (n + 1) * width), first + n) for n in range(count)]


def shade(count, steps):
    return next((step.colour for step in steps if step.low <= count <= step.high), EMPTY_FILL)


def _base_map(tiles, attribution, location=TORONTO_CENTRE, zoom=11):
    figure = AtlasMap(location=list(location), zoom_start=zoom, tiles=None, control_scale=True)
    figure.options["maxZoom"] = MAX_ZOOM  # marker clusters need it even with no tile layer
    figure.options["zoomSnap"] = ZOOM_SNAP
    if tiles and tiles != "none":
        folium.TileLayer(tiles=tiles, attr=attribution).add_to(figure)
    return figure


def _sites_layer(points):
    """Clustered site markers: 24 px or larger, never drawn on top of each other."""
    return AtlasCluster(
        [[round(lat, 5), round(lon, 5), program_id] for lat, lon, program_id in points],
        callback="atlasSiteMarker",
        icon_create_function="atlasClusterIcon",
        showCoverageOnHover=False,
    )


def _rendered(figure, layers, started, **facts):
    MapReady(layers).add_to(figure)
    root = figure.get_root()
    root.render()
    return RenderedMap(
        map_id=figure.get_name(),
        script=root.script.render(),
        seconds=time.perf_counter() - started,
        layers=tuple(layers),
        **facts,
    )


def program_map(points, counts, boundaries, tiles, attribution, ward_labels, near=None):
    """The sites of a search's programs (clustered), over programs per ward and neighbourhood
    when the boundaries are loaded.

    ``points`` is [(latitude, longitude, program id)]; ``counts`` is {"ward": {code: n},
    "neighbourhood": {code: n}}: programs with a site in each area; ``ward_labels`` is {code:
    "Ward 7 Humber River-Black Creek"}. The map opens on the whole city whatever the filter, so
    a few sites never hide where they are; with ``near`` (latitude, longitude), on that point.
    """
    started = time.perf_counter()
    figure = _base_map(tiles, attribution, near or TORONTO_CENTRE, NEAR_ZOOM if near else 11)
    layers, scales = {}, {}
    if boundaries is not None:
        layers, scales = _coverage_layers(boundaries, counts, ward_labels)
        for layer in layers.values():
            layer.add_to(figure)
    layers["sites"] = _sites_layer(points).add_to(figure)
    if near:
        _near_marker(near).add_to(figure)
    else:
        _fit(figure, [list(corner) for corner in TORONTO_BOUNDS])
    return _rendered(figure, layers, started, scales=scales, sites=len(points))


def _fit(figure, bounds, max_zoom=None):
    """Open on ``bounds`` at once: an animated first zoom would swallow the first zoom a
    person asks for while it runs."""
    fit = folium.FitBounds(bounds, max_zoom=max_zoom)
    fit.options["animate"] = False
    fit.add_to(figure)


def _near_marker(near):
    return folium.CircleMarker(
        list(near), radius=9, color=NEAR_COLOUR, weight=3, fill=True, fill_color="#ffffff", fill_opacity=1,
        interactive=False,
    )


def _coverage_layers(boundaries, counts, ward_labels):
    """The ward and neighbourhood choropleths and the Improvement Areas, none of them focusable
    (the table under the map says in text what they show), with their colour steps."""
    ward_steps = shade_steps(max(counts.get("ward", {}).values(), default=0))
    hood_steps = shade_steps(max(counts.get("neighbourhood", {}).values(), default=0))
    wards = _features(boundaries.geojson("wards"),
                      lambda p: {"code": p["code"], "label": ward_labels.get(p["code"], "")})
    hoods = boundaries.geojson("neighbourhoods")
    nia = {"type": "FeatureCollection",
           "features": [f for f in hoods["features"] if f["properties"]["classification"] == "NIA"]}
    hoods = _features(hoods, lambda p: {"code": p["code"], "name": p["name"]})
    layers = {
        "wards": _choropleth(wards, counts.get("ward", {}), ward_steps, "atlasWardLabel", show=True),
        "neighbourhoods": _choropleth(hoods, counts.get("neighbourhood", {}), hood_steps, "atlasNeighbourhoodLabel",
                                      show=False),
        "nia": _outlines(_features(nia, lambda p: {"code": p["code"], "name": p["name"]}), NIA_COLOUR, 2,
                         label="atlasNeighbourhoodLabel", show=False),
    }
    return layers, {"ward": ward_steps, "neighbourhood": hood_steps}


def _features(collection, properties):
    """The collection with only the properties the map reads, and points to 4 decimals (about
    10 m, finer than the boundaries' simplification): every byte is sent to every visitor."""
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": _rounded(f["geometry"]),
                          "properties": properties(f["properties"])} for f in collection["features"]]}


def _choropleth(collection, counts, steps, label, show):
    def style(feature):
        count = counts.get(feature["properties"]["code"], 0)
        return {"color": OUTLINE_COLOUR, "weight": 1, "fillColor": shade(count, steps),
                "fillOpacity": 0.55 if count else 0.1}

    return folium.GeoJson(collection, show=show, style_function=style, interactive=False,
                          on_each_feature=JsCode(label))


def _outlines(collection, colour, weight, label=None, show=True, fill_opacity=0.15):
    return folium.GeoJson(
        collection,
        show=show,
        style_function=lambda feature: {"color": colour, "weight": weight, "fillColor": colour,
                                        "fillOpacity": fill_opacity},
        interactive=False,
        on_each_feature=JsCode(label) if label else None,
    )


def sites_map(program, boundaries, tiles, attribution):
    """A small map of one program's sites and the outline of the area it serves, or None when
    there is nothing to draw (no site, and a service area that is city-wide or not stated).

    It carries only that geometry: a city-wide or online program's page stays light.
    """
    started = time.perf_counter()
    points = [(s["latitude"], s["longitude"], program["id"]) for s in program.get("sites", [])
              if s.get("latitude") is not None]
    outline = service_area_outline(program.get("service_area") or [], boundaries) if boundaries else None
    if not points and outline is None:
        return None
    figure = _base_map(tiles, attribution)
    layers = {}
    if outline is not None:
        feature = {"type": "Feature", "geometry": _rounded(shapely.geometry.mapping(outline)), "properties": {}}
        layers["area"] = _outlines({"type": "FeatureCollection", "features": [feature]}, SERVICE_AREA_COLOUR, 2,
                                   fill_opacity=0.2).add_to(figure)
    if points:
        layers["sites"] = _sites_layer(points).add_to(figure)
    _fit(figure, _bounds(points, outline), max_zoom=SITES_MAX_ZOOM)
    return _rendered(figure, layers, started, sites=len(points), outline=outline is not None)


def service_area_outline(codes, boundaries):
    """The wards and neighbourhoods a program serves as one simplified shape, or None when it
    serves the whole city or names no area (its page says so in words instead)."""
    wards = {code.partition(":")[2] for code in codes if code.startswith("ward:")}
    hoods = {code.partition(":")[2] for code in codes if code.startswith("neighbourhood:")}
    if "city-wide" in codes or not (wards or hoods):
        return None
    shapes = [*boundaries.wards[boundaries.wards["code"].isin(wards)].geometry,
              *boundaries.neighbourhoods[boundaries.neighbourhoods["code"].isin(hoods)].geometry]
    if not shapes:
        return None
    return _solid(shapely.union_all(shapes).simplify(OUTLINE_DEGREES, preserve_topology=True))


def _solid(shape):
    """The shape without holes or specks: where neighbouring boundaries do not quite meet, their
    union keeps slivers that would draw as stray lines inside the outline."""
    parts = list(getattr(shape, "geoms", [shape]))
    kept = [part for part in parts if part.area >= MIN_PART_DEGREES2] or parts
    return shapely.MultiPolygon([shapely.Polygon(part.exterior) for part in kept])


def _rounded(geometry):
    def walk(value):
        if isinstance(value, float):
            return round(value, COORDINATE_PLACES)
        if isinstance(value, (list, tuple)):
            return [walk(item) for item in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _bounds(points, outline):
    """[[south, west], [north, east]] around the sites and the outline."""
    lats = [lat for lat, _, _ in points]
    lons = [lon for _, lon, _ in points]
    if outline is not None:
        west, south, east, north = outline.bounds
        lats += [south, north]
        lons += [west, east]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


GAP_MARK_SIZE = 28  # px: a numbered circle that stays readable over any shade


def measure_steps(values, places, classes=len(SHADES)):
    """Up to ``classes`` steps holding about as many areas each (quantiles), darker for more.

    Values are compared at ``places`` decimals, the precision the page prints them at, and a
    step ends one unit (0.01 at two places) below where the next begins: every figure a reader
    sees falls in exactly one step of the legend, and the fill and the legend read the same
    steps. None (no figure) is in no step.
    """
    ordered = sorted(round(value, places) for value in values if value is not None)
    if not ordered:
        return []
    lows = []
    for n in range(min(classes, len(ordered))):
        low = ordered[n * len(ordered) // min(classes, len(ordered))]
        if not lows or low > lows[-1]:
            lows.append(low)
    unit = 10 ** -places
    highs = [round(low - unit, places) for low in lows[1:]] + [ordered[-1]]
    first = len(SHADES) - len(lows)
    return [Step(low, high, first + n) for n, (low, high) in enumerate(zip(lows, highs))]


def place_map(boundaries, kind, areas, places, marked, tiles, attribution):
    """A choropleth of one measure per ward or neighbourhood, with the places of the largest gaps
    marked by their rank.

    ``areas`` is {code: {"name": str, "value": number or None, "figures": {key: text}}}, the
    figures already formatted for the popup (static/js/gaps-map.js sets them as text);
    ``places`` the decimals the value is printed with; ``marked`` [code], worst gap first. The
    areas take clicks (for the popup) but never keyboard focus: the table beside the map gives
    the same figures.
    """
    started = time.perf_counter()
    figure = _base_map(tiles, attribution)
    steps = measure_steps([area["value"] for area in areas.values()], places)
    layer = "wards" if kind == "ward" else "neighbourhoods"
    collection = _features(boundaries.geojson(layer), lambda p: _place_properties(p, areas))
    values = {code: area["value"] for code, area in areas.items()}
    layers = {"areas": _measure_layer(collection, values, steps, places, kind).add_to(figure),
              "marked": _gap_marks(getattr(boundaries, layer), marked).add_to(figure)}
    _fit(figure, [list(corner) for corner in TORONTO_BOUNDS])
    return _rendered(figure, layers, started, scales={"measure": steps})


def _place_properties(properties, areas):
    area = areas.get(properties["code"], {})
    return {"code": properties["code"], "name": area.get("name") or properties.get("name", ""),
            "figures": area.get("figures", {})}


def _measure_layer(collection, values, steps, places, kind):
    def style(feature):
        value = values.get(feature["properties"]["code"])
        known = value is not None
        return {"color": OUTLINE_COLOUR, "weight": 1, "fillOpacity": 0.55 if known else 0.1,
                "fillColor": shade(round(value, places), steps) if known else EMPTY_FILL}

    label = "atlasGapWard" if kind == "ward" else "atlasGapNeighbourhood"
    return folium.GeoJson(collection, style_function=style, on_each_feature=JsCode(label))


def _gap_marks(frame, marked):
    """Numbered circles, not interactive and out of the tab order, on a point inside each area."""
    points = dict(zip(frame["code"], frame.geometry.representative_point()))
    group = folium.FeatureGroup(name="marked")
    for rank, code in enumerate(marked, start=1):
        point = points.get(code)
        if point is None:
            continue
        icon = folium.DivIcon(html=f'<span aria-hidden="true">{int(rank)}</span>', class_name="atlas-gap-mark",
                              icon_size=(GAP_MARK_SIZE, GAP_MARK_SIZE))
        folium.Marker([round(point.y, 5), round(point.x, 5)], icon=icon, interactive=False,
                      keyboard=False).add_to(group)
    return group
