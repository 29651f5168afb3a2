"""Refuse request bodies over the size limit even when they come without a Content-Length.

Werkzeug refuses a body whose Content-Length is over ``MAX_CONTENT_LENGTH``, but a chunked body
has no length up front: its form parser just stops reading at the limit, so an oversized form
was cut off and handled as though it were whole. This middleware reads such a body first, up
to one byte over the limit. Over it, the request is refused with 413 (the site's own error
page); within it, the app gets the body with its length, like any other request.
"""

import io

from flask import abort, request

TOO_LARGE = "atlas.body_too_large"
READ_SIZE = 64 * 1024


class BodyLimit:
    """WSGI middleware: buffer a body of unknown length, flagging one over the limit."""

    def __init__(self, wsgi_app, app):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ, start_response):
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and _unsized_body(environ):
            _buffer(environ, limit)
        return self.wsgi_app(environ, start_response)


def _unsized_body(environ):
    """A body whose end only the server knows (chunked, or a server that terminates input)."""
    if environ.get("CONTENT_LENGTH"):
        return False
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or bool(environ.get("wsgi.input_terminated"))


def _buffer(environ, limit):
    body = _read_at_most(environ["wsgi.input"], limit + 1)
    if len(body) > limit:
        environ[TOO_LARGE] = True
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


def _read_at_most(stream, size):
    """Read until the end of the body or ``size`` bytes (a read may return fewer than asked)."""
    chunks, remaining = [], size
    while remaining > 0:
        chunk = stream.read(min(READ_SIZE, remaining))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def refuse_oversized():
    if request.environ.get(TOO_LARGE):
        abort(413)


def register(app):
    """Install the middleware and the check; before the CSRF check, which reads the form."""
    app.wsgi_app = BodyLimit(app.wsgi_app, app)
    app.before_request(refuse_oversized)
