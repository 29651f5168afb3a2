"""The bundled catalogue is real, sourced and complete enough to be useful (that it imports
cleanly is checked in tests/integration/test_bundled_data.py)."""

import pytest

from app.catalog.vocabulary import load_all

from ..support.bundled_data import DATA, ORGANIZATIONS, PROGRAMS, SITES, read
from ..support.geo import GEO_MIRROR

VOCABULARIES = load_all(DATA / "vocabulary")

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

KNOWN_GAPS = {(g["dimension"], g["value"], g["stage"]): g["why"] for g in read("known-gaps.csv")}


def test_there_are_at_least_250_programs_from_150_organizations():
    assert len(PROGRAMS) >= 250
    assert len({row["organization_id"] for row in PROGRAMS}) >= 150


def test_every_organization_of_a_program_has_a_sourced_record():
    records = {row["id"]: row for row in ORGANIZATIONS}
    assert {row["organization_id"] for row in PROGRAMS} <= set(records)
    for row in ORGANIZATIONS:
        assert row["source_url"].startswith(("http://", "https://")) and row["last_verified"], row["id"]


def test_every_program_says_whether_it_still_runs_and_what_it_is():
    for row in PROGRAMS:
        assert row["status"] in VOCABULARIES["statuses"], row["id"]
        assert row["listing_type"] in VOCABULARIES["listing_types"], row["id"]
        if row["status"] == "active" and row["source_date"]:
            assert row["source_date"] >= "2023-01-01", row["id"]  # an old source cannot prove it runs today


def _stages(row):
    from app.catalog.vocabulary import stage_of

    return {stage_of(VOCABULARIES, slug) for slug in row["interventions"].split(";") if slug} - {None}


def _coverage(column, value, stage):
    return sum(1 for row in PROGRAMS if row["listing_type"] == "program" and row["status"] == "active"
               and value in row[column].split(";") and stage in _stages(row))


@pytest.mark.parametrize("dimension, column", [("sector", "sectors"), ("population", "populations")])
def test_every_sector_and_population_reaches_every_stage_or_the_gap_is_explained(dimension, column):
    """A convenor can trust the catalogue's gaps: each missing combination is written down, with why."""
    vocabulary = VOCABULARIES["sectors" if dimension == "sector" else "populations"]
    for term in vocabulary.terms:
        for stage in VOCABULARIES["stages"].terms:
            covered = _coverage(column, term.slug, stage.slug) > 0
            known = (dimension, term.slug, stage.slug) in KNOWN_GAPS
            assert covered != known, (dimension, term.slug, stage.slug, "covered" if covered else "unexplained gap")
            if known:
                assert KNOWN_GAPS[(dimension, term.slug, stage.slug)].strip()


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
