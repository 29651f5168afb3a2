"""Run a search: words to concepts, concepts to scores, then filters, facets and one page.

A query is split into concepts: a word, a run of words that names a vocabulary term ("young
people"), or a quoted phrase. Each concept matches documents containing its words (stemmed,
accents folded) or classified under the term it names, so vocabulary synonyms work both ways.
Only terms and phrases are ever evaluated: no wildcard, range or fuzzy matching can be reached.
Scores are summed over concepts, and documents that match every concept get a bonus, so
"black youth construction" ranks a program for Black youth in construction above one that
only names Black youth.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as q

from ..geo.distance import nearest_site_km
from . import facets as facet_counting
from . import scoring
from .query import ParsedQuery, words_of
from .schema import FACETS, text_analyzer

TEXT_FIELDS = {"name": 2.0, "body": 1.0}  # field: weight
SYNONYM_BOOST = 3.0
ALL_CONCEPTS_BOOST = 1.0
MIN_CORRECTED_LENGTH = 4
LONG_WORD = 7  # words this long or longer may be two edits from the right spelling
SORTS = ("relevance", "name", "next_intake", "distance")


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery = field(default_factory=ParsedQuery)
    filters: dict = field(default_factory=dict)  # {facet: [slugs]}
    defaulted: frozenset = frozenset()  # facets whose filter is the default, not named in the URL
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    with_facets: bool = True
    open_by: str | None = None  # ISO date: only programs taking people in by then
    open_within_days: int | None = None  # what was asked for, so links keep it
    near: tuple | None = None  # (latitude, longitude) of the client
    near_text: str = ""  # what was typed for it: a postal code or "lat,lon"
    with_points: bool = False  # also return every site of every match, for maps
    radius_km: float | None = None  # limits only the distance to a site, never whom a program serves
    near_ward: str | None = None  # the ward the near point is in, when the boundaries are loaded
    age: int | None = None  # only programs whose published age range includes it


    @property
    def chosen_filters(self):
        """The filters the person chose: what a URL reproducing this search names."""
        return {facet: slugs for facet, slugs in self.filters.items() if facet not in self.defaulted}


@dataclass
class SearchResult:
    total: int
    ids: list
    facets: dict
    suggestion: str | None
    stems: frozenset  # the stemmed query words, for highlighting
    relaxed: dict = field(default_factory=dict)  # {facet: total without that facet's filter}
    distances: dict = field(default_factory=dict)  # {program id: km to its nearest site}
    places: dict = field(default_factory=dict)  # with near: {program id: why it is there, see _place}
    left_out: int = 0  # with near: programs otherwise matching that neither are near nor serve there
    near_counts: dict = field(default_factory=dict)  # with near: {"nearby": n, "elsewhere": n} in total
    points: list = field(default_factory=list)  # [(latitude, longitude, program id)]


@dataclass(frozen=True)
class Concept:
    words: tuple
    exact: bool = False  # a quoted phrase: the words must stand together
    terms: tuple = ()  # (facet, slug) pairs the words name


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


def concepts(words, table):
    """Split a run of words into concepts, longest vocabulary names first."""
    longest = max((len(key) for key in table), default=1)
    found, position = [], 0
    while position < len(words):
        size = next(
            (n for n in range(min(longest, len(words) - position), 1, -1)
             if tuple(words[position : position + n]) in table),
            1,
        )
        span = tuple(words[position : position + size])
        found.append(Concept(span, terms=tuple(table.get(span, ()))))
        position += size
    return found


def plan(parsed, table):
    """(concepts to match, concepts to exclude) for a parsed query."""
    positive = concepts(list(parsed.words), table)
    positive += [Concept(p, exact=True, terms=tuple(table.get(p, ()))) for p in parsed.phrases]
    negative = [Concept(e, exact=len(e) > 1, terms=tuple(table.get(e, ()))) for e in parsed.excluded]
    return [c for c in positive if _meaningful(c)], [c for c in negative if _meaningful(c)]


def _meaningful(concept):
    return bool(concept.terms or stems(concept.words))


def concept_scores(snapshot, concept, document_count):
    """Scores of every document for one concept (0 where it does not match)."""
    scores = np.zeros(snapshot.size, dtype=np.float32)
    word_stems = stems(concept.words)
    if word_stems:
        scores += _text_scores(snapshot, word_stems, document_count, concept.exact)
    for facet, slug in concept.terms:
        scoring.add_flag(scores, snapshot.docs(facet, slug), document_count, SYNONYM_BOOST)
    return scores


def _text_scores(snapshot, word_stems, document_count, exact):
    total = np.zeros(snapshot.size, dtype=np.float32)
    everywhere = np.ones(snapshot.size, dtype=bool)
    for stem in word_stems:
        per_word = np.zeros(snapshot.size, dtype=np.float32)
        for name, weight in TEXT_FIELDS.items():
            docs, frequencies = snapshot.term(name, stem)
            scoring.add_term(per_word, docs, frequencies, document_count, weight)
        total += per_word
        everywhere &= per_word > 0
    if len(word_stems) > 1:
        total[~everywhere] = 0
        if exact:
            total[~_phrase_mask(snapshot, word_stems)] = 0
    return total


def _phrase_mask(snapshot, word_stems):
    """Documents where the words stand together, checked against the index's positions."""
    mask = np.zeros(snapshot.size, dtype=bool)
    phrase = q.Or([q.Phrase(name, word_stems) for name in TEXT_FIELDS])
    with snapshot.lock:
        docs = np.fromiter(phrase.docs(snapshot.searcher), dtype=np.int64)
    mask[docs] = True
    return mask


def relevance(snapshot, positive, negative):
    """(scores, matched mask); None for both when the query has no text to match."""
    if not positive and not negative:
        return None, None
    document_count = max(1, int(np.count_nonzero(snapshot.live)))
    parts = [concept_scores(snapshot, c, document_count) for c in positive]
    if parts:
        scores = np.sum(parts, axis=0)
        if len(parts) > 1:
            scores[np.all([p > 0 for p in parts], axis=0)] *= 1 + ALL_CONCEPTS_BOOST
        matched = scores > 0
    else:
        scores = np.zeros(snapshot.size, dtype=np.float32)
        matched = np.ones(snapshot.size, dtype=bool)
    for concept in negative:
        matched &= concept_scores(snapshot, concept, document_count) == 0
    return scores, matched


def suggest(parsed, snapshot):
    """A corrected query when some words are unknown to the index, else None."""
    corrected = parsed.text
    for token in dict.fromkeys(words_of(parsed.text)):
        if len(token) < MIN_CORRECTED_LENGTH or _known(snapshot, token):
            continue
        best = snapshot.speller().correct(
            token, maxdist=1 if len(token) < LONG_WORD else 2, accept=lambda word: _known(snapshot, word)
        )
        if best:
            pattern = re.compile(rf"(?<!\w){re.escape(token)}(?!\w)", re.IGNORECASE)
            corrected = pattern.sub(best, corrected)
    return corrected if corrected != parsed.text else None


def _known(snapshot, word):
    word_stems = stems([word])
    return not word_stems or any(
        len(snapshot.docs(name, stem)) for stem in word_stems for name in TEXT_FIELDS
    )


def _open_by_mask(snapshot, open_by):
    """Continuous intake, or a next intake date between today and ``open_by``."""
    continuous = facet_counting.any_of(snapshot, "intake", ["continuous"])
    dates = snapshot.intake_dates
    dated = (dates <= open_by) & (dates >= dt.date.today().isoformat())
    return continuous | dated


def run(snapshot, request, table):
    """Search, count facets and pick one page of ids."""
    positive, negative = plan(request.query, table)
    scores, matched = relevance(snapshot, positive, negative)
    base = snapshot.live.copy()
    if matched is not None:
        base &= matched
    if request.open_by:
        base &= _open_by_mask(snapshot, request.open_by)
    if request.age is not None:
        base &= _age_mask(snapshot, request.age)
    masks = facet_counting.filter_masks(snapshot, request.filters)
    reach = _reach(snapshot, request) if request.near else None
    left_out = 0
    if reach is not None:
        before = base
        base = base & reach.kept
        left_out = int(np.count_nonzero(facet_counting.combine(before, masks) & ~reach.kept))
    final = facet_counting.combine(base, masks)
    total = int(np.count_nonzero(final))
    page = _page(snapshot, scores if positive else None, final, request, reach)
    return SearchResult(
        total=total,
        ids=[str(snapshot.ids[d]) for d in page],
        distances=reach.distances_of(snapshot, page) if reach else {},
        places=reach.places_of(snapshot, page) if reach else {},
        left_out=left_out,
        near_counts=reach.counts(final) if reach else {},
        facets=facet_counting.facet_counts(snapshot, base, masks) if request.with_facets else {},
        suggestion=suggest(request.query, snapshot) if not request.query.is_empty else None,
        stems=frozenset(stems(request.query.positive_words)),
        relaxed=_relaxed(base, masks) if total == 0 else {},
        points=_points(snapshot, final) if request.with_points else [],
    )


def _age_mask(snapshot, age):
    """Programs whose published range includes the age, and those publishing none (they may
    well take the person; the result card says the limits are not published)."""
    low, high = snapshot.ages[:, 0], snapshot.ages[:, 1]
    return (np.isnan(low) | (low <= age)) & (np.isnan(high) | (high >= age))


@dataclass
class Reach:
    """How each program relates to the near point: a site close enough, or serving the
    client's ward (city-wide, or a service area covering it), or online."""

    distances: np.ndarray  # km to the nearest site; inf without a site
    nearby: np.ndarray  # a site within the radius (any site, without a radius)
    city_wide: np.ndarray
    serves_ward: np.ndarray
    online: np.ndarray

    @property
    def kept(self):
        return self.nearby | self.city_wide | self.serves_ward | self.online

    def counts(self, final):
        """How many results have a site within reach, and how many reach the client otherwise."""
        nearby = int(np.count_nonzero(final & self.nearby))
        return {"nearby": nearby, "elsewhere": int(np.count_nonzero(final)) - nearby}

    def sort_key(self):
        """Nearby sites by distance first; programs reaching the client another way after."""
        return np.where(self.nearby, self.distances, np.inf)

    def distances_of(self, snapshot, docnums):
        return {str(snapshot.ids[d]): round(float(self.distances[d]), 2)
                for d in docnums if np.isfinite(self.distances[d])}

    def places_of(self, snapshot, docnums):
        return {str(snapshot.ids[d]): self._place(d) for d in docnums}

    def _place(self, docnum):
        """Why a program is in a near search: ``site`` (a site within reach), ``city-wide``,
        ``serves-ward`` or ``online``; with the distance to its nearest site, if it has one."""
        if self.nearby[docnum]:
            reason = "site"
        elif self.city_wide[docnum]:
            reason = "city-wide"
        elif self.serves_ward[docnum]:
            reason = "serves-ward"
        else:
            reason = "online"
        km = self.distances[docnum]
        return {"reason": reason, "distance_km": round(float(km), 2) if np.isfinite(km) else None}


def _reach(snapshot, request):
    distances = nearest_site_km(*request.near, snapshot.site_docs, snapshot.site_points, snapshot.size)
    nearby = np.isfinite(distances)
    if request.radius_km is not None:
        nearby &= distances <= request.radius_km
    city_wide = facet_counting.any_of(snapshot, "reach", ["city-wide"])
    if request.near_ward:
        serves_ward = facet_counting.any_of(snapshot, "ward", [request.near_ward])
    else:
        serves_ward = np.zeros(snapshot.size, dtype=bool)
    online = facet_counting.any_of(snapshot, "reach", ["online"])
    return Reach(distances, nearby, city_wide, serves_ward, online)


def _points(snapshot, final):
    chosen = final[snapshot.site_docs]
    points = snapshot.site_points[chosen]
    ids = snapshot.ids[snapshot.site_docs[chosen]]
    return [(float(lat), float(lon), str(program_id)) for (lat, lon), program_id in zip(points, ids)]


def _relaxed(base, masks):
    return {
        facet: int(np.count_nonzero(facet_counting.combine(base, masks, leave_out=facet)))
        for facet in masks
    }


def _page(snapshot, scores, final, request, reach):
    end = request.offset + request.limit
    if request.sort == "distance" and reach is not None:
        docnums = np.flatnonzero(final)
        order = np.lexsort((snapshot.name_rank[docnums], reach.sort_key()[docnums]))
        return docnums[order][request.offset : end].tolist()
    if request.sort == "relevance" and scores is not None:
        best = scoring.top(scores, np.flatnonzero(final), snapshot.name_rank, end)
        return best[request.offset : end].tolist()
    sort = request.sort if request.sort in ("name", "next_intake") else "name"
    return facet_counting.ordered(snapshot, final, sort)[request.offset : end].tolist()
