"""Editing one listing through the web: the importer's rules, what changed, and placement."""

from .changes import FURTHER_SITES, as_text, diff
from .importer import place_sites, recheck_sites
from .validation import Invalid, Problem, normalise_postal_code, validate_program, validate_site

# The sites as an edit form's blocks send them, in order: [(address, postal code)]. The first
# is the listing's own site (its address and postal code columns), the others its further sites.
SITES = "sites"
SITE_TEXT_FIELDS = ("address", "postal_code")
COORDINATES = ("latitude", "longitude", "location_precision")
CITY_WIDE = "city-wide"


def edit_program(current, submitted, *, editable, vocabularies, locate, today, place, misplaced=None):
    """Validate an edit. Returns (record, changes, problems).

    ``submitted`` holds the form's raw text for the ``editable`` fields. The sites come either
    as ``sites`` (see ``SITES``; problems then name ``site-N-address`` and ``site-N-postal_code``)
    or as the first site's columns plus ``further_sites``, one per line as "address | postal
    code" (problems name ``further_sites`` and the line). Every other field keeps its current
    value, so an editor cannot touch what the form does not offer. A site whose address and
    postal code are unchanged keeps where it was placed; a changed one is located afresh from
    its postal code, as the importer does. ``changes`` is ``{field: [old, new]}``: only what
    differs in meaning.
    """
    before = as_text(current)
    raw = dict(before)
    raw.update({name: submitted[name] for name in editable if name in submitted})
    typed_sites = compact_sites(submitted[SITES]) if SITES in submitted else None
    if typed_sites is not None:
        raw.update(zip(SITE_TEXT_FIELDS, typed_sites[0] if typed_sites else ("", "")))
    if not any(name in submitted and name in editable for name in COORDINATES):
        raw.update(_kept_coordinates(current, raw["address"], raw["postal_code"]))
    record, problems = validate_program(raw, vocabularies, locate, today)
    if typed_sites is None:
        extra, site_problems = _further_sites(current, submitted.get(FURTHER_SITES), locate)
    else:
        problems = [_first_site_problem(problem) for problem in problems]
        extra, site_problems = _typed_sites(current, typed_sites[1:], locate)
    problems = list(problems) + site_problems
    if problems:
        return None, {}, problems
    record["sites"] = record["sites"][:1] + extra
    recheck_sites(record["sites"], misplaced)
    place_sites(record["sites"], place)
    return record, diff(before, as_text(record)), []


def site_field(number, name):
    """The form field of a site's address or postal code: sites are numbered from 1."""
    return f"site-{number}-{name}"


def compact_sites(pairs):
    """The (address, postal code) pairs a person filled in, stripped: an emptied block is a
    removed site."""
    stripped = ((address.strip(), postal_code.strip()) for address, postal_code in pairs)
    return [pair for pair in stripped if any(pair)]


def sites_as_text(pairs):
    """Typed sites as the edit form's text values: the first site's columns, the rest as lines."""
    pairs = compact_sites(pairs)
    address, postal_code = pairs[0] if pairs else ("", "")
    lines = "\n".join(f"{a} | {p}" for a, p in pairs[1:])
    return {"address": address, "postal_code": postal_code, FURTHER_SITES: lines}


def site_pairs(values):
    """Every site in text values (see ``sites_as_text``), first site first."""
    first = (values.get("address") or "", values.get("postal_code") or "")
    further = [_split_line(line) for line in (values.get(FURTHER_SITES) or "").splitlines()]
    return compact_sites([first, *further])


def _split_line(line):
    """"address | postal code": a postal code never holds a "|", so an address may."""
    if "|" not in line:
        return line.strip(), ""
    address, _, postal_code = line.rpartition("|")
    return address.strip(), postal_code.strip()


def service_area_text(scope, codes):
    """The stored service area for the form's choice: all of Toronto, or the places ticked."""
    if scope == CITY_WIDE:
        return CITY_WIDE
    if scope == "places":
        codes = [code for code in codes if code != CITY_WIDE]
    return ";".join(code for code in codes if code)


def _same_place(site, address, postal_code):
    return (site.get("address") or "") == address and (site.get("postal_code") or "") == _postal(postal_code)


def _postal(text):
    try:
        return normalise_postal_code(text)
    except Invalid:
        return text


def _placed_site(current, address, postal_code):
    """The current site at this address and postal code, or None."""
    return next((site for site in current["sites"] if _same_place(site, address, postal_code)), None)


def _kept_coordinates(current, address, postal_code):
    """The first site's coordinates: kept when it is still at a known place, else left for
    the postal code to give."""
    site = _placed_site(current, (address or "").strip(), (postal_code or "").strip()) or {}
    return {name: "" if site.get(name) is None else str(site[name]) for name in COORDINATES}


def _first_site_problem(problem):
    if problem.field in SITE_TEXT_FIELDS:
        return Problem(site_field(1, problem.field), problem.reason)
    if problem.field in COORDINATES:
        return Problem(site_field(1, "postal_code"), problem.reason)
    return problem


def _typed_sites(current, pairs, locate):
    """The further sites typed in blocks 2, 3...; problems name the block's field."""
    sites, problems = [], []
    for number, (address, postal_code) in enumerate(pairs, 2):
        site, site_problems = _site(current, address, postal_code, locate)
        problems += [Problem(site_field(number, _site_text_field(p.field)), p.reason) for p in site_problems]
        if site:
            sites.append(site)
    return sites, problems


def _site_text_field(name):
    return name if name in SITE_TEXT_FIELDS else "postal_code"


def _site(current, address, postal_code, locate):
    """(site, problems) for one typed site; one still at a known place keeps its placement
    (a move to its district's centre, coordinates typed by an administrator)."""
    row = {"program_id": current["id"], "address": address, "postal_code": postal_code}
    _, site, problems = validate_site(row, locate)
    if not site:
        return None, problems
    known = _placed_site(current, site.get("address") or "", site.get("postal_code") or "")
    return dict(known or site), []


def _further_sites(current, text, locate):
    if text is None:
        return [dict(site) for site in current["sites"][1:]], []
    sites, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        site, line_problems = _site(current, *_split_line(line), locate)
        problems += [Problem(FURTHER_SITES, f"line {number}: {p}") for p in line_problems]
        if site:
            sites.append(site)
    return sites, problems


def confirm(current, today):
    """The listing confirmed as still accurate by its organization today."""
    record = dict(current, verification="confirmed", last_verified=today.isoformat())
    return record, diff(as_text(current), as_text(record))
