"""Read a term's posting list (documents and term frequencies) as numpy arrays.

Whoosh's matchers walk postings one Python call at a time; reading the stored blocks whole is
tens of times faster. Block access relies on the whoosh3 codec's block layout (pinned by the
version range in setup.cfg); any other matcher falls back to the one-at-a-time walk.
"""

import numpy as np


def posting_arrays(reader, field, term):
    """(docnums int64, weights float32) of a term across every segment of the reader."""
    ids, weights = [], []
    for leaf, offset in reader.leaf_readers():
        if (field, term) not in leaf:
            continue
        leaf_ids, leaf_weights = _leaf_postings(leaf.postings(field, term))
        ids.append(leaf_ids + offset)
        weights.append(leaf_weights)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def _leaf_postings(matcher):
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block", "_atend")):
        return _by_blocks(matcher)
    return _one_by_one(matcher)


def _by_blocks(matcher):
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int64))
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def _one_by_one(matcher):
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
