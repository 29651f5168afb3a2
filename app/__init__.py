"""Workforce Atlas: a map and clearinghouse of Toronto's workforce-development initiatives."""

import os
import secrets
from pathlib import Path

from flask import Flask

from . import search, settings
from .catalog.vocabulary import load_all
from .store import Store

MAX_REQUEST_BYTES = 2 * 1024 * 1024


def create_app(test_config=None):
    """Build the application: settings, vocabulary, blueprints, CLI commands."""
    config = settings.from_environment()
    config.update(test_config or {})
    app = Flask(
        __name__,
        instance_path=str(Path(config["ATLAS_INSTANCE_PATH"]).resolve()),
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        static_folder=str(settings.PROJECT_ROOT / "static"),
    )
    app.config.update(config)
    app.config["MAX_CONTENT_LENGTH"] = config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SECRET_KEY"] = config["ATLAS_SECRET_KEY"] or _shared_secret(app.instance_path)
    app.config["DATABASE"] = os.path.join(app.instance_path, "atlas.sqlite")
    app.extensions["atlas.vocabularies"] = load_all(Path(config["ATLAS_DATA_PATH"]) / "vocabulary")
    _ensure_schema(app)

    from . import cli
    from .web import accounts, admin, api, auth, editing, errors, maps, pages, security

    for blueprint in (pages.bp, maps.bp, accounts.bp, admin.bp, editing.bp):
        app.register_blueprint(blueprint)
    auth.register(app)
    app.register_blueprint(api.bp)
    errors.register(app)
    security.register(app)
    cli.register(app)
    app.teardown_appcontext(_close_store)
    return app


def _shared_secret(instance_path):
    """A key created once in the instance folder, so every worker signs sessions alike.

    Written to a temporary file and linked into place, so a worker never reads a half-written key.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        temporary = path.with_name(f"secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        temporary.write_text(secrets.token_hex(32))
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _ensure_schema(app):
    """Create missing tables, and rebuild a missing or unreadable search index, at start-up.

    The connection is closed before any worker forks.
    """
    store = Store(app.config["DATABASE"], app.config["ATLAS_BUSY_TIMEOUT_MS"])
    try:
        store.create_schema()
        search.ensure(app, store)
    finally:
        store.close()


def _close_store(exception=None):
    from .web.context import close_store

    close_store()
