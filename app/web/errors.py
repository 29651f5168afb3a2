"""Errors as friendly pages, or as JSON under /api: never a stack trace."""

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from .params import BadParameter

MESSAGES = {
    400: "The request could not be understood.",
    404: "That page does not exist.",
    405: "That action is not allowed here.",
    413: "That upload is too large.",
    500: "Something went wrong on our side. Please try again in a minute.",
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


def handle_unexpected(error):
    current_app.logger.exception("Unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def handle_bad_parameter(error):
    if _wants_json():
        return json_error(400, "bad_parameter", error.message, error.parameter)
    return render_template("errors/bad_request.html", message=str(error)), 400


def register(app):
    app.register_error_handler(BadParameter, handle_bad_parameter)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
