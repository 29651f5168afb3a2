"""Relevance scores as numpy arrays: a BM25-style weight per matching term, summed per document.

Term frequency saturates (the tenth mention of "youth" adds little) and rare terms weigh more
than common ones. Descriptions are short and similar in length, so no length normalisation.
"""

import numpy as np

K1 = 1.2


def idf(document_frequency, document_count):
    return np.log1p((document_count - document_frequency + 0.5) / (document_frequency + 0.5))


def add_term(scores, docs, frequencies, document_count, boost=1.0):
    """Add one term's weight to the documents that contain it."""
    if len(docs):
        weight = boost * idf(len(docs), document_count)
        scores[docs] += weight * frequencies * (K1 + 1) / (frequencies + K1)


def add_flag(scores, docs, document_count, boost=1.0):
    """Add a fixed weight (scaled by rarity) to documents carrying a vocabulary term."""
    if len(docs):
        scores[docs] += boost * idf(len(docs), document_count)


def top(scores, candidates, tiebreak, limit):
    """The ``limit`` best candidates by score (ties broken by ``tiebreak``, lowest first)."""
    if len(candidates) > limit:
        cut = np.argpartition(-scores[candidates], limit - 1)[:limit]
        threshold = scores[candidates[cut]].min()
        candidates = candidates[scores[candidates] >= threshold]
    order = np.lexsort((tiebreak[candidates], -scores[candidates]))
    return candidates[order][:limit]
