"""Which ward and neighbourhood a point is in, by spatial join with the City's boundaries.

Boundaries come from the instance folder (``fetch-geodata`` puts them there). Without them the
atlas still works: sites simply carry no ward or neighbourhood, and callers say how to get them.
Neighbourhoods are identified by their number (three digits), never by name.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from .codes import NEIGHBOURHOODS, WARDS
from .geodata import geo_folder

WARDS_FILE = "toronto-wards-25.geojson"
NEIGHBOURHOODS_FILE = "toronto-neighbourhoods-158.geojson"
DISTRICTS_FILE = "toronto-fsa-2021.geojson"
METRIC_CRS = "EPSG:32617"  # UTM zone 17N: distances in metres around Toronto
MAX_OUTSIDE_METRES = 1000
CLASSIFICATIONS = {"NIA": "Neighbourhood Improvement Area", "EN": "Emerging Neighbourhood"}
SIMPLIFY_DEGREES = 0.0004  # about 40 m: boundaries stay recognisable and map pages stay light


@dataclass(frozen=True)
class Boundaries:
    wards: object  # GeoDataFrame: code, name, geometry
    neighbourhoods: object  # GeoDataFrame: code, name, classification, geometry
    districts: object = None  # GeoDataFrame of postal districts (FSAs), metric CRS, indexed by code
    _geojson: dict = field(default_factory=dict, compare=False, repr=False)  # what is derived, made once

    def geojson(self, layer):
        """A layer ("wards" or "neighbourhoods") as light GeoJSON for maps, made once."""
        if layer not in self._geojson:
            frame = getattr(self, layer).copy()
            frame["geometry"] = frame.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
            collection = json.loads(frame.to_json(drop_id=True))
            for feature in collection["features"]:
                feature["geometry"] = _rounded(feature["geometry"])
            self._geojson[layer] = collection
        return self._geojson[layer]

    def ward_names(self):
        return dict(zip(self.wards["code"], self.wards["name"]))

    def neighbourhood_names(self):
        return dict(zip(self.neighbourhoods["code"], self.neighbourhoods["name"]))

    def neighbourhood_wards(self):
        """{neighbourhood code: the ward holding most of it}: neighbourhoods and wards are drawn
        separately and do not nest, so a neighbourhood goes with the ward its representative
        point falls in. Made once."""
        if "neighbourhood_wards" not in self._geojson:
            points = self.neighbourhoods.geometry.representative_point()
            placed = self.place([(point.y, point.x) for point in points])
            self._geojson["neighbourhood_wards"] = {
                code: found["ward"] for code, found in zip(self.neighbourhoods["code"], placed) if found
            }
        return self._geojson["neighbourhood_wards"]

    def interior_points(self, kind):
        """{area code: (latitude, longitude)} of a point inside each ward or neighbourhood (where
        an area's residents are placed when measuring access). Made once."""
        key = f"points:{kind}"
        if key not in self._geojson:
            frame = self.neighbourhoods if kind == "neighbourhood" else self.wards
            self._geojson[key] = {code: (point.y, point.x)
                                  for code, point in zip(frame["code"], frame.geometry.representative_point())}
        return self._geojson[key]

    def ward_at(self, latitude, longitude):
        """The ward a point is in, or None outside the City: a client's ward, from their
        postal code."""
        key = (round(latitude, 5), round(longitude, 5))
        known = self._geojson.setdefault("ward_at", {})
        if key not in known:
            if len(known) > 4096:
                known.clear()
            found = self.place([key])[0]
            known[key] = found["ward"] if found else None
        return known[key]

    def misplaced(self, sites):
        """[(postal code, latitude, longitude)] -> for each, None when its point is within a
        kilometre of its postal district, else (latitude, longitude, km outside): where to put
        it instead, the district's centre. A bad row in a postal-code table otherwise places a
        site kilometres away, and nothing on the map looks wrong.
        """
        import geopandas as gpd

        if self.districts is None or not sites:
            return [None] * len(sites)
        points = gpd.GeoSeries(
            gpd.points_from_xy([lon for _, _, lon in sites], [lat for _, lat, _ in sites]), crs="EPSG:4326"
        ).to_crs(METRIC_CRS)
        return [self._outside(code, point) for (code, _, _), point in zip(sites, points)]

    def _outside(self, postal_code, point):
        district = (postal_code or "")[:3]
        if district not in self.districts.index:
            return None
        shape = self.districts.geometry[district]
        metres = shape.distance(point)
        if metres <= MAX_OUTSIDE_METRES:
            return None
        import geopandas as gpd

        centre = shape.centroid if shape.centroid.within(shape) else shape.representative_point()
        lon, lat = gpd.GeoSeries([centre], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0].coords[0]
        return round(lat, 6), round(lon, 6), round(metres / 1000, 1)

    def place(self, points):
        """[(latitude, longitude)] -> [{ward, neighbourhood, neighbourhood_class} or None]."""
        import geopandas as gpd

        if not points:
            return []
        frame = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy([lon for _, lon in points], [lat for lat, _ in points]),
            crs="EPSG:4326",
        )
        wards = gpd.sjoin(frame, self.wards, how="left", predicate="within")
        wards = wards[~wards.index.duplicated()]
        hoods = gpd.sjoin(frame, self.neighbourhoods, how="left", predicate="within")
        hoods = hoods[~hoods.index.duplicated()]
        placed = []
        for n in range(len(points)):
            ward, hood = wards.loc[n, "code"], hoods.loc[n, "code"]
            if not isinstance(ward, str):
                placed.append(None)
                continue
            classification = hoods.loc[n, "classification"]
            placed.append(
                {
                    "ward": ward,
                    "neighbourhood": hood if isinstance(hood, str) else None,
                    "neighbourhood_class": classification if isinstance(classification, str) else None,
                }
            )
        return placed


def _rounded(geometry, places=5):
    def walk(value):
        if isinstance(value, float):
            return round(value, places)
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return dict(geometry, coordinates=walk(geometry["coordinates"]))


def load(instance_path):
    """The boundaries in the instance folder, or None when they have not been fetched."""
    folder = geo_folder(instance_path)
    paths = (folder / WARDS_FILE, folder / NEIGHBOURHOODS_FILE)
    if not all(path.is_file() for path in paths):
        return None
    districts = folder / DISTRICTS_FILE
    stamps = [p.stat().st_mtime_ns for p in paths] + [districts.stat().st_mtime_ns if districts.is_file() else 0]
    return _load(*(str(p) for p in paths), str(districts) if districts.is_file() else None, *stamps)


def _districts(path):
    import geopandas as gpd

    if path is None:
        return None
    frame = gpd.read_file(path).to_crs(METRIC_CRS)
    return frame.assign(code=frame["FSA"].astype(str)).set_index("code")[["geometry"]]


@lru_cache(maxsize=4)
def _load(wards_path, hoods_path, districts_path, *_mtimes):
    import geopandas as gpd

    wards = gpd.read_file(wards_path).to_crs("EPSG:4326")
    wards = wards.assign(
        code=wards["AREA_SHORT_CODE"].astype(str).str.zfill(WARDS.digits), name=wards["AREA_NAME"]
    )
    hoods = gpd.read_file(hoods_path).to_crs("EPSG:4326")
    hoods = hoods.assign(
        code=hoods["AREA_SHORT_CODE"].astype(int).astype(str).str.zfill(NEIGHBOURHOODS.digits),
        name=hoods["AREA_NAME"],
        classification=hoods["CLASSIFICATION_CODE"].where(hoods["CLASSIFICATION_CODE"].isin(list(CLASSIFICATIONS))),
    )
    return Boundaries(
        wards=wards[["code", "name", "geometry"]],
        neighbourhoods=hoods[["code", "name", "classification", "geometry"]],
        districts=_districts(districts_path),
    )

