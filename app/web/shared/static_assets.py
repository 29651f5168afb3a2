"""Compressed responses, and static files cached for a year under URLs that change with them.

Pages link to static files through ``static_url``, which adds ``v=`` (a fingerprint of the
file's content). A browser may keep such a file for a year without asking again: when the file
changes, its fingerprint and so its URL change too, and pages link to the new one. A static URL
without the current fingerprint (an old page, a hand-typed link, an image a style sheet names)
is kept for an hour only.
"""

import hashlib
import os
from functools import lru_cache

from flask import current_app, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress
from werkzeug.security import safe_join

VERSIONED = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=3600"
COMPRESSION = {
    "COMPRESS_MIMETYPES": [
        "text/html", "text/css", "text/plain", "application/json", "application/javascript",
        "text/javascript", "image/svg+xml",
    ],
    "COMPRESS_MIN_SIZE": 500,  # smaller bodies fit in a packet either way
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],  # static files are sent as streams
}


def register(app):
    """Compress responses, give static files their lifetimes and pages ``static_url``.

    Registered before the session's headers, so that its ``no-store`` for signed-in pages
    is replaced on static files (which are the same for everybody).
    """
    for key, value in COMPRESSION.items():
        app.config.setdefault(key, value)
    Compress(app)
    app.session_interface = _NoSessionOnStaticFiles()
    app.after_request(cache_static)
    app.add_template_global(static_url)


class _NoSessionOnStaticFiles(SecureCookieSessionInterface):
    """Static files are the same for everybody and cached publicly for a year: they must not
    carry anybody's session cookie, which a shared cache could hand to the next visitor."""

    def should_set_cookie(self, app, session):
        return request.endpoint != "static" and super().should_set_cookie(app, session)


def static_url(filename):
    """The URL of a file under static/, with its content's fingerprint when the file exists."""
    version = fingerprint(filename)
    if version is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def fingerprint(filename):
    """The first 12 hex digits of the file's SHA-256, or None for a file that is not there."""
    path = safe_join(current_app.static_folder, filename or "")
    try:
        stat = os.stat(path)
    except (OSError, TypeError):
        return None
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _digest(path, _mtime_ns, _size):
    """Read once per process and version of the file (the cache key changes when it does)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:12]


def cache_static(response):
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    version = request.args.get("v")
    current = version and version == fingerprint((request.view_args or {}).get("filename"))
    response.headers["Cache-Control"] = VERSIONED if current else UNVERSIONED
    # Compression (which runs next) swaps the file's stream for a compressed one; the file
    # must still be closed when the response is.
    response.call_on_close(getattr(response.response, "close", lambda: None))
    return response
