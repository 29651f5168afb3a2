"""Run a search: words to Whoosh queries, synonyms to vocabulary terms, then facets and paging.

The Whoosh query is assembled from allow-listed parts only (terms and phrases), never from
Whoosh's query parser. Vocabulary synonyms work both ways: a query naming a synonym ("young
people") also matches every program classified under its term (youth), and the term's label is
indexed with each program, so a query for the label finds programs described in other words.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as q

from . import facets as facet_counting
from .query import ParsedQuery, words_of
from .schema import FACETS, text_analyzer

TEXT_FIELDS = ("name", "body")
MIN_CORRECTED_LENGTH = 4
LONG_WORD = 7  # words this long or longer may be two edits from the right spelling
SYNONYM_BOOST = 3.0
ALL_CONCEPTS_BOOST = 1.0
SORTS = ("relevance", "name", "next_intake")


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery = field(default_factory=ParsedQuery)
    filters: dict = field(default_factory=dict)  # {facet: [slugs]}
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    with_facets: bool = True
    open_by: str | None = None  # ISO date: only programs taking people in by then


@dataclass
class SearchResult:
    total: int
    ids: list
    facets: dict
    suggestion: str | None
    stems: frozenset  # the stemmed query words, for highlighting
    relaxed: dict = field(default_factory=dict)  # {facet: total without that facet's filter}


def stems(words):
    """Stemmed, accent-folded forms of words, stop words dropped."""
    return [token.text for word in words for token in text_analyzer()(word)]


def synonym_table(vocabularies):
    """{words: [(facet, slug)]} for every label and synonym of the searchable vocabularies."""
    table = {}
    for facet in ("sector", "population", "intervention", "stage", "mode", "language"):
        vocabulary = vocabularies[FACETS[facet][1]]
        for term in vocabulary.terms:
            for name in (term.label, *term.synonyms):
                words = tuple(words_of(name))
                if words and (facet, term.slug) not in table.get(words, []):
                    table.setdefault(words, []).append((facet, term.slug))
    return table


def _text_clause(words):
    """The words in the text fields: a term for one word, a phrase for several."""
    word_stems = stems(words)
    if not word_stems:
        return None
    if len(word_stems) == 1:
        return q.Or([q.Term(name, word_stems[0]) for name in TEXT_FIELDS])
    return q.Or([q.Phrase(name, word_stems) for name in TEXT_FIELDS])


def _concept(words, table, boost):
    """One idea from the query: its words in the text, or the vocabulary term they name."""
    clauses = [q.Term(facet, slug, boost=boost) for facet, slug in table.get(tuple(words), [])]
    text = _text_clause(words)
    if text is not None:
        clauses.insert(0, text)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else q.Or(clauses)


def concepts(words, table, boost=SYNONYM_BOOST):
    """Split a run of words into concepts, longest vocabulary names first ("young people")."""
    longest = max((len(key) for key in table), default=1)
    found, position = [], 0
    while position < len(words):
        size = next(
            (n for n in range(min(longest, len(words) - position), 1, -1)
             if tuple(words[position : position + n]) in table),
            1,
        )
        concept = _concept(words[position : position + size], table, boost)
        if concept is not None:
            found.append(concept)
        position += size
    return found


def build_query(parsed, table):
    """A Whoosh query for the parsed text, or None when there is no text to match.

    Programs matching every concept get a bonus on top of the sum of their matches, so
    "black youth construction" puts a program for Black youth in construction above one that
    only names Black youth.
    """
    positive = concepts(list(parsed.words), table)
    positive += [c for c in (_concept(list(p), table, SYNONYM_BOOST) for p in parsed.phrases) if c]
    negative = [c for c in (_concept(list(e), table, 1.0) for e in parsed.excluded) if c]
    if not positive and not negative:
        return None
    if len(positive) > 1:
        main = q.Or([q.And(positive, boost=ALL_CONCEPTS_BOOST), *positive])
    elif positive:
        main = positive[0]
    else:
        main = q.Every()
    return q.AndNot(main, q.Or(negative)) if negative else main


def suggest(parsed, searcher):
    """A corrected query when some words are unknown to the index, else None."""
    corrector = searcher.corrector("body")
    reader = searcher.reader()
    corrected = parsed.text
    for token in dict.fromkeys(words_of(parsed.text)):
        if len(token) < MIN_CORRECTED_LENGTH or _known(reader, token):
            continue
        maxdist = 1 if len(token) < LONG_WORD else 2
        suggestions = corrector.suggest(token, limit=5, maxdist=maxdist, prefix=1)
        if suggestions:
            best = min(suggestions, key=lambda candidate: edit_distance(token, candidate))
            pattern = re.compile(rf"(?<!\w){re.escape(token)}(?!\w)", re.IGNORECASE)
            corrected = pattern.sub(best, corrected)
    return corrected if corrected != parsed.text else None


def edit_distance(a, b):
    """Levenshtein distance: the fewest insertions, deletions and substitutions from a to b."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _known(reader, word):
    word_stems = stems([word])
    return not word_stems or any(
        reader.doc_frequency(name, stem) for stem in word_stems for name in TEXT_FIELDS
    )


def _matching(searcher, data, whoosh_query):
    mask = np.zeros(data.size, dtype=bool)
    docs = np.fromiter(whoosh_query.docs(searcher), dtype=np.int64)
    mask[docs] = True
    return mask


def _open_by_mask(data, open_by):
    """Continuous intake, or a next intake date between today and ``open_by``."""
    continuous = facet_counting.any_of(data, "intake", ["continuous"])
    dated = (data.intake_dates <= open_by) & (data.intake_dates >= dt.date.today().isoformat())
    return continuous | dated


def run(searcher, data, request, table):
    """Search, count facets and pick one page of ids."""
    whoosh_query = build_query(request.query, table)
    base = data.live.copy()
    if whoosh_query is not None:
        base &= _matching(searcher, data, whoosh_query)
    if request.open_by:
        base &= _open_by_mask(data, request.open_by)
    masks = facet_counting.filter_masks(data, request.filters)
    final = facet_counting.combine(base, masks)
    total = int(np.count_nonzero(final))
    facets = facet_counting.facet_counts(data, base, masks) if request.with_facets else {}
    page = _page(searcher, data, whoosh_query, final, request)
    relaxed = {}
    if total == 0:
        relaxed = {
            facet: int(np.count_nonzero(facet_counting.combine(base, masks, leave_out=facet)))
            for facet in masks
        }
    suggestion = suggest(request.query, searcher) if not request.query.is_empty else None
    return SearchResult(
        total=total,
        ids=[str(data.ids[d]) for d in page],
        facets=facets,
        suggestion=suggestion,
        stems=frozenset(stems(request.query.positive_words)),
        relaxed=relaxed,
    )


def _page(searcher, data, whoosh_query, final, request):
    end = request.offset + request.limit
    ranked = request.query.words or request.query.phrases
    if request.sort == "relevance" and whoosh_query is not None and ranked:
        allowed = set(np.flatnonzero(final).tolist())
        if not allowed:
            return []
        results = searcher.search(whoosh_query, filter=allowed, limit=end)
        return [hit.docnum for hit in results[request.offset : end]]
    sort = request.sort if request.sort != "relevance" else "name"
    return facet_counting.ordered(data, final, sort)[request.offset : end].tolist()
