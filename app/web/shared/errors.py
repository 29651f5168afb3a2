"""Errors as friendly pages in the site's layout, or as JSON under /api: never a stack trace."""

import sqlite3

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from ...db.connection import is_busy
from ...log import loggable_path
from ...search import IndexUnavailable
from .params import BadParameter

MESSAGES = {
    500: "Something went wrong on our side. Please try again in a minute.",
    503: _l("The atlas is busy saving a large change. Nothing you sent was saved yet: go back, wait a "
            "minute and send it again."),
    "index": _l("The atlas is rebuilding its search index. Try again in a minute."),
}

# status: (the page's title, its heading, what happened and what to do when the error says nothing better)
PAGES = {
    400: (_l("Bad request"), _l("That request has a mistake in it"),
          _l("Something in the address or the form could not be read. Go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your account cannot do that"),
          _l("Your account does not allow this. If you think it should, ask an administrator of the atlas.")),
    404: (_l("Page not found"), _l("We can't find that page"),
          _l("The address may be mistyped or out of date, or the page may have been moved or removed.")),
    405: (_l("Not possible here"), _l("That can't be done at this address"),
          _l("This address does not take that kind of request. Go back to the page you came from and use "
             "its links and buttons.")),
    409: (_l("Changed meanwhile"), _l("This changed while you had it open"),
          _l("Someone else changed it at the same time. Reload the page, check it and try again.")),
    413: (_l("Too large"), _l("That is too large to send"),
          _l("What you sent is larger than the atlas accepts. Send a shorter text or a smaller file.")),
    429: (_l("Too many tries"), _l("Too many tries in a short time"),
          _l("Wait a few minutes, then try again.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side"),
          _l("It is not something you did. Try again in a minute; if it keeps happening, tell an "
             "administrator of the atlas what you were doing.")),
    503: (_l("Busy"), _l("The atlas is busy"), _l("Try again in a minute.")),
}
OTHER_REFUSAL = (_l("Request refused"), _l("That request could not be answered"),
                 _l("Go back to the page you came from and try again."))


def json_error(status, code, message, field=None):
    body = {"error": {"code": code, "message": message, "field": field}}
    return jsonify(body), status


def _wants_json():
    return request.path.startswith("/api/") or request.path == "/api"


def error_page(status, explanation=None):
    """The page for an error status, in the site's layout, with the explanation the error gave
    when it gave one (a page of its own that is missing, a form's named mistake)."""
    title, heading, general = PAGES.get(status) or (PAGES[500] if status >= 500 else OTHER_REFUSAL)
    message = explanation or general
    try:
        return render_template("errors/error.html", status=status, title=title, heading=heading, message=message)
    except Exception:
        # The layout itself failed (a broken template, a database gone during the page): still
        # answer in the atlas's words rather than the server's stock page.
        current_app.logger.exception("The error page for %s could not be drawn", status)
        return f'<!doctype html><html lang="en"><title>{escape(title)}</title><h1>{escape(heading)}</h1><p>{escape(message)}</p>'


def _own_description(error):
    """What the code that raised the error said, or None when it is Werkzeug's stock sentence."""
    stock = {getattr(cls, "description", None) for cls in type(error).__mro__}
    if isinstance(error, InternalServerError) or error.description in stock:
        return None
    return error.description


def _extra_headers(error):
    """Headers the status needs besides its body (Allow on a 405, Retry-After when set)."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def handle_http_error(error):
    status = error.code or 500
    if _wants_json():
        description = error.description if status != 500 else MESSAGES[500]
        body, _status = json_error(status, error.name.lower().replace(" ", "_"), description)
        return body, status, _extra_headers(error)
    return error_page(status, _own_description(error)), status, _extra_headers(error)


def handle_busy_database(error):
    """A long import holds the write lock: say so and ask to try again, rather than a 500."""
    if not is_busy(error):
        return handle_unexpected(error)
    return _try_again_soon("busy", MESSAGES[503], "The database was busy", error)


def handle_index_unavailable(error):
    """The search index is missing while it is rebuilt: the same 503 /healthz gives, not a 500."""
    return _try_again_soon("index_unavailable", MESSAGES["index"], "The search index was unavailable", error)


def _try_again_soon(code, message, what, error):
    """A 503 with Retry-After, logged as a warning: the atlas is working, not broken."""
    current_app.logger.warning("%s on %s: %s", what, loggable_path(), error)
    response = json_error(503, code, str(message))[0] if _wants_json() else error_page(503, message)
    return response, 503, {"Retry-After": "30"}


def handle_unexpected(error):
    current_app.logger.exception("Unhandled error on %s", loggable_path())
    return handle_http_error(InternalServerError())


def handle_bad_parameter(error):
    if _wants_json():
        return json_error(400, "bad_parameter", error.message, error.parameter)
    return render_template("errors/bad_request.html", message=str(error)), 400


def register(app):
    app.register_error_handler(BadParameter, handle_bad_parameter)
    app.register_error_handler(sqlite3.OperationalError, handle_busy_database)
    app.register_error_handler(IndexUnavailable, handle_index_unavailable)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
