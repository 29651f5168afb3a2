"""Fetch the City's boundary and profile files (or copy them from an offline mirror) and verify.

Each file is checked for what the atlas relies on (the feature count and the fields it joins on)
before it replaces the copy in the instance folder, and its origin is recorded beside it.
"""

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

GEO_FOLDER_NAME = "geo"
PROVENANCE_FILE = "provenance.json"
DOWNLOAD_TIMEOUT_SECONDS = 120


class GeodataError(Exception):
    """A file could not be fetched or failed its checks; the message says which and why."""


@dataclass(frozen=True)
class GeoFile:
    name: str
    dataset: str  # CKAN package id, or "statcan-fsa"
    pick: tuple  # words that name the wanted resource (format first)
    features: int | None  # expected GeoJSON feature count
    fields: tuple  # properties (GeoJSON) or header cells (CSV) the atlas needs
    sha256: str  # of the reference copy (see geo/PROVENANCE.md)


FILES = (
    GeoFile("toronto-wards-25.geojson", "city-wards", ("geojson", "4326"), 25,
            ("AREA_SHORT_CODE", "AREA_NAME"),
            "6ba5ebd59512a1b010e9fed4630ce9aeb610e5f6fb146d8ab66697b54f75f84c"),
    GeoFile("toronto-neighbourhoods-158.geojson", "neighbourhoods", ("geojson", "4326"), 158,
            ("AREA_SHORT_CODE", "AREA_NAME", "CLASSIFICATION_CODE"),
            "b0cb58077f5b3a47e0e56a68913c6980cfaf39d37d7d020fd91b60650c480233"),
    GeoFile("neighbourhood-profiles-2021-158.csv", "neighbourhood-profiles", ("csv", "2021"), None,
            ("Neighbourhood Name",),
            "1741ffc600ae6a28e71e919483e978df4cb5e782a98865c70a12c1ea4a44f9d1"),
    GeoFile("ward-profiles-2021.csv", "ward-profiles-25-ward-model", ("csv", "2021"), None,
            ("Ward1",),
            "d2a385e6cc3fc381792e1b5cd5a952c940e0b1072d1a3a92b91006493046256d"),
    GeoFile("toronto-fsa-2021.geojson", "statcan-fsa", ("zip",), None, ("FSA",),
            "6e78e2ac1444a294d16f0a721002cfed1b9164e19b7961825332792d2e8851da"),
)


def geo_folder(instance_path):
    return Path(instance_path) / GEO_FOLDER_NAME


def all_present(instance_path):
    folder = geo_folder(instance_path)
    return all((folder / geo_file.name).is_file() for geo_file in FILES)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def verify(geo_file, data):
    """Raise GeodataError unless ``data`` has what the atlas needs from this file."""
    if geo_file.name.endswith(".geojson"):
        _verify_geojson(geo_file, data)
    else:
        _verify_csv(geo_file, data)


def _verify_geojson(geo_file, data):
    try:
        collection = json.loads(data)
        features = collection["features"]
    except (ValueError, KeyError, TypeError):
        raise GeodataError(f"{geo_file.name}: not a GeoJSON FeatureCollection") from None
    if geo_file.features is not None and len(features) != geo_file.features:
        raise GeodataError(f"{geo_file.name}: {len(features)} features, expected {geo_file.features}")
    if not features:
        raise GeodataError(f"{geo_file.name}: no features")
    missing = [f for f in geo_file.fields if f not in (features[0].get("properties") or {})]
    if missing:
        raise GeodataError(f"{geo_file.name}: features lack {', '.join(missing)}")


def _verify_csv(geo_file, data):
    text = data[:200_000].decode("cp1252", errors="replace")
    missing = [f for f in geo_file.fields if f not in text]
    if missing:
        raise GeodataError(f"{geo_file.name}: no {', '.join(missing)} in the file")


def fetch_all(instance_path, mirror=None, ckan_url=None, fsa_url=None, say=print):
    """Fetch, verify and install every file; returns the provenance records written."""
    folder = geo_folder(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    provenance = read_provenance(instance_path)
    for geo_file in FILES:
        if mirror:
            data, source = _from_mirror(Path(mirror), geo_file)
        elif geo_file.dataset == "statcan-fsa":
            data, source = _from_statcan(fsa_url), fsa_url
        else:
            data, source = _from_ckan(ckan_url, geo_file)
        verify(geo_file, data)
        _install(folder / geo_file.name, data)
        digest = sha256(data)
        provenance[geo_file.name] = {
            "source": source,
            "dataset": geo_file.dataset,
            "sha256": digest,
            "matches_reference": digest == geo_file.sha256,
            "fetched": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        say(f"{geo_file.name}: {len(data):,} bytes from {source}"
            + ("" if digest == geo_file.sha256 else " (differs from the reference copy; checks passed)"))
    (folder / PROVENANCE_FILE).write_text(json.dumps(provenance, indent=1, sort_keys=True))
    return provenance


def read_provenance(instance_path):
    path = geo_folder(instance_path) / PROVENANCE_FILE
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _install(path, data):
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _from_mirror(mirror, geo_file):
    path = mirror / geo_file.name
    if not path.is_file():
        raise GeodataError(f"{geo_file.name}: not in the mirror folder {mirror}")
    data = path.read_bytes()
    if sha256(data) != geo_file.sha256:
        raise GeodataError(f"{geo_file.name}: the mirror's copy does not match its recorded checksum")
    return data, str(path)


def download(url):
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            return response.read()
    except OSError as error:
        raise GeodataError(f"could not download {url}: {error}") from None


def _from_ckan(ckan_url, geo_file):
    query = urllib.parse.urlencode({"id": geo_file.dataset})
    listing = download(f"{ckan_url.rstrip('/')}/api/3/action/package_show?{query}")
    try:
        resources = json.loads(listing)["result"]["resources"]
    except (ValueError, KeyError, TypeError):
        raise GeodataError(f"{geo_file.dataset}: the open-data portal's answer has no resources") from None
    resource = choose_resource(resources, geo_file.pick)
    if resource is None:
        raise GeodataError(f"{geo_file.dataset}: no {' '.join(geo_file.pick)} resource on the portal")
    return download(resource["url"]), resource["url"]


def choose_resource(resources, pick):
    """The resource whose format is pick[0] and whose name or URL mentions the other words."""
    wanted_format, *words = pick
    for resource in resources:
        label = f"{resource.get('name', '')} {resource.get('url', '')}".lower()
        if (resource.get("format") or "").lower() == wanted_format and all(w in label for w in words):
            return resource
    return None


def _from_statcan(url):
    """Statistics Canada's FSA shapefile (zipped), cut to Toronto, as WGS84 GeoJSON."""
    import geopandas as gpd

    data = download(url)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            shapefile = next(n for n in archive.namelist() if n.lower().endswith(".shp"))
    except (zipfile.BadZipFile, StopIteration):
        raise GeodataError("the FSA boundary download is not a zipped shapefile") from None
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fsa.zip"
        path.write_bytes(data)
        frame = gpd.read_file(f"zip://{path}!{shapefile}")
    column = next((c for c in frame.columns if c.upper() in ("CFSAUID", "FSA")), None)
    if column is None:
        raise GeodataError("the FSA boundary file has no FSA code column")
    toronto = frame[frame[column].str.startswith("M")].rename(columns={column: "FSA"})
    toronto = toronto.to_crs("EPSG:4326")
    toronto["geometry"] = toronto.geometry.simplify(0.0001)
    return toronto[["FSA", "geometry"]].to_json().encode("utf-8")

