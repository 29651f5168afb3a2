"""Editing one listing through the web: the importer's rules, a change log, and placement."""

import datetime as dt

from .export import program_rows
from .fields import FIELD_NAMES
from .importer import place_sites
from .validation import validate_program


def edit_program(current, submitted, *, editable, vocabularies, locate, today, place):
    """Validate an edit. Returns (record, changes, problems).

    ``submitted`` holds the form's raw text for the ``editable`` fields; every other field keeps
    its current value, so an editor cannot touch what the form does not offer.
    """
    raw = next(program_rows([current]))
    raw.update({name: submitted.get(name, "") for name in editable})
    record, problems = validate_program(raw, vocabularies, locate, today)
    if problems:
        return None, [], problems
    record["sites"] = record["sites"][:1] + [dict(site) for site in current["sites"][1:]]
    place_sites(record["sites"], place)
    before = next(program_rows([current]))
    after = next(program_rows([record]))
    changes = [
        {"field": name, "old": before[name], "new": after[name]}
        for name in FIELD_NAMES
        if before[name] != after[name]
    ]
    return record, changes, []


def confirm(current, today):
    """The listing confirmed as still accurate by its organization today."""
    record = dict(current, verification="confirmed", last_verified=today.isoformat())
    changes = [
        {"field": name, "old": str(current.get(name) or ""), "new": str(record[name])}
        for name in ("verification", "last_verified")
        if current.get(name) != record[name]
    ]
    return record, changes


def stamped(changes, program_id, user_id):
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return [dict(change, program_id=program_id, user_id=user_id, at=at) for change in changes]
