"""Unit tests: pure functions, without the Flask app, a test client, a database file or a browser.

The app fixtures of tests/conftest.py are refused here by name, and starting the app from a
test fails: a test that needs the app belongs in tests/integration.
"""

import pytest

import app as atlas

APP_FIXTURES = ("app", "runner", "catalogue", "bundled", "geo_instance", "bundled_geo", "public_bundled_geo",
                "geo_app", "people")


def _refused(name):
    @pytest.fixture(name=name)
    def refuse():
        pytest.fail(f"`{name}` starts the app, which unit tests do not do: move the test to tests/integration")

    return refuse


for _name in APP_FIXTURES:
    globals()[f"refuse_{_name}"] = _refused(_name)


@pytest.fixture(autouse=True)
def _no_app(monkeypatch):
    def create_app(*args, **kwargs):
        raise AssertionError("unit tests do not start the app: move the test to tests/integration")

    monkeypatch.setattr(atlas, "create_app", create_app)
