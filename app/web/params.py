"""Parse list and search query parameters into a SearchRequest, or name the bad parameter."""

import datetime as dt
import re

from ..search.engine import SORTS, SearchRequest
from ..search.query import QueryError, parse
from ..search.schema import FACETS

MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_OPEN_WITHIN_DAYS = 366
PLACE_CODES = {"ward": re.compile(r"^(0[1-9]|1\d|2[0-5])$"), "neighbourhood": re.compile(r"^\d{3}$")}


class BadParameter(ValueError):
    def __init__(self, parameter, message):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def _whole_number(args, name, default, low, high):
    value = args.get(name)
    if value in (None, ""):
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadParameter(name, f'"{value[:20]}" is not a whole number from {low} to {high}')
    return int(value)


def parse_sort(value, has_text):
    if value in (None, ""):
        return "relevance" if has_text else "name"
    if value not in SORTS:
        raise BadParameter("sort", f'"{value[:20]}" is not a sort order (use {", ".join(SORTS)})')
    return value


def parse_filters(args, vocabularies):
    """{facet: [slugs]} from repeated parameters, each value checked against its vocabulary."""
    filters = {}
    for facet, (_, vocabulary_name) in FACETS.items():
        for value in args.getlist(facet):
            if vocabulary_name is not None:
                vocabulary = vocabularies[vocabulary_name]
                if value not in vocabulary:
                    suggestion = vocabulary.closest(value)
                    hint = f'; did you mean "{suggestion}"?' if suggestion else ""
                    raise BadParameter(facet, f'"{value[:40]}" is not a {vocabulary.noun}{hint}')
            elif not PLACE_CODES[facet].match(value):
                raise BadParameter(facet, f'"{value[:20]}" is not a {facet} number')
            if value not in filters.setdefault(facet, []):
                filters[facet].append(value)
    return filters


def parse_search(args, vocabularies, per_page, allow_per_page=False):
    """A SearchRequest from query parameters (a page's or the API's)."""
    try:
        parsed = parse(args.get("q", ""))
    except QueryError as error:
        raise BadParameter("q", str(error)) from None
    if allow_per_page:
        per_page = _whole_number(args, "per_page", per_page, 1, MAX_PER_PAGE)
    page = _whole_number(args, "page", 1, 1, MAX_PAGE)
    days = _whole_number(args, "open_within_days", None, 0, MAX_OPEN_WITHIN_DAYS)
    open_by = (dt.date.today() + dt.timedelta(days=days)).isoformat() if days is not None else None
    return SearchRequest(
        query=parsed,
        filters=parse_filters(args, vocabularies),
        sort=parse_sort(args.get("sort"), bool(parsed.words or parsed.phrases)),
        offset=(page - 1) * per_page,
        limit=per_page,
        open_by=open_by,
    )
