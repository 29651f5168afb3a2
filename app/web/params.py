"""Parse list-page query parameters into clean values, or a message naming the bad parameter."""

from dataclasses import dataclass, field

from ..store import SORTS

# Query parameter -> vocabulary it filters on.
FILTER_PARAMETERS = {
    "sector": "sectors",
    "population": "populations",
    "intervention": "interventions",
    "stream": "streams",
    "language": "languages",
    "mode": "delivery_mode",
}


class BadParameter(ValueError):
    def __init__(self, parameter, message):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass
class ListQuery:
    page: int = 1
    sort: str = "name"
    filters: dict = field(default_factory=dict)


def parse_page(value):
    if value in (None, ""):
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 100000:
        raise BadParameter("page", f'"{value[:20]}" is not a page number (use 1, 2, 3...)')
    return int(value)


def parse_sort(value):
    if value in (None, ""):
        return "name"
    if value not in SORTS:
        raise BadParameter("sort", f'"{value[:20]}" is not a sort order (use {" or ".join(SORTS)})')
    return value


def parse_filters(args, vocabularies):
    filters = {}
    for parameter, vocabulary_name in FILTER_PARAMETERS.items():
        vocabulary = vocabularies[vocabulary_name]
        for value in args.getlist(parameter):
            if value not in vocabulary:
                raise BadParameter(parameter, f'"{value[:40]}" is not a {vocabulary.noun}')
            filters.setdefault(vocabulary_name, []).append(value)
    return filters


def parse_list_query(args, vocabularies):
    return ListQuery(
        page=parse_page(args.get("page")),
        sort=parse_sort(args.get("sort")),
        filters=parse_filters(args, vocabularies),
    )
