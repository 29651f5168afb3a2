"""Workforce Atlas: a map and clearinghouse of Toronto's workforce-development initiatives."""

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_babel import Babel
from werkzeug.middleware.proxy_fix import ProxyFix

from . import log, settings, startup
from .catalog.vocabulary import load_all
from .gaps.cache import GapsCache
from .matching.cache import CatalogueCache

MAX_REQUEST_BYTES = 2 * 1024 * 1024
babel = Babel()


def create_app(test_config=None, *, prepare=True):
    """Build the application: settings, vocabulary, blueprints, CLI commands.

    ``prepare`` runs the start-up work (migrations, index repair); server workers skip it
    because the server's master process has done it once for all of them.
    """
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
    app.extensions["atlas.matching_catalogue"] = CatalogueCache()  # kept per process, see app.web.shared.context
    app.extensions["atlas.gaps"] = GapsCache()
    babel.init_app(app, default_translation_directories=str(settings.PROJECT_ROOT / "translations"),
                   default_timezone="America/Toronto")
    app.jinja_env.add_extension("jinja2.ext.do")  # templates build lists of facts to join
    log.configure(app)
    if prepare:
        startup.prepare(app)
    else:
        startup.check(app)

    from . import cli, referral_cli, web

    web.register(app)
    cli.register(app)
    referral_cli.register(app)
    app.teardown_appcontext(_close_database)
    _behind_proxies(app)
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


def _behind_proxies(app):
    """Believe the client address and scheme the trusted proxies in front report, and nothing
    else: behind a proxy every client would otherwise share its address (and its sign-in
    limit). The host is never taken from a header: a client could set it, and links in
    password-reset emails would then point elsewhere (ATLAS_BASE_URL names the site instead)."""
    proxies = app.config["ATLAS_TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _close_database(exception=None):
    from .web.shared.context import close_database

    close_database()
