"""Errors as friendly pages, or as JSON under /api: never a stack trace."""

import sqlite3

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..log import loggable_path
from .params import BadParameter

MESSAGES = {
    400: "The request could not be understood.",
    404: "That page does not exist.",
    405: "That action is not allowed here.",
    413: "That upload is too large.",
    500: "Something went wrong on our side. Please try again in a minute.",
    503: "The atlas is busy saving a large change. Nothing you sent was saved yet: go back, wait a "
         "minute and send it again.",
}


def json_error(status, code, message, field=None):
    body = {"error": {"code": code, "message": message, "field": field}}
    return jsonify(body), status


def _wants_json():
    return request.path.startswith("/api/") or request.path == "/api"


def handle_http_error(error):
    status = error.code or 500
    description = error.description if status != 500 else MESSAGES[500]
    if _wants_json():
        code = error.name.lower().replace(" ", "_")
        return json_error(status, code, description)
    message = description or MESSAGES.get(status, error.name)
    return render_template("errors/error.html", status=status, title=error.name, message=message), status


def handle_busy_database(error):
    """A long import holds the write lock: say so and ask to try again, rather than a 500."""
    if "locked" not in str(error) and "busy" not in str(error):
        return handle_unexpected(error)
    current_app.logger.warning("The database was busy on %s: %s", loggable_path(), error)
    message = MESSAGES[503]
    if _wants_json():
        response = json_error(503, "busy", message)[0]
    else:
        response = render_template("errors/error.html", status=503, title="Busy", message=message)
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
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
