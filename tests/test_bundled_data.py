"""The bundled catalogue is real, sourced, complete enough to be useful, and imports cleanly."""

import csv
import os
from pathlib import Path

import pytest

from app.catalog.vocabulary import load_all
from app.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
VOCABULARIES = load_all(DATA / "vocabulary")
GEO_MIRROR = Path(os.environ.get("ATLAS_GEO_MIRROR") or PROJECT_ROOT.parent / "shared" / "geo")

# The initiatives the City's 2022 engagement report names (Appendix A and section 5.2).
NAMED_INITIATIVES = [
    "Building Up",
    "Hospitality Workers Training Centre",
    "NPower Canada",
    "POV",
    "Toronto Finance International",
    "Toronto Community Benefits Network",
    "Toronto Region Immigrant Employment Council",
    "Toronto Workforce Innovation Group",
    "Workforce Funder Collaborative",
    "A-Way Express",
    "Toronto Sector Skills Academy",
    "Toronto Employment & Social Services",
    "Toronto Public Library",
    "Partnership to Advance Youth Employment",
    "Community Benefits Framework",
]


def read(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PROGRAMS = read("programs.csv")
SITES = read("sites.csv")


def test_init_db_takes_every_bundled_row(bundled):
    assert bundled.init_db_exit_code == 0, bundled.init_db_output
    assert "Rejected: 0" in bundled.init_db_output
    assert f"Inserted: {len(PROGRAMS)}" in bundled.init_db_output
    assert f"Search index built: {len(PROGRAMS)} programs." in bundled.init_db_output


def test_init_db_leaves_an_existing_catalogue_alone(bundled):
    again = bundled.test_cli_runner().invoke(args=["init-db"])
    assert again.exit_code == 0
    assert "nothing to do" in again.output


def test_there_are_at_least_a_hundred_programs():
    assert len(PROGRAMS) >= 100


def test_every_row_keeps_its_provenance():
    for row in PROGRAMS:
        assert row["source_url"].startswith(("http://", "https://")), row["id"]
        assert row["verification"] in ("compiled", "confirmed"), row["id"]
        assert row["last_verified"], row["id"]


@pytest.mark.parametrize("initiative", NAMED_INITIATIVES)
def test_every_initiative_named_in_the_report_is_listed(initiative):
    text = [f"{row['name']} {row['organization']} {row['description']}" for row in PROGRAMS]
    assert any(initiative.lower() in entry.lower() for entry in text), initiative


@pytest.mark.parametrize(
    "column, vocabulary",
    [("sectors", "sectors"), ("populations", "populations"), ("interventions", "interventions")],
)
def test_every_term_of_the_vocabulary_has_a_program(column, vocabulary):
    used = {slug for row in PROGRAMS for slug in row[column].split(";") if slug}
    missing = [term.slug for term in VOCABULARIES[vocabulary].terms if term.slug not in used]
    assert missing == []


def test_every_continuum_stage_has_a_program():
    interventions = VOCABULARIES["interventions"].by_slug
    reached = {
        interventions[slug].extra["stage"]
        for row in PROGRAMS
        for slug in row["interventions"].split(";")
        if slug
    }
    assert reached == {term.slug for term in VOCABULARIES["stages"].terms}


def test_located_sites_say_how_they_were_located():
    for row in PROGRAMS + SITES:
        if row["latitude"]:
            assert row["location_precision"] in ("postal_code", "fsa", "manual"), row


@pytest.mark.skipif(not (GEO_MIRROR / "toronto-wards-25.geojson").exists(), reason="ward boundaries not available")
def test_sites_reach_all_25_wards():
    import geopandas as gpd

    wards = gpd.read_file(GEO_MIRROR / "toronto-wards-25.geojson")
    located = [row for row in PROGRAMS + SITES if row["latitude"]]
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(
            [float(r["longitude"]) for r in located], [float(r["latitude"]) for r in located]
        ),
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(points, wards.to_crs("EPSG:4326"), predicate="within")
    assert sorted(set(joined["AREA_SHORT_CODE"])) == [f"{n:02d}" for n in range(1, 26)]
