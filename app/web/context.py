"""Per-request access to the database and the vocabulary, opened lazily after any server fork."""

import datetime as dt

from flask import current_app, g

from ..db import open_database


def get_db():
    if "db" not in g:
        g.db = open_database(current_app.config)
    return g.db


def close_database():
    db = g.pop("db", None)
    if db is not None:
        db.close()


def vocabularies():
    return current_app.extensions["atlas.vocabularies"]


def today():
    return dt.date.today()


def stale_after_days():
    return current_app.config["ATLAS_STALE_AFTER_DAYS"]
