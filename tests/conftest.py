import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest

from app import create_app
from app.catalog.fields import FIELD_NAMES
from app.db import Database

TODAY = dt.date.today()


def program_row(**overrides):
    """A valid programs.csv row, as a dict of strings, with any field overridden."""
    row = {name: "" for name in FIELD_NAMES}
    row.update(
        id="test-youth-tech",
        name="Youth Tech Pathways",
        organization="Test Community Services",
        organization_id="test-community-services",
        description="Twelve weeks of IT support training with a paid placement.",
        sectors="ict",
        populations="youth;newcomers",
        interventions="sector-training;job-matching;post-placement-coaching",
        service_area="city-wide",
        address="100 Queen St W, Toronto",
        postal_code="M5H 2N2",
        delivery_mode="in-person",
        languages="en;fr",
        age_min="18",
        age_max="29",
        eligibility="Ontario resident, not in full-time school.",
        fee="free",
        intake="cohort",
        next_intake_date=(TODAY + dt.timedelta(days=30)).isoformat(),
        seats="20",
        duration_weeks="12",
        funders="provincial",
        website="https://example.org/youth-tech",
        phone="416-555-0100",
        email="info@example.org",
        source_url="https://example.org/youth-tech",
        verification="compiled",
        last_verified=TODAY.isoformat(),
    )
    row.update(overrides)
    return row


def csv_text(rows, columns=None):
    columns = columns or list(rows[0].keys())
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return handle.getvalue()


@pytest.fixture
def write_csv(tmp_path):
    """Write rows to a CSV file in the test's folder; returns its path."""

    def write(rows, name="programs.csv", encoding="utf-8", columns=None):
        path = tmp_path / name
        path.write_bytes(csv_text(rows, columns).encode(encoding))
        return path

    return write


@pytest.fixture
def app(tmp_path):
    return create_app({"ATLAS_INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The test app's database, migrated by the app's start-up."""
    db = Database(app.config["DATABASE"])
    yield db
    db.close()


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
def bundled_client(bundled):
    return bundled.test_client()


GEO_MIRROR = Path(os.environ.get("ATLAS_GEO_MIRROR") or Path(__file__).resolve().parents[2] / "shared" / "geo")
needs_geo_mirror = pytest.mark.skipif(
    not (GEO_MIRROR / "toronto-wards-25.geojson").exists(), reason="the offline geodata mirror is not available"
)


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


@pytest.fixture(scope="session")
def bundled_geo(geo_instance, tmp_path_factory):
    """The bundled data in an instance that also has the City's boundaries, as `make run` serves
    it (once a run, shared by read-only tests)."""
    import shutil

    path = tmp_path_factory.mktemp("bundled-geo")
    shutil.copytree(geo_instance / "geo", path / "geo")
    app = create_app({"ATLAS_INSTANCE_PATH": str(path), "TESTING": True, "ATLAS_MAP_TILES": "none"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="module")
def public_geo(bundled_geo):
    """A client of the bundled data with boundaries, its dashboard open to everyone."""
    bundled_geo.config["ATLAS_PUBLIC_GAPS"] = 1
    yield bundled_geo.test_client()
    bundled_geo.config["ATLAS_PUBLIC_GAPS"] = 0


@pytest.fixture
def geo_app(geo_instance, tmp_path):
    """A fresh app whose instance already has the boundaries."""
    import shutil

    instance = tmp_path / "instance"
    shutil.copytree(geo_instance / "geo", instance / "geo")
    return create_app({"ATLAS_INSTANCE_PATH": str(instance), "TESTING": True})


PASSWORD = "a long enough passphrase"
ROLES = ("member", "editor", "convenor", "admin")


def form_token(client):
    """The session's CSRF token, as a page's form would carry it."""
    with client.session_transaction() as session:
        return session.setdefault("csrf", "test-csrf-token")


def loaded_version(client, path):
    """The record version the form at ``path`` carries, as a browser would send it back."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def sign_in(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": form_token(client)})


@pytest.fixture
def people(app, catalogue):
    """Two organizations with a program each, and an active account of every role in the first."""
    from app.accounts.passwords import hash_password
    from app.db import Database

    catalogue(
        [
            program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org"),
            program_row(id="other-program", name="Other Program", organization="Other Org", organization_id="other-org"),
        ]
    )
    db = Database(app.config["DATABASE"])
    hashed = hash_password(PASSWORD)
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


@pytest.fixture
def two_editors(app, client, people):
    """Two people signed in at once, in two browsers: the organization's editor and an administrator."""
    admin = app.test_client()
    sign_in(client, people["editor"])
    sign_in(admin, people["admin"])
    return client, admin
