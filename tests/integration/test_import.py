"""A data steward imports a spreadsheet: every valid row lands, every bad row is named."""

import datetime as dt

import pytest

from ..support.rows import csv_text, program_row


def run_import(runner, path, *extra):
    return runner.invoke(args=["import-programs", str(path), *extra])


def rows(count, **overrides):
    return [program_row(id=f"program-{n:03d}", name=f"Program {n}", **overrides) for n in range(count)]


def test_a_clean_file_is_imported_and_reported(runner, write_csv, db):
    result = run_import(runner, write_csv(rows(5)))
    assert result.exit_code == 0, result.output
    assert "Rows read: 5" in result.output
    assert "Inserted: 5" in result.output and "Rejected: 0" in result.output
    assert db.catalog.count_programs() == 5


def test_three_bad_rows_of_a_hundred_lose_nothing_valid(runner, write_csv, db):
    data = rows(100)
    data[10]["populations"] = "youths"
    data[50]["postal_code"] = "ABC"
    data[99]["last_verified"] = ""
    result = run_import(runner, write_csv(data))
    assert result.exit_code == 1
    assert "Inserted: 97" in result.output and "Rejected: 3" in result.output
    assert 'row 12 (program-010): populations: "youths" is not a population; did you mean "youth"?' in result.output
    assert "row 52 (program-050): postal_code:" in result.output
    assert "row 101 (program-099): last_verified: is required" in result.output
    assert db.catalog.count_programs() == 97
    assert db.catalog.get_program("program-010") is None


def test_reimporting_the_same_file_changes_nothing_and_says_so(runner, write_csv, db):
    path = write_csv(rows(3))
    run_import(runner, path)
    result = run_import(runner, path)
    assert result.exit_code == 0
    assert "Inserted: 0" in result.output and "Updated: 0" in result.output
    assert "Unchanged: 3" in result.output
    assert "Nothing changed" in result.output


def test_a_changed_row_is_updated_in_place(runner, write_csv, db):
    run_import(runner, write_csv(rows(2)))
    changed = rows(2)
    changed[1]["seats"] = "35"
    result = run_import(runner, write_csv(changed))
    assert "Updated: 1" in result.output and "Unchanged: 1" in result.output
    assert db.catalog.get_program("program-001")["seats"] == 35
    assert db.catalog.count_programs() == 2


def test_dry_run_writes_nothing(runner, write_csv, db):
    result = run_import(runner, write_csv(rows(4)), "--dry-run")
    assert result.exit_code == 0
    assert "Inserted: 4" in result.output and "Dry run: nothing was written." in result.output
    assert db.catalog.count_programs() == 0


@pytest.mark.parametrize(
    "encoding, label",
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1252", "Windows-1252")],
)
def test_excel_encodings_keep_their_accents(runner, write_csv, db, encoding, label):
    data = [program_row(name="Préparation à l’emploi – café", organization="Centre francophone")]
    result = run_import(runner, write_csv(data, encoding=encoding))
    assert result.exit_code == 0, result.output
    assert f"as {label}." in result.output
    assert db.catalog.get_program("test-youth-tech")["name"] == "Préparation à l’emploi – café"


def test_headers_match_loosely_and_unknown_columns_are_reported(runner, write_csv, db):
    row = program_row()
    renamed = {("Postal Code" if k == "postal_code" else " NAME " if k == "name" else k): v for k, v in row.items()}
    renamed["Internal notes"] = "call Bob"
    result = run_import(runner, write_csv([renamed]))
    assert result.exit_code == 0, result.output
    assert 'unknown column "internal_notes" was not imported' in result.output
    program = db.catalog.get_program("test-youth-tech")
    assert program["name"] == "Youth Tech Pathways"
    assert program["sites"][0]["postal_code"] == "M5H 2N2"


def test_duplicate_ids_in_one_file_keep_the_first(runner, write_csv, db):
    data = [program_row(name="First"), program_row(name="Second")]
    result = run_import(runner, write_csv(data))
    assert result.exit_code == 1
    assert 'row 3 (test-youth-tech): id: "test-youth-tech" already appears on row 2' in result.output
    assert db.catalog.get_program("test-youth-tech")["name"] == "First"


def test_ragged_rows_are_rejected_and_the_rest_imported(runner, tmp_path, db):
    header, good = csv_text([program_row()]).splitlines()
    other = csv_text([program_row(id="other-id")]).splitlines()[1]
    path = tmp_path / "ragged.csv"
    path.write_text(f"{header}\n{good}\nshort,row\n{other},extra\n")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "row 3 (short): this row has 2 cells but the header has" in result.output
    assert "row 4 (other-id): this row has" in result.output
    assert db.catalog.count_programs() == 1


def test_nul_bytes_and_huge_fields_are_rejected_without_a_trace(runner, write_csv, db):
    data = rows(3)
    data[0]["description"] = "before\x00after"
    data[1]["description"] = "x" * 200_000
    result = run_import(runner, write_csv(data))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "description: contains control characters (a NUL byte)" in result.output
    assert "description: is 200,000 characters long; the limit is 5,000" in result.output
    assert db.catalog.count_programs() == 1


def test_html_is_stored_as_text(runner, write_csv, db):
    name = '<img src=x onerror=alert(1)> & "friends"'
    run_import(runner, write_csv([program_row(name=name)]))
    assert db.catalog.get_program("test-youth-tech")["name"] == name


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "does not exist"),
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 400, "not CSV text"),
        (b"title,organization\nA,B\n", 'no "id" or "name" column'),
        (b"id,name,id\n1,2,3\n", 'the column "id" appears twice'),
        (b"id,name\n\x81\x8d\x8f\x90\x9d\n", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_unusable_files_exit_2_and_import_nothing(runner, tmp_path, db, content, message):
    path = tmp_path / "input.csv"
    if content is not None:
        path.write_bytes(content)
    result = run_import(runner, path)
    assert result.exit_code == 2
    assert message in result.output
    assert "Nothing was imported." in result.output
    assert db.catalog.count_programs() == 0


def test_files_over_the_size_limit_are_refused(app, runner, write_csv):
    app.config["ATLAS_IMPORT_MAX_BYTES"] = 1000
    result = run_import(runner, write_csv(rows(10)))
    assert result.exit_code == 2
    assert "the limit is 1,000" in result.output


def test_a_malformed_quote_rejects_only_its_row(runner, tmp_path, db):
    header, good = csv_text([program_row()]).splitlines()
    broken = good.replace("test-youth-tech", 'broken-"quote', 1)
    path = tmp_path / "quotes.csv"
    path.write_text(f"{header}\n{broken}\n{good}\n")
    result = run_import(runner, path)
    assert "Traceback" not in result.output
    assert db.catalog.get_program("test-youth-tech") is not None


def test_extra_sites_come_from_the_sites_file(runner, write_csv, db):
    programs = write_csv([program_row()])
    sites = write_csv(
        [
            {"program_id": "test-youth-tech", "address": "5100 Yonge St", "postal_code": "M2N 5V7"},
            {"program_id": "no-such-program", "address": "1 Main", "postal_code": "M2N 5V7"},
        ],
        name="sites.csv",
    )
    result = run_import(runner, programs, "--sites", str(sites))
    assert result.exit_code == 1
    assert '"no-such-program" is not a program in this file or the catalogue' in result.output
    program = db.catalog.get_program("test-youth-tech")
    assert [site["address"] for site in program["sites"]] == ["100 Queen St W, Toronto", "5100 Yonge St"]
    assert program["sites"][1]["latitude"] is not None
    again = run_import(runner, programs, "--sites", str(sites))
    assert "Unchanged: 1" in again.output


def test_reimporting_programs_alone_keeps_their_extra_sites(runner, write_csv, db):
    programs = write_csv([program_row()])
    sites = write_csv([{"program_id": "test-youth-tech", "address": "5100 Yonge St", "postal_code": "M2N 5V7"}], name="sites.csv")
    run_import(runner, programs, "--sites", str(sites))
    result = run_import(runner, programs)
    assert "Unchanged: 1" in result.output
    assert len(db.catalog.get_program("test-youth-tech")["sites"]) == 2
