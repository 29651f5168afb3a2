"""``/healthz``: can this worker reach the database and search the index?

For load balancers and monitors: 200 when both work, 503 when either does not, so a worker that
cannot serve searches is taken out of rotation. The body says which part failed, the schema
version and how many changed programs the index has not applied yet; never a stack trace.
"""

import logging

from flask import Blueprint, current_app, jsonify

from ... import search
from .context import get_db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """Report the database and the index; 503 unless both are reachable."""
    report = {"status": "unavailable", "database": False, "index": False, "schema_version": None, "index_lag": None}
    report.update(_database(), index=_index_usable())
    if report["database"]:
        report["index_lag"] = _lag()
    healthy = report["database"] and report["index"]
    report["status"] = "ok" if healthy else "unavailable"
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _database():
    """Reachable and migrated: a database with no schema (a lost file, say) cannot serve."""
    try:
        version = get_db().schema_version()
    except Exception as error:  # noqa: BLE001 - any failure means "unreachable", reported not raised
        log.warning("Health check: the database is unreachable: %s", error)
        return {"database": False}
    if version is None:
        log.warning("Health check: the database has no schema; run `flask --app app migrate`.")
    return {"database": version is not None, "schema_version": version}


def _index_usable():
    try:
        usable = search.search_index(current_app).index.usable()
    except Exception as error:  # noqa: BLE001
        log.warning("Health check: the search index is unreachable: %s", error)
        return False
    if not usable:
        log.warning("Health check: the search index is missing or unreadable.")
    return usable


def _lag():
    try:
        return search.lag(current_app, get_db())
    except Exception as error:  # noqa: BLE001
        log.warning("Health check: could not count the index's pending work: %s", error)
        return None
