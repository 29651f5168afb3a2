"""Fixtures only the integration tests use: test clients and the database of the test app. The
apps themselves are made in tests/conftest.py, which the browser tests share."""

import pytest

from app import create_app
from app.db import Database

from ..support.accounts import sign_in


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """The test app's database, migrated by the app's start-up."""
    db = Database(app.config["DATABASE"])
    yield db
    db.close()


@pytest.fixture(scope="session")
def bundled_client(bundled):
    return bundled.test_client()


@pytest.fixture(scope="session")
def public_bundled(bundled):
    """A second app over the bundled data's instance (read-only), its gaps dashboard open to
    everyone (ATLAS_PUBLIC_GAPS=1): the shared `bundled` app keeps it for convenors."""
    return create_app({"ATLAS_INSTANCE_PATH": bundled.instance_path, "TESTING": True, "ATLAS_PUBLIC_GAPS": 1})


@pytest.fixture(scope="module")
def public_geo(public_bundled_geo):
    """A client of the bundled data with boundaries, its dashboard open to everyone."""
    return public_bundled_geo.test_client()


@pytest.fixture
def two_editors(app, client, people):
    """Two people signed in at once, in two browsers: the organization's editor and an administrator."""
    admin = app.test_client()
    sign_in(client, people["editor"])
    sign_in(admin, people["admin"])
    return client, admin
