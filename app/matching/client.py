"""What a caseworker tells the engine about a client, and what follows from it.

Every field is optional: a field left empty is never guessed. The one judgement made here is
whether the profile settles if the client belongs to a population group, because eligibility
("women only", "youth only") and scoring ("serves youth") both depend on it and must agree.
"""

from dataclasses import dataclass

# The population vocabulary describes youth as "usually 15 to 29". Used only to credit programs
# serving youth in the score: a youth-only eligibility rule is checked against the program's own
# published age limits, since programs draw the line differently (24, 29, 30).
YOUTH_AGES = (15, 29)
# The vocabulary's label is "Mature workers (45+)", so age alone settles that group.
MATURE_FROM = 45
# Statuses that make someone a refugee in the population vocabulary's sense ("refugees,
# refugee claimants and protected persons").
REFUGEE_STATUSES = frozenset({"protected-person", "refugee-claimant"})
NO_INCOME_SUPPORT = "none"

# How far a profile settles membership of one group.
YES, NO, UNSURE, BY_AGE_RANGE = "yes", "no", "unsure", "by-age-range"


@dataclass(frozen=True)
class ClientProfile:
    """A client described without identifying detail. ``populations`` are all the groups the
    client belongs to at once; ``languages`` are ISO 639-1 codes, the preferred one first;
    ``mode_required`` says the client can only take part in ``mode`` (else it is a preference)."""

    age: int | None = None
    gender: str | None = None  # "woman", "man", "non-binary"
    populations: frozenset = frozenset()
    sectors: frozenset = frozenset()
    interventions: frozenset = frozenset()
    stage: str | None = None  # a continuum stage, used when interventions are empty
    stream: str | None = None  # "a", "b", "c"
    income_support: str | None = None  # an income_supports slug, or "none"
    immigration_status: str | None = None
    location: tuple | None = None  # (latitude, longitude)
    ward: str | None = None  # "07"
    languages: tuple = ()
    mode: str | None = None  # "in-person", "virtual", "hybrid"
    mode_required: bool = False
    start_within_days: int | None = None
    hours: str | None = None  # "full-time", "part-time"

    def __post_init__(self):
        for name in ("populations", "sectors", "interventions"):
            object.__setattr__(self, name, frozenset(getattr(self, name) or ()))
        object.__setattr__(self, "languages", tuple(dict.fromkeys(self.languages or ())))


def _women(profile):
    return {"woman": YES, "man": NO, "non-binary": UNSURE}.get(profile.gender)


def _youth(profile):
    return BY_AGE_RANGE if profile.age is not None else None


def _mature(profile):
    return None if profile.age is None else (YES if profile.age >= MATURE_FROM else NO)


def _receives(support):
    def decide(profile):
        if profile.income_support is None:
            return None
        return YES if profile.income_support == support else NO

    return decide


def _francophone(profile):
    return (YES if "fr" in profile.languages else NO) if profile.languages else None


def _refugee(profile):
    return YES if profile.immigration_status in REFUGEE_STATUSES else None


# Groups another field of the profile speaks for. A decider returns None when the profile is
# silent about the group, and UNSURE when it speaks but cannot settle it (a non-binary client
# and a women-only program: only the program can say).
DECIDERS = {
    "women": _women,
    "youth": _youth,
    "mature-workers": _mature,
    "ontario-works": _receives("ontario-works"),
    "odsp": _receives("odsp"),
    "francophones": _francophone,
    "refugees": _refugee,
}


def membership(profile, group):
    """Whether the client belongs to ``group``: YES, NO, UNSURE, or BY_AGE_RANGE (the
    client's age is known and the program's published age limits decide).

    Once the caseworker has listed any of the client's groups, a group left off the list counts
    as not belonging: the exclusion then names the group, and adding it is one click. With no
    group listed at all, nothing is assumed. A field that settles a group against the list (a
    man listed among "women") decides: the list is the likelier slip.
    """
    decider = DECIDERS.get(group)
    decided = decider(profile) if decider else None
    if decided == NO:  # the field that settles the group outweighs a list that contradicts it
        return NO
    if group in profile.populations:
        return YES
    if decided is not None:
        return decided
    return NO if profile.populations else UNSURE


def effective_populations(profile):
    """The groups the client belongs to, listed or following from other fields: what scoring
    credits. A 19-year-old counts as youth here even when no group was listed."""
    groups = set(profile.populations)
    groups |= {group for group, decide in DECIDERS.items() if decide(profile) == YES}
    if profile.age is not None and YOUTH_AGES[0] <= profile.age <= YOUTH_AGES[1]:
        groups.add("youth")
    return frozenset(groups)
