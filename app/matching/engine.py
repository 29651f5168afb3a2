"""One call from a client's profile to the programs to refer them to, and why.

``match`` splits the catalogue in two: programs the client can join, ranked, and programs a
hard rule excludes, each with its rules. What no rule could settle is reported under
``unknown`` for the programs returned, grouped by the profile field (or listing detail) that
would settle it, so a caseworker sees at once which question is worth asking.
"""

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from . import messages as m
from . import rules, scoring
from .catalogue import Catalogue, prepare
from .messages import Note, identity


class Match(NamedTuple):
    program: dict
    score: int
    reasons: tuple
    cautions: tuple


class Exclusion(NamedTuple):
    program: dict
    rules: tuple


class Unknown(NamedTuple):
    """``side`` is "client" (the profile did not say) or "program" (the listing does not
    publish it); ``programs`` are the ids of the returned programs it concerns."""

    side: str
    note: Note
    programs: tuple


class Exclusions(Sequence):
    """The excluded programs in name order, each made an ``Exclusion`` when it is read: a big
    catalogue can exclude thousands of programs, a page usually shows a count and a few, and
    not allocating the rest keeps garbage-collection pauses out of the request."""

    def __init__(self, programs, order, rules_of):
        self._programs, self._order, self._rules_of = programs, order, rules_of

    def __len__(self):
        return len(self._order)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[n] for n in range(*position.indices(len(self)))]
        i = self._order[position]
        return Exclusion(self._programs[i], self._rules_of[i])

    def __eq__(self, other):
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self):
        return f"Exclusions({list(self)!r})"


class MatchResult(NamedTuple):
    results: list  # [Match], best first
    excluded: Sequence  # Exclusions: [Exclusion] in name order
    unknown: dict  # {field: [Unknown]}


def match(programs, profile, vocabularies, today, limit=None):
    """Rank the programs ``profile`` can join (at most ``limit``), list the excluded ones with
    their rules, and say what was unknown. ``programs`` is a list of program records or, to
    skip preparing them on every call, the ``prepare``d catalogue."""
    cat = programs if isinstance(programs, Catalogue) else prepare(programs, vocabularies)
    findings = list(rules.evaluate(cat, profile, today))
    failures = [f for f in findings if isinstance(f, rules.Failure)]
    excluded = np.zeros(cat.size, dtype=bool)
    for failure in failures:
        excluded |= failure.mask
    parts = scoring.parts(cat, profile, today)
    scores = scoring.combine(parts)
    chosen = ranked(cat, scores, np.flatnonzero(~excluded), limit)
    unsure = [f for f in findings if isinstance(f, rules.Unsure)] + [u for part in parts for u in part.unsure]
    checks = _checks(unsure, chosen)
    return MatchResult(
        results=[_match(cat, parts, checks.get(i, []), int(scores[i]), i) for i in chosen.tolist()],
        excluded=_exclusions(cat, failures, excluded),
        unknown=_unknown(cat, unsure, chosen),
    )



def match_with_total(programs, profile, vocabularies, today, limit=None):
    """(MatchResult, how many programs the client can join in all, not only the ``limit`` shown)."""
    cat = programs if isinstance(programs, Catalogue) else prepare(programs, vocabularies)
    result = match(cat, profile, vocabularies, today, limit=limit)
    return result, cat.size - len(result.excluded)


def ranked(cat, scores, candidates, limit=None):
    """Best score first; equal scores in name order, then by id."""
    order = np.lexsort((cat.name_rank[candidates], -scores[candidates]))
    return candidates[order][:limit]


NOTHING_EXCLUDES = (Note("eligibility", m.NOTHING_EXCLUDES),)


def _checks(unsure, chosen):
    """{program: cautions} from the rules a returned program's listing or the profile left open."""
    checks = {}
    for finding in unsure:
        if finding.caution:
            for i in chosen[finding.mask[chosen]].tolist():
                checks.setdefault(i, []).append(finding.caution(i))
    return checks


def _match(cat, parts, checks, score, i):
    reasons, cautions = scoring.explain(parts, i)
    return Match(cat.programs[i], score, tuple(reasons) or NOTHING_EXCLUDES, tuple(checks + cautions))


def _exclusions(cat, failures, excluded):
    """Excluded programs in name order, each with every rule it fails. The rules are worked
    out once per combination of failures, not once per program: a big catalogue can exclude
    thousands, mostly for the same few reasons."""
    indices = np.flatnonzero(excluded)
    indices = indices[np.argsort(cat.name_rank[indices])]
    if not len(indices):
        return Exclusions(cat.programs, [], {})
    _, combination_of = np.unique(_failure_codes(failures, indices), return_inverse=True)
    order = np.argsort(combination_of, kind="stable")
    members = np.split(indices[order], np.cumsum(np.bincount(combination_of))[:-1])
    rules_of = {}
    for group in members:
        rules_of.update(_rules(failures, group))
    return Exclusions(cat.programs, indices.tolist(), rules_of)


def _failure_codes(failures, indices):
    """Per program, a byte string standing for the set of failures it has."""
    failed = np.stack([failure.mask[indices] for failure in failures], axis=1)
    packed = np.ascontiguousarray(np.packbits(failed, axis=1))
    return packed.view(f"S{packed.shape[1]}").ravel()


def _rules(failures, group):
    """{program: rules} for programs failing the same rules."""
    first = int(group[0])
    failing = [failure for failure in failures if failure.mask[first]]
    if all(failure.note is not None for failure in failing):
        return dict.fromkeys(group.tolist(), tuple(failure.note for failure in failing))
    return dict(zip(group.tolist(), zip(*(failure.notes(group) for failure in failing))))


def _unknown(cat, unsure, chosen):
    unknown = {}
    for finding in unsure:
        concerned = chosen[finding.mask[chosen]]
        if len(concerned):
            entry = Unknown(finding.side, finding.summary, tuple(cat.ids[concerned].tolist()))
            unknown.setdefault(finding.field, []).append(entry)
    return unknown


def as_dict(result, translate=identity, program=lambda record: record):
    """The JSON shape of ``GET /api/match``: sentences rendered through ``translate`` and each
    program in the form ``program`` gives it."""

    def texts(notes):
        return [note.render(translate) for note in notes]

    return {
        "results": [
            {"program": program(found.program), "score": found.score, "reasons": texts(found.reasons),
             "cautions": texts(found.cautions)}
            for found in result.results
        ],
        "excluded": [{"program": program(e.program), "rules": texts(e.rules)} for e in result.excluded],
        "unknown": {
            field: [{"side": u.side, "text": u.note.render(translate), "programs": list(u.programs)} for u in entries]
            for field, entries in result.unknown.items()
        },
    }
