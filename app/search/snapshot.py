"""The index as numpy arrays: posting lists, columns and ranks, for one reader generation.

Whoosh segments never change once written (only their deletions do), so everything read from
a segment is cached under its id and reused by every later generation that still contains it.
After a write only the new, small segment is read; after a merge, only the merged one.
"""

import threading

import numpy as np

from .postings import posting_arrays
from .schema import unpack_ages, unpack_coordinates
from .spelling import Speller

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
COLUMNS = ("id", "name_key", "intake_key")


class SegmentCache:
    """Per-segment arrays, shared by the snapshots of one process."""

    def __init__(self):
        self._segments = {}
        self._lock = threading.Lock()

    def segment(self, leaf):
        segment_id = leaf.segment().segment_id()
        with self._lock:
            if segment_id not in self._segments:
                self._segments[segment_id] = _Segment(leaf)
            return self._segments[segment_id]

    def keep_only(self, segment_ids):
        with self._lock:
            for segment_id in list(self._segments):
                if segment_id not in segment_ids:
                    del self._segments[segment_id]


class _Segment:
    def __init__(self, leaf):
        self.size = leaf.doc_count_all()
        self.columns = {name: _column(leaf, name, self.size) for name in COLUMNS}
        self.site_docs, self.site_points = _sites(leaf, self.size)
        self.ages = _ages(leaf, self.size)
        self._terms = {}

    def term(self, leaf, field, term):
        key = (field, term)
        if key not in self._terms:
            if (field, term) in leaf:
                self._terms[key] = posting_arrays(leaf, field, term)
            else:
                self._terms[key] = (EMPTY_IDS, EMPTY_WEIGHTS)
        return self._terms[key]


def _column(leaf, name, size):
    if size == 0:
        return np.array([], dtype=object)
    column = leaf.column_reader(name)
    values = (column[docnum] for docnum in range(size))
    return np.array(
        [v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in values], dtype=object
    )


def _ages(leaf, size):
    """[[minimum, maximum]] per document, NaN where no limit is published."""
    if not size or "ages" not in leaf.schema:
        return np.full((size, 2), np.nan)
    column = leaf.column_reader("ages")
    return np.array([unpack_ages(column[docnum]) for docnum in range(size)], dtype=np.float64).reshape(-1, 2)


def _sites(leaf, size):
    """(docnum per site, [[lat, lon]] per site) from the packed coordinates column."""
    docs, points = [], []
    if size and "coordinates" in leaf.schema:
        column = leaf.column_reader("coordinates")
        for docnum in range(size):
            for point in unpack_coordinates(column[docnum]):
                docs.append(docnum)
                points.append(point)
    return np.asarray(docs, dtype=np.int64), np.asarray(points, dtype=np.float64).reshape(-1, 2)


class Snapshot:
    """Everything searching needs from one generation of the index, as arrays.

    It keeps its searcher open for as long as it lives; reads from it are serialised by one
    lock, as Whoosh's file readers are not safe to share between threads.
    """

    def __init__(self, searcher, cache, words=dict):
        self.searcher = searcher
        self._words = words
        self._speller = None
        self.lock = threading.RLock()
        reader = self.reader = searcher.reader()
        leaves = list(reader.leaf_readers()) if reader.doc_count_all() else []
        self._leaves = [(leaf, offset, cache.segment(leaf)) for leaf, offset in leaves]
        cache.keep_only({leaf.segment().segment_id() for leaf, _ in leaves})
        self.size = reader.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        if self.size:
            self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.site_docs = np.concatenate(
            [segment.site_docs + offset for _, offset, segment in self._leaves] or [EMPTY_IDS]
        )
        self.site_points = np.concatenate(
            [segment.site_points for _, _, segment in self._leaves] or [np.zeros((0, 2))]
        )
        self.ages = np.concatenate(
            [segment.ages for _, _, segment in self._leaves] or [np.zeros((0, 2))]
        )
        self.ids = self._joined("id")
        self.name_keys = self._joined("name_key")
        self.intake_dates = self._joined("intake_key").astype(str)
        self.name_rank = _rank(self.name_keys, self.ids)
        self.intake_rank = _rank(self.intake_dates, self.name_keys, self.ids)
        self._terms = {}
        self._fields = {}

    def _joined(self, column):
        parts = [segment.columns[column] for _, _, segment in self._leaves]
        return np.concatenate(parts) if parts else np.array([], dtype=object)

    def term(self, field, term):
        """(docnums, term frequencies) of one term, across segments, deleted documents dropped."""
        if isinstance(term, str):
            term = term.encode("utf-8")
        key = (field, term)
        with self.lock:
            if key not in self._terms:
                self._terms[key] = self._read_term(field, term)
            return self._terms[key]

    def _read_term(self, field, term):
        ids, weights = [], []
        for leaf, offset, segment in self._leaves:
            leaf_ids, leaf_weights = segment.term(leaf, field, term)
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
        if not ids:
            return EMPTY_IDS, EMPTY_WEIGHTS
        ids, weights = np.concatenate(ids), np.concatenate(weights)
        keep = self.live[ids]
        return ids[keep], weights[keep]

    def docs(self, field, term):
        return self.term(field, term)[0]

    def field_terms(self, field):
        """{term: docnums} for every term of a keyword field (the facet values)."""
        with self.lock:
            if field not in self._fields:
                terms = list(self.reader.lexicon(field)) if field in self.reader.schema else []
                self._fields[field] = {term.decode("utf-8"): self.docs(field, term) for term in terms}
            return self._fields[field]

    def speller(self):
        """Spelling suggestions from the index's word list, read on first use."""
        with self.lock:
            if self._speller is None:
                self._speller = Speller(self._words())
            return self._speller


def _rank(*keys):
    """rank[docnum] = the document's position in the order of the keys (first key first)."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(tuple(np.asarray(k, dtype=str) for k in reversed(keys)))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank
