"""Shape search results for the list page and the API: facet groups, links, snippets."""

import math

from flask_babel import gettext as _

from ...catalog import facet_registry
from ...catalog.reach import CITY_WIDE
from ...search.snippets import plain, snippet
from .params import default_sort

# Headings by facet name, for pages that name a filter (the "drop this filter" suggestions).
FACET_TITLES = {facet.name: facet.title for facet in facet_registry.FACETS}
SHOWN_BEFORE_MORE = 8


def facet_label(facet, slug, vocabularies, place_names=None):
    entry = facet_registry.BY_NAME[facet]
    if entry.vocabulary:
        return vocabularies[entry.vocabulary].label(slug)
    name = (place_names or {}).get(entry.places.kind, {}).get(slug)
    return f"{int(slug)} {name}" if name else place_label(entry.places.kind, slug)


def place_label(kind, code, names=None):
    """A ward or neighbourhood as people say it: "Ward 7 Humber River-Black Creek" (or "Ward 7"
    without the boundaries' names), a neighbourhood by its name (or "Neighbourhood 12").
    ``names`` is {kind: {code: name}}, as ``context.place_names`` gives it."""
    name = ((names or {}).get(kind) or {}).get(code)
    if kind == "ward":
        return _("Ward %(number)d %(name)s", number=int(code), name=name) if name else \
            _("Ward %(number)d", number=int(code))
    return name or _("Neighbourhood %(number)d", number=int(code))


def area_label(code, names=None):
    """A service-area code in words: "All of Toronto", "Ward 7 Humber River-Black Creek"."""
    if code == CITY_WIDE:
        return _("All of Toronto")
    kind, _separator, number = code.partition(":")
    return place_label(kind, number, names) if number.isascii() and number.isdigit() else code


def facet_groups(counts, filters, vocabularies, place_names=None):
    """[{facet, title, options: [{slug, label, count, checked}], more: [...]}] for the sidebar.

    Options are shown when they have programs or are ticked; a facet whose vocabulary has an
    order (the stages of the continuum) keeps it, the others go by count.
    """
    groups = []
    for facet in facet_registry.FACETS:
        ticked = filters.get(facet.name, [])
        options = _options(facet, counts.get(facet.name, {}), ticked, vocabularies, place_names)
        if options:
            groups.append(
                {
                    "facet": facet.name,
                    "title": facet.title,
                    "options": options[:SHOWN_BEFORE_MORE],
                    "more": options[SHOWN_BEFORE_MORE:],
                }
            )
    return groups


def _options(facet, counts, ticked, vocabularies, place_names):
    options = [
        {
            "slug": slug,
            "label": facet_label(facet.name, slug, vocabularies, place_names),
            "count": counts.get(slug, 0),
            "checked": slug in ticked,
        }
        for slug in set(counts) | set(ticked)
    ]
    return sorted(options, key=_option_order(facet, vocabularies))


def _option_order(facet, vocabularies):
    if facet.vocabulary_order:
        order = [term.slug for term in vocabularies[facet.vocabulary].terms]
        return lambda option: order.index(option["slug"])
    return lambda option: (-option["checked"], -option["count"], option["label"])


def state_args(search_request, page=None, drop=None, drop_place=False, drop_open=False, **changes):
    """URL arguments reproducing a search, optionally changed: every state is a shareable URL.

    ``drop`` leaves out one facet's filter, or all of them with "all"; ``drop_place`` leaves
    out the client's postal code and the radius (and so sorting by distance); ``drop_open`` the
    "taking people in within N days" filter.
    """
    args = {}
    query = search_request.query
    if query.text:
        args["q"] = query.text
    if search_request.near_text and not drop_place:
        args["near"] = search_request.near_text
        if search_request.radius_km is not None:
            args["radius_km"] = f"{search_request.radius_km:g}"
    if search_request.age is not None:
        args["age"] = search_request.age
    if search_request.open_within_days is not None and not drop_open:
        args["open_within_days"] = search_request.open_within_days
    near = None if drop_place else search_request.near
    if search_request.sort != default_sort(query.words or query.phrases, near) and not (
        drop_place and search_request.sort == "distance"
    ):
        args["sort"] = search_request.sort
    for facet, slugs in search_request.chosen_filters.items():
        if drop not in (facet, "all"):
            args[facet] = list(slugs)
    if page and page > 1:
        args["page"] = page
    args.update({key: value for key, value in changes.items() if value is not None})
    return args


def paging(search_request, total):
    """(this page's number, how many pages) for a search."""
    page = search_request.offset // search_request.limit + 1
    return page, max(1, math.ceil(total / search_request.limit))


def snippets(programs, stems):
    """{program id: segments} of each description around the searched words."""
    return {program["id"]: snippet(program.get("description"), stems) for program in programs}


def snippet_text(program, stems):
    return plain(snippet(program.get("description"), stems))
