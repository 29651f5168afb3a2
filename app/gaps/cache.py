"""What a server process keeps between requests to the gaps dashboard.

Every view starts from the catalogue as masks (rebuilt when a program or the boundaries change)
and the place views from 2SFCA scores, which take a second or more each: a convenor exploring
the other views and coming back should not wait for them again. Values are made by the caller;
this module only decides when a kept one is still good.
"""

import collections
import threading

ACCESS_KEPT = 64


class GapsCache:
    def __init__(self, access_kept=ACCESS_KEPT):
        self._catalogue = None  # (key, catalogue)
        self._access = (None, collections.OrderedDict())  # (catalogue, {key: scores}), newest last
        self._access_kept = access_kept
        self._lock = threading.Lock()

    def catalogue(self, key, build):
        """The catalogue kept for ``key`` (what the database and boundaries were), or ``build()``."""
        kept = self._catalogue
        if kept is not None and kept[0] == key:
            return kept[1]
        built = build()
        self._catalogue = (key, built)
        return built

    def accessibility(self, catalogue, key, compute):
        """Scores kept for ``key`` with this catalogue, or ``compute()``; the least recently used
        go first once more than ``access_kept`` are kept."""
        with self._lock:
            if self._access[0] is not catalogue:
                self._access = (catalogue, collections.OrderedDict())
            kept = self._access[1]
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        scores = compute()
        with self._lock:
            if self._access[0] is catalogue:
                kept[key] = scores
                while len(kept) > self._access_kept:
                    kept.popitem(last=False)
        return scores
