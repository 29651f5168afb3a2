"""Exports open safely in a spreadsheet and round-trip through the importer."""

import csv
import io
import json



from ..support.rows import program_row


def test_csv_export_neutralises_formulas(runner, catalogue):
    catalogue([program_row(name="=cmd|' /C calc'!A0", eligibility="@risk youth")])
    result = runner.invoke(args=["export-programs", "--format", "csv"])
    assert result.exit_code == 0
    row = next(csv.DictReader(io.StringIO(result.output)))
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["eligibility"] == "'@risk youth"


def test_csv_export_round_trips_through_the_importer(runner, catalogue, tmp_path):
    catalogue([program_row(), program_row(id="second", name="Second", postal_code="", address="")])
    out, sites = tmp_path / "export.csv", tmp_path / "sites.csv"
    runner.invoke(args=["export-programs", "--output", str(out), "--sites", str(sites)])
    again = runner.invoke(args=["import-programs", str(out), "--sites", str(sites)])
    assert again.exit_code == 0, again.output
    assert "Unchanged: 2" in again.output


def test_geojson_export_has_a_point_per_located_site(runner, catalogue):
    catalogue([program_row(), program_row(id="no-site", name="No site", postal_code="", address="")])
    result = runner.invoke(args=["export-programs", "--format", "geojson"])
    data = json.loads(result.output)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in data["features"]] == ["test-youth-tech"]
    longitude, latitude = data["features"][0]["geometry"]["coordinates"]
    assert 43.5 < latitude < 43.9 and -79.7 < longitude < -79.1
