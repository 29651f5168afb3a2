"""Parse list and search query parameters into a SearchRequest, or name the bad parameter."""

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from ...catalog import facet_registry
from ...catalog.validation import Invalid, inside_toronto, normalise_postal_code
from ...geo.postcodes import locate
from ...search.engine import SORTS, SearchRequest
from ...search.query import QueryError, parse
from . import context

MAX_PER_PAGE = 100
LARGEST_INTEGER = 2 ** 63 - 1  # SQLite's; a larger number in a request names no record
MAX_PAGE = 10_000
MAX_OPEN_WITHIN_DAYS = 366
MAX_RADIUS_KM = 100
MAX_AGE = 120
TORONTO_DISTRICT_LETTER = "M"
DISTRICT_RE = re.compile(r"[A-Z][0-9][A-Z]")
LAT_LON_RE = re.compile(r"-?[0-9]{1,3}(\.[0-9]+)?\s*,\s*-?[0-9]{1,3}(\.[0-9]+)?")
DIGITS_RE = re.compile(r"[0-9]{1,9}")
# What near= takes, as the OpenAPI description declares it: lat,lon, a postal code or its district.
NEAR_PATTERN = (r"^\s*(-?[0-9]{1,3}(\.[0-9]+)?\s*,\s*-?[0-9]{1,3}(\.[0-9]+)?"
                r"|[A-Za-z][0-9][A-Za-z]( ?[0-9][A-Za-z][0-9])?)?\s*$")


class BadParameter(ValueError):
    def __init__(self, parameter, message):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def single(args, name, default=None):
    """The value of a parameter that takes one; given more than once, it is a mistake, named."""
    values = args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, _("Give %(name)s once.", name=name))
    return values[0] if values else default


def _whole_number(args, name, default, low, high):
    value = single(args, name)
    if value in (None, ""):
        return default
    if not DIGITS_RE.fullmatch(value) or not low <= int(value) <= high:
        raise BadParameter(name, f'"{value[:20]}" is not a whole number from {low} to {high}')
    return int(value)


def default_sort(has_text, near):
    if near:
        return "distance"
    return "relevance" if has_text else "name"


def parse_sort(value, has_text, near=None):
    if value in (None, ""):
        return default_sort(has_text, near)
    if value == "distance" and not near:
        raise BadParameter("sort", "sorting by distance needs near= (a postal code or lat,lon)")
    if value not in SORTS:
        raise BadParameter("sort", f'"{value[:20]}" is not a sort order (use {", ".join(SORTS)})')
    return value


def parse_filters(args, vocabularies):
    """{facet: [slugs]} from repeated parameters, each value checked against its vocabulary."""
    filters = {}
    for facet in facet_registry.FACETS:
        for value in args.getlist(facet.name):
            if not value.strip():
                continue  # an empty choice (a form's blank option) chooses nothing
            _check_filter(facet, value, vocabularies)
            if value not in filters.setdefault(facet.name, []):
                filters[facet.name].append(value)
    return filters


def default_filters(filters, vocabularies):
    """The filters a search applies without being asked (ended programs are left out), and
    those it was asked for that are the same as the default: the sidebar shows the default
    boxes ticked, so a form sending them back has not chosen anything."""
    defaults = {}
    for facet in facet_registry.FACETS:
        default = facet.default(vocabularies[facet.vocabulary]) if facet.vocabulary else None
        if default and set(filters.get(facet.name, default)) == set(default):
            defaults[facet.name] = default
    return defaults


def _check_filter(facet, value, vocabularies):
    if facet.vocabulary is not None:
        vocabulary = vocabularies[facet.vocabulary]
        if value not in vocabulary:
            raise BadParameter(facet.name, vocabulary.refusal(value, f'"{value[:40]}"'))
    elif not facet.places.is_code(value):
        raise BadParameter(facet.name, f'"{value[:20]}" is not a {facet.name} number')


def parse_search(args, vocabularies, per_page, allow_per_page=False, ward_at=context.ward_at):
    """A SearchRequest from query parameters (a page's or the API's).

    ``ward_at(latitude, longitude)`` gives the ward of the near point, so a near search keeps
    the programs serving it; without boundaries it is None and only city-wide and online
    programs are kept besides those with sites.
    """
    try:
        parsed = parse(single(args, "q", ""))
    except QueryError as error:
        raise BadParameter("q", str(error)) from None
    if allow_per_page:
        per_page = _whole_number(args, "per_page", per_page, 1, MAX_PER_PAGE)
    page = _whole_number(args, "page", 1, 1, MAX_PAGE)
    days = _whole_number(args, "open_within_days", None, 0, MAX_OPEN_WITHIN_DAYS)
    open_by = (dt.date.today() + dt.timedelta(days=days)).isoformat() if days is not None else None
    near = parse_near(single(args, "near"))
    filters = parse_filters(args, vocabularies)
    defaults = default_filters(filters, vocabularies)
    return SearchRequest(
        query=parsed,
        filters={**filters, **defaults},
        defaulted=frozenset(defaults),
        sort=parse_sort(single(args, "sort"), bool(parsed.words or parsed.phrases), near),
        offset=(page - 1) * per_page,
        limit=per_page,
        open_by=open_by,
        open_within_days=days,
        near=near.point if near else None,
        near_text=near.text if near else "",
        near_ward=ward_at(*near.point) if near and ward_at else None,
        radius_km=parse_radius(single(args, "radius_km"), near),
        age=_whole_number(args, "age", None, 0, MAX_AGE),
    )


@dataclass(frozen=True)
class Near:
    point: tuple  # (latitude, longitude)
    text: str  # as the person typed it, tidied: "M1B 3C3", "M1B" or "43.8,-79.2"
    precision: str  # "postal_code", "fsa" (the district's centre) or "point"


def parse_near(value):
    """Where the client is: a Toronto postal code, its district alone ("M1B", placed at the
    district's centre) or "lat,lon". A full code we do not know falls back to its district."""
    if value in (None, ""):
        return None
    value = value.strip()
    if LAT_LON_RE.fullmatch(value):
        latitude, longitude = (float(part) for part in value.split(","))
        if not inside_toronto(latitude, longitude):
            raise BadParameter("near", _('"%(place)s" is outside Toronto', place=value[:40]))
        return Near((latitude, longitude), value, "point")
    district = value.upper().replace(" ", "")
    if DISTRICT_RE.fullmatch(district):
        return _located(district, district)
    try:
        code = normalise_postal_code(value)
    except Invalid:
        raise BadParameter("near", _(
            '"%(place)s" is not a postal code (A1A 1A1), a postal district (A1A) or a latitude,longitude',
            place=value[:20])) from None
    return _located(code, code)


def _located(code, text):
    if not code.startswith(TORONTO_DISTRICT_LETTER):
        raise BadParameter("near", _('"%(place)s" is not a Toronto postal code: Toronto\'s begin with M', place=text))
    found = locate(code)
    if found is None:
        raise BadParameter("near", _('"%(place)s" is not a Toronto postal code we know', place=text))
    latitude, longitude, precision = found
    return Near((latitude, longitude), text, precision)


def parse_radius(value, near):
    if value in (None, ""):
        return None
    try:
        radius = float(value)
    except ValueError:
        raise BadParameter("radius_km", f'"{value[:20]}" is not a number of kilometres') from None
    if not 0 < radius <= MAX_RADIUS_KM:
        raise BadParameter("radius_km", f"use a distance above 0 and up to {MAX_RADIUS_KM} km")
    if near is None:
        raise BadParameter("radius_km", "a radius needs near= (a postal code or lat,lon)")
    return radius
