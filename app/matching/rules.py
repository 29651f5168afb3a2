"""Eligibility: the hard rules that keep a client away from programs they cannot join.

Each rule looks at every program at once and yields ``Failure``s (programs it excludes, with a
sentence naming the client's value and the program's rule) and ``Unsure``s (programs it cannot
settle because the client's profile or the listing is silent). A rule never guesses: a missing
client value leaves the program in the results with a caution, and is reported under
``unknown`` so the caseworker knows which question would settle it.

Delivery mode is a preference unless the profile says ``mode_required``: a client who would
rather be online may still travel, so an in-person program only earns a caution (see scoring);
a client who can only take part online is not sent to an in-person program.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..catalog.validation import TORONTO_BOUNDS
from . import messages as m
from .catalogue import MISSING_DAY, NO_AGE, slugs_in
from .messages import Note
from .client import BY_AGE_RANGE, DECIDERS, NO, NO_INCOME_SUPPORT, UNSURE, membership

CLIENT, PROGRAM = "client", "program"  # whose information is missing


@dataclass(frozen=True)
class Failure:
    """Programs one rule excludes for this client, and why: one ``note`` for all of them, or,
    when the sentence names each program's own value, ``say(keys[i])`` for program ``i``."""

    mask: np.ndarray
    note: Note | None = None
    keys: np.ndarray | None = None
    say: Callable | None = None

    def notes(self, members):
        """The sentence for each program in ``members`` (positions in the catalogue)."""
        if self.note is not None:
            return [self.note] * len(members)
        return [self.say(key) for key in self.keys[members].tolist()]


def naming(mask, keys, build):
    """A Failure whose sentence names the program's value ``keys[i]``: built once per value,
    since thousands of excluded programs share a handful of them."""
    return Failure(mask, keys=keys, say=m.shared(build))


@dataclass(frozen=True)
class Unsure:
    """Programs a rule or score part could not settle. ``field`` is the profile field (or the
    listing's) that would settle it, ``side`` whose information is missing, ``summary`` the
    sentence shown once for all of them, ``caution`` what each match shows, if anything."""

    field: str
    side: str
    summary: Note
    mask: np.ndarray
    caution: Callable[[int], Note] | None = None


def always(note):
    return lambda i: note


def listing_type(cat, profile, today):
    kinds = cat.listing_type
    yield naming((kinds != "") & (kinds != "program"), kinds, lambda kind: _not_a_program(cat, kind))


def _not_a_program(cat, kind):
    template = m.NOT_A_PROGRAM.get(kind)
    if template:
        return Note("listing_type", template)
    return Note("listing_type", m.NOT_A_PROGRAM_OTHER, {"kind": cat.label("listing_types", kind)})


def ended(cat, profile, today):
    past_end = (cat.end_date != MISSING_DAY) & (cat.end_date < today.toordinal())
    yield naming((cat.status == "ended") | past_end, cat.end_year, _ended)


def _ended(year):
    return Note("status", m.ENDED_IN, {"year": year}) if year else Note("status", m.ENDED)


def capacity(cat, profile, today):
    yield Failure(cat.capacity_status == "full", Note("capacity", m.NO_CAPACITY))


def age(cat, profile, today):
    if profile.age is None:
        yield Unsure("age", CLIENT, Note("age", m.AGE_NOT_GIVEN), cat.has_age_range, lambda i: _ages(cat, i))
        return
    young = (cat.age_min != NO_AGE) & (profile.age < cat.age_min)
    old = (cat.age_max != NO_AGE) & (profile.age > cat.age_max)
    yield naming(young, cat.age_min, lambda low: Note("age", m.TOO_YOUNG, {"age": profile.age, "minimum": low}))
    yield naming(old, cat.age_max, lambda high: Note("age", m.TOO_OLD, {"age": profile.age, "maximum": high}))
    yield Unsure("age", PROGRAM, Note("age", m.AGE_NOT_PUBLISHED), ~cat.has_age_range)


def _ages(cat, i):
    low, high = int(cat.age_min[i]), int(cat.age_max[i])
    if low != NO_AGE and high != NO_AGE:
        return Note("age", m.AGES_FROM_TO, {"minimum": low, "maximum": high})
    if low != NO_AGE:
        return Note("age", m.AGES_FROM, {"minimum": low})
    return Note("age", m.AGES_UP_TO, {"maximum": high})


def populations(cat, profile, today):
    """The client must belong to every group a program is only for; ``membership`` says
    which groups the profile settles. With the client's age known, a youth-only program is
    settled by its own age limits (the age rule): only its maximum age can say an older client
    is no longer youth, so without one the question stays open."""
    for group, bit in cat.bits["requires"].items():
        requiring = (cat.requires & bit) != 0
        if not requiring.any():
            continue
        state = membership(profile, group)
        label = cat.label("populations", group)
        if state == NO:
            yield Failure(requiring, _not_member(cat, profile, group, label))
        elif state == UNSURE:
            yield _unsure_member(profile, group, label, requiring)
        elif state == BY_AGE_RANGE:
            summary = Note("populations", m.YOUTH_NO_RANGE, {"group": label, "age": profile.age})
            caution = Note("populations", m.CHECK_YOUTH, {"group": label})
            yield Unsure("populations", CLIENT, summary, requiring & (cat.age_max == NO_AGE), always(caution))


def _not_member(cat, profile, group, label):
    """Names the client's own value when another field settled it ("client is a man")."""
    if DECIDERS.get(group, lambda p: None)(profile) != NO:
        return Note("populations", m.ONLY_FOR, {"group": label})
    if group == "women":
        return Note("populations", m.WOMEN_ONLY)
    if group == "mature-workers":
        return Note("populations", m.ONLY_FOR_AGE, {"group": label, "age": profile.age})
    if group == "francophones":
        return Note("populations", m.ONLY_FOR_FRENCH, {"group": label})
    if profile.income_support == NO_INCOME_SUPPORT:
        return Note("populations", m.ONLY_FOR_NO_SUPPORT, {"group": label})
    support = cat.label("income_supports", profile.income_support)
    return Note("populations", m.ONLY_FOR_SUPPORT, {"group": label, "support": support})


def _unsure_member(profile, group, label, requiring):
    if group == "women" and profile.gender == "non-binary":
        note = Note("gender", m.WOMEN_NON_BINARY)
        return Unsure("gender", CLIENT, note, requiring, always(note))
    summary = Note("populations", m.GROUP_NOT_KNOWN, {"group": label})
    caution = Note("populations", m.CHECK_GROUP, {"group": label})
    return Unsure("populations", CLIENT, summary, requiring, always(caution))


def income_support(cat, profile, today):
    requiring = cat.income_support != 0
    supports = _listed(cat, "income_support", "income_supports")
    if profile.income_support is None:
        def check(i):
            return Note("income_support", m.CHECK_SUPPORT, {"supports": supports(cat.income_support[i])})

        yield Unsure("income_support", CLIENT, Note("income_support", m.SUPPORT_NOT_GIVEN), requiring, check)
        return

    def rule(listed):
        if profile.income_support == NO_INCOME_SUPPORT:
            return Note("income_support", m.SUPPORT_ONLY_NONE, {"supports": supports(listed)})
        own = cat.label("income_supports", profile.income_support)
        return Note("income_support", m.SUPPORT_ONLY, {"supports": supports(listed), "support": own})

    bit = cat.bits["income_support"].get(profile.income_support, 0)
    yield naming(requiring & ((cat.income_support & bit) == 0), cat.income_support, rule)


def immigration_status(cat, profile, today):
    requiring = (cat.immigration_status != 0) & ~cat.any_immigration_status
    accepted = _listed(cat, "immigration_status", "immigration_statuses")
    if profile.immigration_status is None:
        def check(i):
            return Note("immigration_status", m.CHECK_STATUS, {"accepted": accepted(cat.immigration_status[i])})

        yield Unsure("immigration_status", CLIENT, Note("immigration_status", m.STATUS_NOT_GIVEN), requiring, check)
        return

    def rule(listed):
        status = cat.label("immigration_statuses", profile.immigration_status)
        return Note("immigration_status", m.STATUS_NOT_ACCEPTED, {"accepted": accepted(listed), "status": status})

    bit = cat.bits["immigration_status"].get(profile.immigration_status, 0)
    yield naming(requiring & ((cat.immigration_status & bit) == 0), cat.immigration_status, rule)


def _listed(cat, column, vocabulary):
    """The labels of the slugs a mask column holds, as one list for a sentence."""
    return lambda value: cat.labels(vocabulary, slugs_in(value, cat.bits[column]))


def residency(cat, profile, today):
    """Every listing is a Toronto program, so a client placed in Toronto meets any residency
    rule (Toronto, the GTA, Ontario, Canada). A point outside the city fails only a
    Toronto-only rule: it may still be in the GTA, Ontario or Canada."""
    requiring = cat.residency != 0
    if profile.ward or (profile.location and in_toronto(profile.location)):
        return
    places = _listed(cat, "residency", "residency")

    def check(i):
        return Note("residency", m.CHECK_RESIDENCY, {"places": places(cat.residency[i])})

    if profile.location is None:
        yield Unsure("location", CLIENT, Note("residency", m.LOCATION_NOT_GIVEN), requiring, check)
        return
    toronto_only = cat.residency == cat.bits["residency"].get("toronto", 0)
    yield Failure(requiring & toronto_only, Note("residency", m.TORONTO_ONLY))
    yield Unsure("location", CLIENT, Note("residency", m.RESIDENCY_UNDECIDED), requiring & ~toronto_only, check)


def in_toronto(location):
    latitude, longitude = location
    bounds = TORONTO_BOUNDS
    return bounds["south"] <= latitude <= bounds["north"] and bounds["west"] <= longitude <= bounds["east"]


def delivery_mode(cat, profile, today):
    if not profile.mode_required:
        return
    if profile.mode == "virtual":
        yield Failure(cat.delivery_mode == "in-person", Note("mode", m.IN_PERSON_ONLY))
    elif profile.mode == "in-person":
        yield Failure(cat.delivery_mode == "virtual", Note("mode", m.ONLINE_ONLY))


RULES = (listing_type, ended, capacity, age, populations, income_support, immigration_status, residency, delivery_mode)


def evaluate(cat, profile, today):
    """Every rule's findings, in the order exclusions list them."""
    for rule in RULES:
        yield from rule(cat, profile, today)
