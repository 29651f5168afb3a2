"""The offline mirror of the City's boundaries and Census profiles, when this machine has one."""

import os
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT

GEO_MIRROR = Path(os.environ.get("ATLAS_GEO_MIRROR") or PROJECT_ROOT.parent / "shared" / "geo")
needs_geo_mirror = pytest.mark.skipif(
    not (GEO_MIRROR / "toronto-wards-25.geojson").exists(), reason="the offline geodata mirror is not available"
)
