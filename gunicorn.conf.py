"""gunicorn's settings for the atlas: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make run``).

HOST, PORT and WORKERS come from the environment. The start-up work (schema migrations, index
repair and catch-up) runs once, in the master, before any worker is forked; workers then start
at once and never race each other through it.
"""

import os
import time

from gunicorn.glogging import Logger

from app.log import DATE_FORMAT, FORMAT

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '5000'}"
workers = int(os.environ.get("WORKERS") or 2)
preload_app = False  # wsgi.py runs in each worker, after the fork, so each starts its own watcher
accesslog = None  # the app logs one line per request itself, with reset tokens and queries left out
errorlog = "-"


class AtlasLogger(Logger):
    """gunicorn's own messages (workers starting, timeouts, errors) in the app's log format.

    A subclass rather than ``logconfig_dict``: a logging dict would also switch gunicorn's access
    log on (with full paths and query strings) and print the app's lines a second time.
    """

    error_fmt = FORMAT
    datefmt = DATE_FORMAT


logger_class = AtlasLogger
# The default control socket is one per user ($HOME/.gunicorn), so two sites (or a test run next
# to `make run`) would take it from each other. To use it, remove this line and pass --control-socket.
control_socket_disable = True


def on_starting(server):
    """Migrate the schema and make the search index usable and current, once for all workers."""
    from app import create_app

    started = time.monotonic()
    server.log.info("Start-up work: migrating the database and checking the search index")
    create_app()
    server.log.info("Start-up work done in %.1f s; starting %d workers", time.monotonic() - started, server.num_workers)
