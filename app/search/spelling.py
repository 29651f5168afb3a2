"""Did-you-mean from the index's own words: the closest known word, the commonest on a tie."""

from collections import defaultdict


def edit_distance(a, b):
    """Levenshtein distance: the fewest insertions, deletions and substitutions from a to b."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


class Speller:
    """Candidates share the first letter (most typos keep it) and a length within reach."""

    def __init__(self, words):
        self._by_initial = defaultdict(list)
        for word, count in words.items():
            if word:
                self._by_initial[word[0]].append((word, count))

    def correct(self, word, maxdist, accept=None):
        """The best candidate that ``accept`` takes: the word list only grows between rebuilds,
        so the caller checks a candidate is still in some live listing.
        """
        candidates = []
        for candidate, count in self._by_initial.get(word[:1], ()):
            if candidate == word or abs(len(candidate) - len(word)) > maxdist:
                continue
            distance = edit_distance(word, candidate)
            if distance <= maxdist:
                candidates.append(((distance, -count, candidate), candidate))
        for _, candidate in sorted(candidates):
            if accept is None or accept(candidate):
                return candidate
        return None
