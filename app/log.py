"""Logging, configured in one place: one format, one level setting and a line per request.

The request line is the site's access log, so it is written with secrets taken out: a
password-reset link's token is replaced and query strings are never logged. The same format is
used for gunicorn's own messages (see ``gunicorn.conf.py``).
"""

import logging
import re
import sys
import time

from flask import g, request

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
HANDLER_NAME = "atlas"
SECRET_ARGUMENTS = ("token",)  # view arguments that must never reach a log
SECRET_PATHS = ((re.compile(r"^/reset/[^/]+"), "/reset/[token]"),)  # also when no route matched
QUIET_PATHS = ("/healthz",)  # polled every few seconds by monitors: logged at DEBUG
MAX_PATH_CHARACTERS = 300
requests_log = logging.getLogger("app.requests")


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is now, not the stream it was created with (a test
    runner replaces stdout for each test; a handler kept from an earlier app would write to a
    closed stream)."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def configure(app):
    """Set the level and our handler on the app's loggers, and log each request.

    Idempotent: create_app runs many times in one process (tests), and a second handler would
    print every line twice.
    """
    logger = logging.getLogger(app.name)
    logger.setLevel(level(app.config["ATLAS_LOG_LEVEL"]))
    if not any(handler.name == HANDLER_NAME for handler in logger.handlers):
        handler = _StdoutHandler()
        handler.name = HANDLER_NAME
        handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
        logger.addHandler(handler)
    _quiet_development_server()
    app.before_request(_start_clock)
    app.after_request(_log_request)


def level(name):
    """The logging level a setting names (any case); a misspelt name stops the start."""
    levels = logging.getLevelNamesMapping()
    try:
        return levels[str(name).strip().upper()]
    except KeyError:
        raise SystemExit(f"ATLAS_LOG_LEVEL must be one of {', '.join(sorted(levels))}, not {name!r}") from None


def _start_clock():
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    milliseconds = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    severity = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
    requests_log.log(severity, "%s %s %s %.0fms", request.method, loggable_path(), response.status_code, milliseconds)
    return response


def loggable_path():
    """The request's path fit for a log: secret arguments replaced, no query string, no
    control characters (a path could otherwise forge extra log lines), and not too long."""
    path = request.path
    arguments = request.view_args or {}
    for name in SECRET_ARGUMENTS:
        if arguments.get(name):
            path = path.replace(str(arguments[name]), f"[{name}]")
    for pattern, replacement in SECRET_PATHS:
        path = pattern.sub(replacement, path)
    path = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in path)
    return path if len(path) <= MAX_PATH_CHARACTERS else path[:MAX_PATH_CHARACTERS] + "..."


class _WithoutRequestLines(logging.Filter):
    """Drops the development server's own request lines: they include query strings and
    reset tokens, and our request line already says the same."""

    def filter(self, record):
        return not (isinstance(record.args, tuple) and len(record.args) == 3 and '"%s" %s %s' in str(record.msg))


def _quiet_development_server():
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _WithoutRequestLines) for f in logger.filters):
        logger.addFilter(_WithoutRequestLines())
