"""Editing one listing through the web: the importer's rules, a change log, and placement."""

import datetime as dt

from .export import program_rows
from .fields import FIELD_NAMES
from .importer import place_sites
from .validation import Problem, validate_program, validate_site


def edit_program(current, submitted, *, editable, vocabularies, locate, today, place, further_sites=None):
    """Validate an edit. Returns (record, changes, problems).

    ``submitted`` holds the form's raw text for the ``editable`` fields; every other field keeps
    its current value, so an editor cannot touch what the form does not offer. ``further_sites``
    is the text of the sites after the first, one per line as "address | postal code" (None
    keeps them as they are).
    """
    before = next(program_rows([current]))
    raw = dict(before)
    raw.update({name: submitted.get(name, "") for name in editable})
    record, problems = validate_program(raw, vocabularies, locate, today)
    extra, site_problems = _further_sites(current, further_sites, locate)
    problems = list(problems) + site_problems
    if problems:
        return None, [], problems
    record["sites"] = record["sites"][:1] + extra
    place_sites(record["sites"], place)
    after = next(program_rows([record]))
    changes = [
        {"field": name, "old": before[name], "new": after[name]}
        for name in FIELD_NAMES
        if before[name] != after[name]
    ]
    old_sites, new_sites = further_sites_text(current), further_sites_text(record)
    if old_sites != new_sites:
        changes.append({"field": "further_sites", "old": old_sites, "new": new_sites})
    return record, changes, []


def further_sites_text(program):
    """The sites after the first, as the edit form shows them."""
    return "\n".join(f"{s.get('address') or ''} | {s.get('postal_code') or ''}" for s in program["sites"][1:])


def _further_sites(current, text, locate):
    if text is None:
        return [dict(site) for site in current["sites"][1:]], []
    sites, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        address, _, postal_code = line.partition("|")
        row = {"program_id": current["id"], "address": address.strip(), "postal_code": postal_code.strip()}
        _, site, line_problems = validate_site(row, locate)
        problems += [Problem("further_sites", f"line {number}: {p}") for p in line_problems]
        if site:
            sites.append(site)
    return sites, problems


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
