"""The schema evolves by recorded migrations: an old database upgrades without loss, a newer one
is refused, and the database runs in WAL mode so pages read while imports write."""

import sqlite3
from pathlib import Path

import pytest

from app import create_app
from app.db import Database, migrations

RELEASE_0_1 = Path(__file__).resolve().parents[1] / "data" / "release-0.1.sql"


@pytest.fixture
def legacy_instance(tmp_path):
    """An instance folder holding the database exactly as release 0.1 left it (no index yet)."""
    instance = tmp_path / "instance"
    instance.mkdir()
    conn = sqlite3.connect(instance / "atlas.sqlite")
    conn.executescript(RELEASE_0_1.read_text())
    conn.close()
    return instance


def test_a_release_0_1_database_migrates_without_loss(legacy_instance):
    app = create_app({"ATLAS_INSTANCE_PATH": str(legacy_instance), "TESTING": True})
    client = app.test_client()
    with Database(legacy_instance / "atlas.sqlite") as db:
        assert [p["id"] for p in db.catalog.all_programs()] == ["legacy-one", "legacy-two"]
        assert db.catalog.get_program("legacy-two")["phone"] == "+1 416 555 0100"
        assert {p["version"] for p in db.catalog.all_programs()} == {1}
        editor = db.accounts.find_user("editor@legacy.example.org")
        assert editor["name"] == "Legacy Editor" and editor["version"] == 1
        assert db.accounts.count_attempts("account:x@example.org", 0) == 1
        (entry,) = db.audit.history("program", "legacy-one")
        assert entry["changes"] == {"eligibility": ["Old rule.", "Ontario resident, not in full-time school."],
                                    "seats": ["15", "20"]}
        assert entry["user_id"] == editor["id"] and entry["at"] == "2026-11-21T10:00:00+00:00"
        assert not db.connection.db["listing_changes"].exists()
        assert db.schema_version() == migrations.KNOWN[-1]
    assert client.get("/api/programs?q=legacy").get_json()["total"] == 2  # the index was built at start-up
    assert app.test_cli_runner().invoke(args=["check-index"]).exit_code == 0


def test_migrate_records_each_step_once(legacy_instance):
    app = create_app({"ATLAS_INSTANCE_PATH": str(legacy_instance)})
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0
    assert "The database schema is up to date." in result.output
    with Database(legacy_instance / "atlas.sqlite") as db:
        applied, pending, unknown = migrations.status(db.connection.db)
    assert applied == migrations.KNOWN and pending == [] and unknown == []


def test_the_app_refuses_a_database_from_a_newer_release(app):
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.db["_sqlite_migrations"].insert(
            {"migration_set": "atlas", "name": "9999_from_the_future", "applied_at": "2027-01-01"}
        )
    with pytest.raises(SystemExit) as refused:
        create_app({"ATLAS_INSTANCE_PATH": app.instance_path})
    assert "newer release" in str(refused.value) and "9999_from_the_future" in str(refused.value)
    with pytest.raises(SystemExit):
        create_app({"ATLAS_INSTANCE_PATH": app.instance_path}, prepare=False)  # a server worker too


def test_the_database_runs_in_wal_mode(app):
    with Database(app.config["DATABASE"]) as db:
        assert db.connection.scalar("PRAGMA journal_mode") == "wal"
        assert db.connection.scalar("PRAGMA synchronous") == 1  # NORMAL


def test_a_backup_is_a_working_database_and_the_index_is_rebuilt_from_it(app, catalogue, tmp_path):
    from ..support.rows import program_row

    catalogue([program_row(), program_row(id="second", name="Second Chance Kitchen")])
    copy = tmp_path / "restored" / "atlas.sqlite"
    result = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    again = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert again.exit_code == 1 and "already exists" in again.output
    restored = create_app({"ATLAS_INSTANCE_PATH": str(copy.parent)})
    assert restored.test_client().get("/api/programs?q=kitchen").get_json()["total"] == 1
