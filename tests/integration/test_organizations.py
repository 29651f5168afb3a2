"""Organizations as records: imported with the programs' rules, shown with how to reach them,
listed in a directory a project lead can narrow to the people and the ward they recruit from,
and edited by their own editors without losing anyone's change."""

import pytest
from werkzeug.datastructures import MultiDict

from app.db import Database

from ..support.accounts import sign_in
from ..support.forms import form_fields, with_value
from ..support.rows import csv_text, program_row

ORGANIZATION = {
    "id": "own-org", "name": "Own Org", "description": "Employment services for youth in Scarborough.",
    "organization_type": "community-agency", "website": "https://own.example.org", "phone": "416-555-0142",
    "email": "intake@own.example.org", "address": "100 Queen St W, Toronto", "postal_code": "M5H 2N2",
    "languages": "en;fr", "source_url": "https://own.example.org/about", "source_date": "2025-06-01",
    "last_verified": "2026-11-30",
}


def organizations_file(tmp_path, rows):
    path = tmp_path / "organizations.csv"
    path.write_text(csv_text(rows))
    return path


def test_an_organizations_file_is_imported_with_a_row_report(runner, people, tmp_path):
    bad = dict(ORGANIZATION, id="bad-org", organization_type="charity-shop", email="x?bcc=a@b.org")
    result = runner.invoke(args=["import-organizations", str(organizations_file(tmp_path, [ORGANIZATION, bad]))])
    assert result.exit_code == 1
    assert "Updated: 1" in result.output and "Rejected: 1" in result.output
    assert 'organization_type: "charity-shop" is not a kind of organization' in result.output
    assert "email: " in result.output and "row 3 (bad-org)" in result.output


def test_the_organization_page_says_how_to_reach_them(client, runner, people, tmp_path):
    runner.invoke(args=["import-organizations", str(organizations_file(tmp_path, [ORGANIZATION]))])
    page = client.get("/organizations/own-org").get_data(as_text=True)
    for text in ("Employment services for youth in Scarborough.", "Community agency", "416-555-0142",
                 "mailto:intake@own.example.org", "100 Queen St W, Toronto, M5H 2N2", "French",
                 "Its programs serve", "a source from 2025"):
        assert text in page, text


def test_an_import_that_renames_an_organization_renames_its_listings_with_history(app, runner, people, tmp_path):
    runner.invoke(args=["import-organizations", str(organizations_file(tmp_path, [dict(ORGANIZATION, name="Own Org East")]))])
    with Database(app.config["DATABASE"]) as db:
        assert db.catalog.get_program("own-program")["organization"] == "Own Org East"
        (rename,) = [e for e in db.audit.history("program", "own-program") if e["action"] == "rename"]
        assert rename["changes"] == {"organization": ["Own Org", "Own Org East"]}


def test_the_directory_narrows_to_people_and_wards_served(client, catalogue):
    catalogue([
        program_row(id="women-west", organization="West Women", organization_id="west-women", populations="women",
                    service_area="ward:03"),
        program_row(id="youth-all", organization="Citywide Youth", organization_id="citywide-youth",
                    populations="youth", service_area="city-wide"),
        program_row(id="youth-closed", organization="Closed Youth", organization_id="closed-youth",
                    populations="youth", service_area="ward:03", status="ended"),
    ])
    page = client.get("/organizations?population=youth&ward=03").get_data(as_text=True)
    assert "Citywide Youth" in page and "West Women" not in page and "Closed Youth" not in page
    assert "1 organization" in page
    assert "West Women" in client.get("/organizations?ward=03&q=women").get_data(as_text=True)
    assert client.get("/organizations?ward=26").status_code == 400
    assert client.get("/organizations?population=ladies").status_code == 400


def test_an_editor_edits_the_profile_and_a_stale_form_is_refused(app, two_editors):
    client, other = two_editors
    path = "/organizations/own-org/edit"
    mine = form_fields(client.get(path).get_data(as_text=True), path)
    theirs = form_fields(other.get(path).get_data(as_text=True), path)
    saved = client.post(path, data=MultiDict(with_value(mine, "phone", "416-555-0177")))
    assert saved.status_code == 302
    refused = other.post(path, data=MultiDict(with_value(theirs, "description", "Trades training.")))
    assert refused.status_code == 409 and "416-555-0177" in refused.get_data(as_text=True)
    with Database(app.config["DATABASE"]) as db:
        organization = db.catalog.get_organization("own-org")
        assert organization["phone"] == "416-555-0177" and organization["description"] in (None, "")
    review = form_fields(refused.get_data(as_text=True), path)
    assert other.post(path, data=MultiDict(review)).status_code == 302  # saving the review loses nothing
    with Database(app.config["DATABASE"]) as db:
        organization = db.catalog.get_organization("own-org")
        assert (organization["phone"], organization["description"]) == ("416-555-0177", "Trades training.")
        entries = [(e["version"], e["changes"]) for e in db.audit.history("organization", "own-org")]
        assert entries == [(3, {"description": ["", "Trades training."]}), (2, {"phone": ["", "416-555-0177"]})]


def test_renaming_with_other_changes_gives_one_entry_per_version(app, client, people):
    sign_in(client, people["editor"])
    path = "/organizations/own-org/edit"
    fields = with_value(form_fields(client.get(path).get_data(as_text=True), path), "name", "Own Org North")
    assert client.post(path, data=MultiDict(with_value(fields, "phone", "416-555-0100"))).status_code == 302
    with Database(app.config["DATABASE"]) as db:
        entries = [(e["version"], e["action"], sorted(e["changes"])) for e in db.audit.history("organization", "own-org")]
        assert entries == [(3, "edit", ["phone"]), (2, "rename", ["name"])]
        assert db.catalog.get_program("own-program")["organization"] == "Own Org North"


@pytest.mark.parametrize("field, value, message", [("website", "not a url", "is not a web address"),
                                                   ("postal_code", "12345", "is not a postal code")])
def test_profile_mistakes_are_named(client, people, field, value, message):
    sign_in(client, people["editor"])
    path = "/organizations/own-org/edit"
    fields = form_fields(client.get(path).get_data(as_text=True), path)
    response = client.post(path, data=MultiDict(with_value(fields, field, value)))
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_file_with_fewer_columns_keeps_the_others(app, runner, people, tmp_path):
    runner.invoke(args=["import-organizations", str(organizations_file(tmp_path, [ORGANIZATION]))])
    short = tmp_path / "short.csv"
    short.write_text(csv_text([{"id": "own-org", "name": "Own Org", "description": "Now also trades."}]))
    result = runner.invoke(args=["import-organizations", str(short)])
    assert "columns not in the file (kept as they are): organization_type" in result.output
    with Database(app.config["DATABASE"]) as db:
        organization = db.catalog.get_organization("own-org")
    assert organization["description"] == "Now also trades." and organization["phone"] == "416-555-0142"
    assert organization["languages"] == ["en", "fr"]


def test_home_page_counts_what_its_links_find(client, catalogue):
    catalogue([program_row(id="running", sectors="retail"), program_row(id="closed", sectors="retail", status="ended")])
    page = client.get("/").get_data(as_text=True)
    assert client.get("/api/programs?sector=retail").get_json()["total"] == 1
    assert 'sector=retail">Retail</a> <span class="count">1</span>' in page
    assert "1 programs from 1 organizations" in page


def test_a_program_row_cannot_rename_its_organization_behind_its_back(app, runner, people, write_csv):
    row = program_row(id="own-program", name="Own Program", organization="Own Organisation Inc", organization_id="own-org")
    result = runner.invoke(args=["import-programs", str(write_csv([row]))])
    assert '"Own Organisation Inc" is listed as "Own Org" (organization own-org)' in result.output
    with Database(app.config["DATABASE"]) as db:
        assert db.catalog.get_organization("own-org")["name"] == "Own Org"
        assert db.catalog.get_program("own-program")["organization"] == "Own Org"
        assert db.audit.history("organization", "own-org") == []


def test_init_db_loads_the_bundled_catalogue_without_renaming_anything(bundled):
    from app.db import Database

    with Database(bundled.config["DATABASE"]) as db:
        renames = db.connection.scalar("SELECT count(*) FROM audit_log WHERE action = 'rename'")
    assert renames == 0 and "is listed as" not in bundled.init_db_output
