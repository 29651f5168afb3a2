"""The Census indicators the gaps dashboard reads: cp1252 files, indented labels, repeated labels
in different sections, thousands separators, neighbourhoods joined on their number."""

import csv

import pytest

from app.geo import census

from ..support.geo import GEO_MIRROR, needs_geo_mirror

WARDS_CSV = GEO_MIRROR / census.WARD_FILE
HOODS_CSV = GEO_MIRROR / census.NEIGHBOURHOOD_FILE


def source_rows(path):
    with open(path, newline="", encoding="cp1252") as handle:
        return list(csv.reader(handle))


def source_value(rows, label, column, after=None):
    """The cell of the first row labelled ``label`` (indented or not) after the row ``after``."""
    start = 0
    if after:
        start = next(i for i, row in enumerate(rows) if row[0].strip().startswith(after))
    return next(float(row[column].replace(",", "")) for row in rows[start:] if row[0].strip() == label)


@needs_geo_mirror
def test_ward_23_figures_are_those_of_the_ward_profile_column():
    rows = source_rows(WARDS_CSV)
    column = rows[0].index("Ward23")
    figures = census.indicators(census.ward_profile(WARDS_CSV))["23"]
    assert figures.unemployment_rate == source_value(rows, "Unemployment rate", column)
    assert figures.population == source_value(rows, "Total - Age", column)
    youth = sum(source_value(rows, band, column, after="Total - Age") for band in census.YOUTH_BANDS)
    assert figures.youth == youth
    recent = source_value(rows, "2016 to 2021", column, after="Total - Immigrant status")
    assert figures.recent_immigrants == recent
    no_certificate = source_value(rows, "No certificate, diploma or degree", column, after="Total - Highest certificate")
    aged_15_plus = source_value(rows, rows[next(i for i, r in enumerate(rows) if r[0].startswith("Total - Highest"))][0], column)
    assert figures.no_certificate_share == round(100 * no_certificate / aged_15_plus, 1)
    assert figures.low_income_rate == float(next(r[column] for r in rows if r[0].startswith("Prevalence of low income")))
    assert figures.industries["23"] == ("Construction", source_value(rows, "23 Construction", column))


@needs_geo_mirror
def test_a_neighbourhood_is_found_by_its_number_not_its_column_name():
    rows = source_rows(HOODS_CSV)
    numbers = next(r for r in rows if r[0] == "Neighbourhood Number")
    column = numbers.index("2")  # Mount Olive-Silverstone-Jamestown
    figures = census.indicators(census.neighbourhood_profile(HOODS_CSV))
    assert len(figures) == 158
    hood = figures["002"]
    assert hood.unemployment_rate == source_value(rows, "Unemployment rate", column) == 17.7
    assert hood.low_income_rate == 15.6
    assert hood.youth == sum(source_value(rows, band, column, after="Total - Age") for band in census.YOUTH_BANDS)
    # Labels repeat: "No certificate..." is given for 15+ and again for 25 to 64; the 15+ one is read.
    assert hood.no_certificate_share == round(100 * 7130 / 25655, 1)
    assert hood.designation == "NIA"


@needs_geo_mirror
def test_the_designation_agrees_with_the_classification_file():
    with open(GEO_MIRROR / "neighbourhood-classification-2022.csv", newline="", encoding="utf-8") as handle:
        classified = {row["area_short_code"]: row["classification_code"] for row in csv.DictReader(handle)}
    figures = census.indicators(census.neighbourhood_profile(HOODS_CSV))
    assert {code: f.designation or "NA" for code, f in figures.items()} == classified


def write_profile(path, rows):
    with open(path, "w", newline="", encoding="cp1252") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    return path


def test_thousands_separators_cp1252_and_indentation_are_read(tmp_path):
    def row(label, value, total="1"):
        return [label, total, *[value] * 25]

    rows = [
        ["City of Toronto Profiles", "Toronto", *[f"Ward{n}" for n in range(1, 26)]],
        row("Total - Age", "1,000", "2,761,285"),
        *[row(f"  {band}", "100") for band in census.WORKING_AGE_BANDS],
        row("Median age", "40"),
        row("Total - Immigrant status and period of immigration for the population", "1,000"),
        row("      2016 to 2021", "50"),
        row("Total - Highest certificate, diploma or degree for the population aged 15 years and over in x", "800"),
        row("  No certificate, diploma or degree", "80"),
        row("Unemployment rate", "9.5"),
        row("Prevalence of low income based on the Low-income measure, after tax (LIM-AT) (%)", "12"),
        row("  All industry categories", "500"),
        row("    23 Construction – trades", "1,200"),
        row("  All occupations", "500"),
    ]
    profile = census.ward_profile(write_profile(tmp_path / "wards.csv", rows))
    ward = census.indicators(profile)["25"]
    assert ward.population == 1000
    assert ward.youth == 300
    assert ward.unemployment_rate == 9.5
    assert ward.recent_immigrant_share == 5.0
    assert ward.no_certificate_share == 10.0
    assert ward.industries["23"] == ("Construction – trades", 1200.0)


def test_a_profile_without_the_ward_columns_is_refused_with_its_name(tmp_path):
    path = write_profile(tmp_path / "wards.csv", [["City of Toronto Profiles", "Toronto", "Ward1"], ["Total - Age", "1", "1"]])
    with pytest.raises(census.CensusError, match="Ward1 to Ward25"):
        census.ward_profile(path)


def test_the_census_is_none_until_the_profiles_are_fetched(tmp_path):
    assert census.load(tmp_path) is None
