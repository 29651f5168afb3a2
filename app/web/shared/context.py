"""Per-request access to the database and the vocabulary, opened lazily after any server fork."""

import datetime as dt

from flask import current_app, g

from ... import links
from ...db import open_database, readings
from ...geo import places


def get_db():
    if "db" not in g:
        g.db = open_database(current_app.config)
    return g.db


def readings_file():
    """The side file where readings wait while a long write holds the database (``db.readings``)."""
    if "readings" not in g:
        g.readings = readings.SideFile(current_app.instance_path)
    return g.readings


def close_database():
    for name in ("db", "readings"):
        opened = g.pop(name, None)
        if opened is not None:
            opened.close()


def public_url(endpoint, **values):
    """An absolute link to give people (see ``app.links``)."""
    return links.public_url(current_app, endpoint, **values)


def matching_catalogue():
    """The catalogue prepared for matching, made again only when a program changed."""
    return current_app.extensions["atlas.matching_catalogue"].get(
        get_db(), vocabularies(), boundaries, stale_after_days())


def vocabularies():
    return current_app.extensions["atlas.vocabularies"]


def today():
    return dt.date.today()


def stale_after_days():
    return current_app.config["ATLAS_STALE_AFTER_DAYS"]


def boundaries():
    """The City's ward and neighbourhood boundaries, or None when they have not been fetched."""
    return places.load(current_app.instance_path)


def place_names():
    """{"ward": {code: name}, "neighbourhood": {code: name}} from the boundaries, or {} without them."""
    loaded = boundaries()
    if loaded is None:
        return {}
    return {"ward": loaded.ward_names(), "neighbourhood": loaded.neighbourhood_names()}


def ward_at(latitude, longitude):
    """The ward of a point (a client's postal code), or None without boundaries or outside
    the City."""
    loaded = boundaries()
    return loaded.ward_at(latitude, longitude) if loaded is not None else None


def now():
    """The current moment (UTC); a test sets ``atlas.clock`` to freeze it."""
    clock = current_app.extensions.get("atlas.clock")
    return clock() if clock else dt.datetime.now(dt.timezone.utc)
