"""Fixtures that start the app, shared by the integration tests and the browser tests.

Unit tests (tests/unit) cannot use them: tests/unit/conftest.py refuses them. Pure helpers live
in tests/support, for every kind of test.
"""

import shutil

import jinja2
import pytest

from app import create_app
from app.db import Database

from .support.accounts import ROLES, password_hash
from .support.geo import GEO_MIRROR
from .support.rows import csv_text, program_row


@pytest.fixture
def write_csv(tmp_path):
    """Write rows to a CSV file in the test's folder; returns its path."""

    def write(rows, name="programs.csv", encoding="utf-8", columns=None):
        path = tmp_path / name
        path.write_bytes(csv_text(rows, columns).encode(encoding))
        return path

    return write


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per test process and shared by every test app (all are configured
    alike by create_app): a new app would otherwise compile each template again. Jinja checks
    each template's source against the compiled copy."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


def start_app(instance, template):
    """create_app over a copy of ``template``, an instance folder as the app's start-up leaves it."""
    shutil.copytree(template, instance, symlinks=True, dirs_exist_ok=True)
    app = create_app({"ATLAS_INSTANCE_PATH": str(instance), "TESTING": True})
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


@pytest.fixture(scope="session")
def migrated_instance(tmp_path_factory):
    """An instance folder as the app's start-up leaves it, made once per test process: the schema
    migrated and an empty search index. Each test's app starts from a copy of it rather than
    migrating and indexing anew (the migrations themselves: tests/integration/test_migrations.py)."""
    path = tmp_path_factory.mktemp("migrated") / "instance"
    create_app({"ATLAS_INSTANCE_PATH": str(path), "TESTING": True})
    (path / "secret_key").unlink()  # each app makes its own, as on a new instance
    return path


@pytest.fixture
def app(tmp_path, migrated_instance):
    return start_app(tmp_path / "instance", migrated_instance)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def catalogue(app, runner, write_csv):
    """Import rows into the test app's catalogue through the real CLI."""

    def load(rows):
        path = write_csv(rows, name="catalogue.csv")
        result = runner.invoke(args=["import-programs", str(path)])
        assert result.exit_code == 0, result.output
        return result

    return load


@pytest.fixture(scope="session")
def bundled(tmp_path_factory):
    """An app loaded with the bundled Toronto data by `init-db`, shared by read-only tests."""
    app = create_app({"ATLAS_INSTANCE_PATH": str(tmp_path_factory.mktemp("bundled")), "TESTING": True})
    result = app.test_cli_runner().invoke(args=["init-db"])
    app.init_db_output = result.output
    app.init_db_exit_code = result.exit_code
    return app


@pytest.fixture(scope="session")
def geo_instance(tmp_path_factory):
    """An instance folder with the boundaries fetched from the offline mirror (once a run)."""
    if not (GEO_MIRROR / "toronto-wards-25.geojson").exists():
        pytest.skip("the offline geodata mirror is not available")
    path = tmp_path_factory.mktemp("geo-instance")
    app = create_app({"ATLAS_INSTANCE_PATH": str(path), "ATLAS_GEO_MIRROR": str(GEO_MIRROR)})
    result = app.test_cli_runner().invoke(args=["fetch-geodata"])
    assert result.exit_code == 0, result.output
    return path


BUNDLED_GEO = {"TESTING": True, "ATLAS_MAP_TILES": "none"}


@pytest.fixture(scope="session")
def bundled_geo(geo_instance, tmp_path_factory):
    """The bundled data in an instance that also has the City's boundaries, as `make run` serves
    it (once a run, shared by read-only tests)."""
    path = tmp_path_factory.mktemp("bundled-geo")
    shutil.copytree(geo_instance / "geo", path / "geo")
    app = create_app({"ATLAS_INSTANCE_PATH": str(path), **BUNDLED_GEO})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="session")
def public_bundled_geo(bundled_geo):
    """A second app over bundled_geo's instance (read-only), its gaps dashboard open to everyone
    (ATLAS_PUBLIC_GAPS=1): bundled_geo itself keeps the dashboard for convenors."""
    return create_app({"ATLAS_INSTANCE_PATH": bundled_geo.instance_path, **BUNDLED_GEO, "ATLAS_PUBLIC_GAPS": 1})


@pytest.fixture
def geo_app(geo_instance, tmp_path, migrated_instance):
    """A fresh app whose instance already has the boundaries."""
    instance = tmp_path / "instance"
    shutil.copytree(geo_instance / "geo", instance / "geo")
    return start_app(instance, migrated_instance)


@pytest.fixture
def people(app, catalogue):
    """Two organizations with a program each, and an active account of every role in the first."""
    catalogue(
        [
            program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org"),
            program_row(id="other-program", name="Other Program", organization="Other Org", organization_id="other-org"),
        ]
    )
    db = Database(app.config["DATABASE"])
    hashed = password_hash()
    emails = {}
    with db.write():
        for role in ROLES:
            email = f"{role}@own.example.org"
            db.accounts.add_user({"email": email, "name": f"Own {role}", "password_hash": hashed, "role": role,
                            "organization_id": "own-org", "status": "active", "session_version": 0})
            emails[role] = email
        db.accounts.add_user({"email": "editor@other.example.org", "name": "Other editor", "password_hash": hashed,
                        "role": "editor", "organization_id": "other-org", "status": "active", "session_version": 0})
    db.close()
    return emails
