"""Referral matching: which programs a client can join, ranked, with reasons in plain words.

Pure functions over plain program records (as ``Catalog.all_programs()`` returns them) and the
vocabularies; no Flask, no database, so the ``/match`` page, ``GET /api/match`` and
recruitment's partner ranking all share one engine and one set of weights.

- ``client``: ``ClientProfile``, every field optional, and which groups it settles.
- ``catalogue``: ``prepare(programs, vocabularies)``, the per-program work done once.
- ``rules``: hard eligibility rules; each exclusion names the client's value and the rule.
- ``scoring``: ``WEIGHTS`` as data and the parts of a 0-100 score, each with its reasons.
- ``engine``: ``match(...) -> MatchResult(results, excluded, unknown)`` and ``as_dict``.
- ``cache``: ``CatalogueCache``, the prepared catalogue a server process keeps until a program
  changes (it reads the database it is given; still no Flask).

Choices a caller should know:

- Sentences are never built here: every reason, caution and exclusion is a ``Note`` (topic,
  gettext-style template, parameters), rendered by ``note.render(translate)`` where
  ``translate`` is flask-babel's ``gettext`` or, by default, the identity. Templates live in
  ``messages`` and are extracted with ``pybabel extract -k _N``.
- A missing client value never excludes: the program stays in the results with a caution
  ("ages 18 to 29; client's age not given") and the gap is reported under ``unknown``.
  Gaps in a listing (no age range, no intake dates) are reported there too, apart from the
  reasons, with ``side`` telling which of the two is silent.
- ``unknown`` is ``{field: [Unknown(side, note, programs)]}``: one sentence per gap with the ids
  of the returned programs it concerns, so a page can say "age limits not published (12)".
- ``results`` are ``Match``es, best first, cut to ``limit``; ``excluded`` is every excluded
  program in name order, an ``Exclusion`` made as each is read (thousands cost nothing
  until shown). ``prepare`` the catalogue once and pass it to every call until it changes.
- Population rules: a group the profile settles (gender for "women", income support for
  "Ontario Works recipients", languages for "Francophones", age for "mature workers") is
  decided from that field; "youth" with an age given is decided by the program's published
  maximum age, and is unknown without one; once any group is listed, an unlisted required
  group excludes ("only for Indigenous peoples"), and the caseworker can add it. With no
  group listed, nothing is assumed.
- Delivery mode is a preference (a caution), and an exclusion only with ``mode_required``.
"""

from .catalogue import Catalogue, prepare
from .cache import CatalogueCache
from .engine import Exclusion, Match, MatchResult, Unknown, as_dict, match, match_with_total
from .messages import Note
from .client import ClientProfile
from .scoring import WEIGHTS, score, scores

__all__ = [
    "Catalogue", "CatalogueCache", "ClientProfile", "Exclusion", "Match", "MatchResult", "Note", "Unknown", "WEIGHTS",
    "as_dict", "match", "match_with_total", "prepare", "score", "scores",
]
