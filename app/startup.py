"""Start-up work, done once for all workers: migrate the schema, make the index usable and
apply any index work a crash left behind.

It runs under a file lock in the instance folder, so workers or commands starting together do
it one at a time, and the later ones find nothing left to do. Under gunicorn the master runs it
before forking (see ``gunicorn.conf.py``) and workers only check the schema.
"""

import contextlib
import fcntl
from pathlib import Path

from . import search
from .db import migrations, open_database, readings

LOCK_NAME = "startup.lock"


@contextlib.contextmanager
def _exclusive(instance_path):
    path = Path(instance_path) / LOCK_NAME
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(app):
    """Migrate, rebuild a missing or unreadable index, catch the index up, and write readings of
    referrals kept aside during a long write (``app.db.readings``)."""
    with _exclusive(app.instance_path), open_database(app.config) as db:
        _refuse_newer(db.migrate)  # migrating checks first that the database is not newer
        search.ensure(app, db)
        search.after_commit(app, db, timeout=search.WRITE_TIMEOUT_SECONDS)
        readings.flush_kept(db, app.instance_path)


def check(app):
    """A worker's start: refuse a database written by a newer release."""
    with open_database(app.config) as db:
        _refuse_newer(db.check_schema)


def _refuse_newer(step):
    try:
        step()
    except migrations.SchemaTooNew as error:
        raise SystemExit(f"Cannot start: {error}") from None
