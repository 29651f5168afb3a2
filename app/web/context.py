"""Per-request access to the store and the vocabulary, opened lazily after any server fork."""

import datetime as dt

from flask import current_app, g

from ..store import Store


def get_store():
    if "store" not in g:
        g.store = Store(current_app.config["DATABASE"], current_app.config["ATLAS_BUSY_TIMEOUT_MS"])
    return g.store


def close_store():
    store = g.pop("store", None)
    if store is not None:
        store.close()


def vocabularies():
    return current_app.extensions["atlas.vocabularies"]


def today():
    return dt.date.today()


def stale_after_days():
    return current_app.config["ATLAS_STALE_AFTER_DAYS"]
