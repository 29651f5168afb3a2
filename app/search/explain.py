"""Why a result is in the list: which searched words and chosen filters it matched.

A caseworker scanning twenty results needs to see at a glance that this one is there for
"youth" and "ICT", and that one only for "youth". Pure functions over program records.
"""

from .engine import concepts, stems
from .query import words_of
from .schema import FACETS, facet_values

# Place filters are answered by the card's "Where" line; status and kind are defaults, not fit.
NOT_EXPLAINED = ("status", "type", "ward", "neighbourhood", "site_ward", "site_neighbourhood")


def matched(program, request, table, vocabularies):
    """Labels of what the program matched, searched words first, without repeats."""
    found = _words_matched(program, request, table, vocabularies)
    for facet, slugs in request.chosen_filters.items():
        if facet in NOT_EXPLAINED:
            continue
        vocabulary = vocabularies[FACETS[facet][1]]
        carried = set(facet_values(program, facet, vocabularies))
        found += [vocabulary.label(slug) for slug in slugs if slug in carried]
    return _without_repeats(found)


def _without_repeats(labels):
    """"youth" typed and "Youth" ticked are one match, shown once."""
    seen, kept = set(), []
    for label in labels:
        if label.casefold() not in seen:
            seen.add(label.casefold())
            kept.append(label)
    return kept


def _words_matched(program, request, table, vocabularies):
    """The searched words and vocabulary names the program contains or is classified under,
    as the person typed them."""
    text_stems = set(stems(words_of(_text(program))))
    found = []
    for concept in concepts(list(request.query.words), table) + [
        concept for phrase in request.query.phrases for concept in concepts(list(phrase), table)
    ]:
        classified = any(slug in facet_values(program, facet, vocabularies) for facet, slug in concept.terms)
        concept_stems = set(stems(concept.words))
        if classified or (concept_stems and concept_stems <= text_stems):
            found.append(" ".join(concept.words))
    return found


def _text(program):
    return " ".join(
        filter(None, [program.get("name"), program.get("organization"), program.get("description"),
                      program.get("eligibility"), " ".join(program.get("occupations") or [])])
    )
