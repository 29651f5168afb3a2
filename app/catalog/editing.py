"""Editing one listing through the web: the importer's rules, what changed, and placement."""

from .changes import FURTHER_SITES, as_text, diff
from .importer import place_sites, recheck_sites
from .validation import Problem, validate_program, validate_site


def edit_program(current, submitted, *, editable, vocabularies, locate, today, place, misplaced=None):
    """Validate an edit. Returns (record, changes, problems).

    ``submitted`` holds the form's raw text for the ``editable`` fields (and ``further_sites``,
    the sites after the first, one per line as "address | postal code"); every other field
    keeps its current value, so an editor cannot touch what the form does not offer.
    ``changes`` is ``{field: [old, new]}``: only what differs in meaning.
    """
    before = as_text(current)
    raw = dict(before)
    raw.update({name: submitted[name] for name in editable if name in submitted})
    record, problems = validate_program(raw, vocabularies, locate, today)
    extra, site_problems = _further_sites(current, submitted.get(FURTHER_SITES), locate)
    problems = list(problems) + site_problems
    if problems:
        return None, {}, problems
    record["sites"] = record["sites"][:1] + extra
    recheck_sites(record["sites"], misplaced)
    place_sites(record["sites"], place)
    return record, diff(before, as_text(record)), []


def _further_sites(current, text, locate):
    if text is None:
        return [dict(site) for site in current["sites"][1:]], []
    sites, problems = [], []
    # A site whose address and postal code are unchanged keeps where it was placed (a move to its
    # district's centre, coordinates typed by an administrator).
    known = {(s.get("address") or "", s.get("postal_code") or ""): s for s in current["sites"][1:]}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        address, _, postal_code = line.partition("|")
        row = {"program_id": current["id"], "address": address.strip(), "postal_code": postal_code.strip()}
        _, site, line_problems = validate_site(row, locate)
        problems += [Problem(FURTHER_SITES, f"line {number}: {p}") for p in line_problems]
        if site:
            sites.append(dict(known.get((site.get("address") or "", site.get("postal_code") or ""), site)))
    return sites, problems


def confirm(current, today):
    """The listing confirmed as still accurate by its organization today."""
    record = dict(current, verification="confirmed", last_verified=today.isoformat())
    return record, diff(as_text(current), as_text(record))
