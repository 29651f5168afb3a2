"""Turn one raw CSV row into a clean program record, or say exactly what is wrong with it.

Pure functions over plain dicts: no Flask, no database. Each parser takes the stripped cell text
and returns the clean value or raises ``Invalid`` with a message a data steward can act on.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..geo.codes import NEIGHBOURHOODS, WARDS
from .fields import BY_NAME, FIELDS, SITE_FIELDS

# The City of Toronto's extent (from the 25-ward boundary file), with a small margin for
# sites on the boundary roads.
TORONTO_BOUNDS = {"south": 43.575, "north": 43.861, "west": -79.645, "east": -79.110}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSTAL_RE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
# Letters, digits and . _ + - before the @: enough for real addresses, and nothing a mailto:
# link would read as headers (?, &, =) or that could break out of an attribute.
EMAIL_RE = re.compile(r"^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
PHONE_RE = re.compile(r"^[0-9+().\-\s]+((ext\.?|x)\s*\d+)?$", re.IGNORECASE)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
SINGLE_LINE_RE = re.compile(r"[\r\n\t]")

INTAKES = ("continuous", "cohort")
# The whole numbers a cell may hold, by kind: ages in years, counts of seats or weeks.
NUMBER_RANGES = {"age": (0, 120), "count": (0, 100000)}
# What an empty cell means: a listing is a program unless it says otherwise, and nobody has
# confirmed that it still runs until a source says so.
DEFAULTS = {"listing_type": "program", "status": "unknown"}
VERIFICATIONS = ("compiled", "confirmed")
PRECISIONS = ("postal_code", "fsa", "manual")
# "ward:5" or "neighbourhood:72" in a service area, padded on import to "ward:05".
AREA_RES = {
    places: re.compile(rf"^{places.kind}:(\d{{1,{places.digits}}})$") for places in (WARDS, NEIGHBOURHOODS)
}


class Invalid(ValueError):
    """A cell's value is unusable; the message says why."""


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str

    def __str__(self):
        return f"{self.field}: {self.reason}" if self.field else self.reason


def clean_text(value, max_length, multiline=False):
    """(stripped text, problem or None) for a person's typing: names, messages, profiles.

    Control characters (NUL, terminal escapes) are refused rather than stripped, so what is
    saved is exactly what was typed, and an export of it imports again.
    """
    value = one_line_ending(value or "").strip()
    if CONTROL_RE.search(value) or (not multiline and SINGLE_LINE_RE.search(value)):
        return value, "contains control characters"
    if len(value) > max_length:
        return value, f"is {len(value):,} characters long; the limit is {max_length:,}"
    return value, None


def slugify(text):
    """A stable slug for free text, used when an organization comes without an id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100]


def normalise_postal_code(value):
    """'m5v3l9' -> 'M5V 3L9'; raises Invalid when it is not a Canadian postal code."""
    match = POSTAL_RE.match(value.strip().upper())
    if not match:
        raise Invalid(f'"{value}" is not a postal code (expected the form A1A 1A1)')
    return f"{match.group(1)} {match.group(2)}"


def inside_toronto(latitude, longitude):
    box = TORONTO_BOUNDS
    return box["south"] <= latitude <= box["north"] and box["west"] <= longitude <= box["east"]


def _quoted(value, limit=40):
    shown = value if len(value) <= limit else value[:limit] + "..."
    return f'"{shown}"'


def parse_id(value, field):
    value = value.strip().lower()
    if not SLUG_RE.match(value):
        raise Invalid(
            f"{_quoted(value)} is not a valid id: use lowercase letters, digits and single hyphens"
        )
    return value


def parse_text(value, field):
    return value


def parse_list(value, field):
    return _unique(part.strip() for part in value.split(";") if part.strip())


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _check_slug(value, vocabulary):
    slug = value.strip().lower()
    if slug in vocabulary:
        return slug
    return Invalid(vocabulary.refusal(value, _quoted(value)))


def parse_slugs(value, field, vocabularies):
    slugs, errors = [], []
    for part in parse_list(value, field):
        checked = _check_slug(part, vocabularies[field.vocabulary])
        (errors if isinstance(checked, Invalid) else slugs).append(checked)
    if errors:
        raise Invalid("; ".join(str(error) for error in errors))
    return _unique(slugs)


def parse_slug(value, field, vocabularies):
    checked = _check_slug(value, vocabularies[field.vocabulary])
    if isinstance(checked, Invalid):
        raise checked
    return checked


def parse_service_area(value, field):
    areas = []
    for part in parse_list(value.lower(), field):
        areas.append(_service_area_code(part))
    if "city-wide" in areas and len(areas) > 1:
        raise Invalid('"city-wide" cannot be combined with wards or neighbourhoods')
    return _unique(areas)


def _service_area_code(part):
    part = part.replace(" ", "")
    if part in ("city-wide", "citywide"):
        return "city-wide"
    for places, pattern in AREA_RES.items():
        match = pattern.match(part)
        if match and places.in_range(int(match.group(1))):
            return f"{places.kind}:{places.code(int(match.group(1)))}"
    raise Invalid(
        f"{_quoted(part)} is not a service area: use city-wide, {WARDS.span('ward:')}, "
        f"or {NEIGHBOURHOODS.span('neighbourhood:')}"
    )


def parse_postal_code(value, field):
    code = normalise_postal_code(value)
    if not code.startswith("M"):
        raise Invalid(f'"{code}" is not a Toronto postal code (Toronto codes start with M)')
    return code


def _parse_float(value, low, high, what):
    try:
        number = float(value)
    except ValueError:
        raise Invalid(f"{_quoted(value)} is not a number") from None
    if not low <= number <= high:
        raise Invalid(f"{number} is outside Toronto ({what} {low} to {high})")
    return round(number, 6)


def parse_latitude(value, field):
    return _parse_float(value, TORONTO_BOUNDS["south"], TORONTO_BOUNDS["north"], "latitude")


def parse_longitude(value, field):
    return _parse_float(value, TORONTO_BOUNDS["west"], TORONTO_BOUNDS["east"], "longitude")


def _parse_choice(value, choices, what):
    choice = value.strip().lower()
    if choice not in choices:
        raise Invalid(f"{_quoted(value)} is not a {what}: use {' or '.join(choices)}")
    return choice


def parse_precision(value, field):
    return _parse_choice(value, PRECISIONS, "location precision")


def parse_intake(value, field):
    return _parse_choice(value, INTAKES, "kind of intake")


def parse_verification(value, field):
    return _parse_choice(value, VERIFICATIONS, "verification status")


def _parse_int(value, low, high):
    if not re.fullmatch(r"\d{1,6}", value):
        raise Invalid(f"{_quoted(value)} is not a whole number")
    number = int(value)
    if not low <= number <= high:
        raise Invalid(f"{number} is not between {low} and {high}")
    return number


def parse_age(value, field):
    return _parse_int(value, *NUMBER_RANGES["age"])


def parse_count(value, field):
    return _parse_int(value, *NUMBER_RANGES["count"])


def parse_date(value, field):
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise Invalid(f"{_quoted(value)} is not a date: use YYYY-MM-DD") from None


def parse_url(value, field):
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise Invalid(f"{_quoted(value)} is not a web address starting with http:// or https://")
    return value


def parse_email(value, field):
    if not EMAIL_RE.match(value):
        raise Invalid(f"{_quoted(value)} is not an email address")
    return value


def parse_phone(value, field):
    if not PHONE_RE.match(value) or len(re.sub(r"\D", "", value)) < 7:
        raise Invalid(f"{_quoted(value)} is not a phone number")
    return value


PARSERS = {
    "id": parse_id,
    "text": parse_text,
    "list": parse_list,
    "service_area": parse_service_area,
    "postal_code": parse_postal_code,
    "latitude": parse_latitude,
    "longitude": parse_longitude,
    "precision": parse_precision,
    "age": parse_age,
    "count": parse_count,
    "intake": parse_intake,
    "verification": parse_verification,
    "date": parse_date,
    "url": parse_url,
    "email": parse_email,
    "phone": parse_phone,
}
VOCABULARY_PARSERS = {"slugs": parse_slugs, "slug": parse_slug}


def one_line_ending(text):
    """Line breaks as "\n" whatever sent them: browsers send "\r\n" from a text area, so
    without this an unchanged description would differ from the stored one."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_cell(field, raw, vocabularies):
    """Clean one cell. Empty cells become None (or [] for lists)."""
    value = one_line_ending(raw or "").strip()
    if "\x00" in value:
        raise Invalid("contains control characters (a NUL byte)")
    if len(value) > field.max_length:
        raise Invalid(f"is {len(value):,} characters long; the limit is {field.max_length:,}")
    if CONTROL_RE.search(value):
        raise Invalid("contains control characters")
    if not field.multiline and SINGLE_LINE_RE.search(value):
        raise Invalid("must be on one line (it contains a line break or a tab)")
    if not value:
        return [] if field.kind in ("slugs", "list", "service_area") else None
    if field.kind in VOCABULARY_PARSERS:
        return VOCABULARY_PARSERS[field.kind](value, field, vocabularies)
    return PARSERS[field.kind](value, field)


def parse_cells(raw, fields, vocabularies):
    """Parse every listed field; return (values, problems)."""
    values, problems = {}, []
    for field in fields:
        try:
            values[field.name] = parse_cell(field, raw.get(field.name), vocabularies)
        except Invalid as error:
            problems.append(Problem(field.name, str(error)))
            values[field.name] = None
        else:
            if field.required and values[field.name] in (None, []):
                problems.append(Problem(field.name, "is required"))
    return values, problems


def check_program_rules(values, today):
    """Rules that span several fields of a parsed program.

    Each rule looks only at fields that parsed, so a row or form with a mistake elsewhere is
    still told about these at the same time rather than one round later.
    """
    found = (rule(values, today.isoformat()) for rule in PROGRAM_RULES)
    return [problem for problem in found if problem is not None]


def _ages_in_order(values, today):
    low, high = values.get("age_min"), values.get("age_max")
    if low is not None and high is not None and low > high:
        return Problem("age_max", f"{high} is below the minimum age {low}; the maximum age cannot be lower")
    return None


def _verified_not_ahead(values, today):
    verified = values.get("last_verified")
    if verified and verified > today:
        return Problem("last_verified", f"{verified} is in the future")
    return None


def _continuous_has_no_intake_date(values, today):
    if values.get("intake") == "continuous" and values.get("next_intake_date"):
        return Problem("next_intake_date", "a program with continuous intake has no next intake date")
    return None


def _deadline_before_intake(values, today):
    deadline, intake = values.get("application_deadline"), values.get("next_intake_date")
    if deadline and intake and deadline > intake:
        return Problem(
            "application_deadline",
            f"the application deadline, {deadline}, is after the next intake date, {intake}; "
            "it must be on or before that date",
        )
    return None


def _end_date_needs_status(values, today):
    if values.get("end_date") and values.get("status") in (None, "active", "unknown"):
        return Problem("status", "a program with an end date is time-limited, paused or ended")
    return None


def _source_date_not_ahead(values, today):
    return _not_ahead(values, "source_date", today)


def _capacity_date_not_ahead(values, today):
    return _not_ahead(values, "capacity_updated", today)


def _not_ahead(values, name, today):
    if values.get(name) and values[name] > today:
        return Problem(name, f"{values[name]} is in the future")
    return None


def _capacity_date_needs_status(values, today):
    if values.get("capacity_updated") and not values.get("capacity_status"):
        return Problem("capacity_status", "say how much room there is, since a date is given")
    return None


PROGRAM_RULES = (
    _ages_in_order,
    _verified_not_ahead,
    _continuous_has_no_intake_date,
    _deadline_before_intake,
    _end_date_needs_status,
    _source_date_not_ahead,
    _capacity_date_not_ahead,
    _capacity_date_needs_status,
)


def locate_site(values, locate):
    """Fill a site's coordinates from its postal code when they are missing.

    ``locate(postal_code)`` returns (latitude, longitude, precision) or None. Coordinates typed
    in the file win and are marked ``manual`` unless the file says otherwise.
    """
    site = {name: values.get(name) for name in SITE_FIELDS}
    has_lat, has_lon = site["latitude"] is not None, site["longitude"] is not None
    if has_lat != has_lon:
        missing = "longitude" if has_lat else "latitude"
        return site, [Problem(missing, "is required when the other coordinate is given")]
    if has_lat:
        site["location_precision"] = site["location_precision"] or "manual"
    elif site["postal_code"]:
        found = locate(site["postal_code"])
        if found is None:
            return site, [Problem("postal_code", f'"{site["postal_code"]}" was not found in the Toronto postal-code table')]
        site["latitude"], site["longitude"], site["location_precision"] = found
    else:
        site["location_precision"] = None
    return site, []


def validate_program(raw, vocabularies, locate, today):
    """Validate one programs.csv row.

    Returns (record, problems). ``record`` is None when anything is wrong: a row is taken
    whole or not at all.
    """
    values, problems = parse_cells(raw, FIELDS, vocabularies)
    problems += _unless_named(check_program_rules(values, today), problems)
    site, site_problems = locate_site(values, locate) if not problems else (None, [])
    problems += site_problems
    if problems:
        return None, problems
    record = {name: value for name, value in values.items() if name not in SITE_FIELDS}
    record["organization_id"] = record["organization_id"] or slugify(record["organization"])
    record.update({name: record[name] or default for name, default in DEFAULTS.items()})
    record["sites"] = [site] if _is_site(site) else []
    return record, []


def _unless_named(problems, already):
    """Problems about fields not already named: one reason per field, the first found."""
    named = {problem.field for problem in already}
    return [problem for problem in problems if problem.field not in named]


def validate_site(raw, locate):
    """Validate one sites.csv row; returns (program_id, site, problems)."""
    fields = [BY_NAME["id"]] + [BY_NAME[name] for name in SITE_FIELDS]
    renamed = dict(raw, id=raw.get("program_id"))
    values, problems = parse_cells(renamed, fields, {})
    program_id = values.pop("id")
    if problems:
        return program_id, None, [_site_problem(p) for p in problems]
    site, problems = locate_site(values, locate)
    if not problems and not _is_site(site):
        problems = [Problem("address", "a site needs an address, a postal code or coordinates")]
    return program_id, (site if not problems else None), problems


def _site_problem(problem):
    return Problem("program_id", problem.reason) if problem.field == "id" else problem


def _is_site(site):
    return any(site.get(name) not in (None, "") for name in ("address", "postal_code", "latitude"))
