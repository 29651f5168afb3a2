"""How well each eligible program suits a client: a score from 0 to 100, with its reasons.

The score is a weighted mean of parts, each a fit from 0 to 1. A part the client said nothing
about (no sector given) is left out of the mean rather than counted as a miss, so a short
profile still spreads programs over the whole range and a longer one refines it. The parts
about the listing itself (status, intake, referrals, capacity, freshness) always count.
Each part explains itself, so every point of the score has a reason or a caution beside it.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..geo.distance import nearest_site_km
from . import messages as m
from .catalogue import MISSING_DAY, NO_AGE, mask, prepare, slugs_in
from .messages import Note
from .client import MATURE_FROM, effective_populations
from .rules import PROGRAM, Unsure

# Relative weight of each part. They need not sum to anything: only the parts that apply to a
# profile are averaged.
WEIGHTS = {
    # What the client needs done (training, placement, retention...) is the caseworker's first
    # question; a program doing something else is a poor referral however close it is.
    "interventions": 22,
    # Programs designed for the client's groups are the equity lens of the atlas, usually the
    # better fit, and the signal recruitment's partner ranking leans on.
    "populations": 20,
    # The industry decides between otherwise similar training programs.
    "sectors": 16,
    # Travel is a common reason referrals fail, yet a city-wide or online program is reachable.
    "place": 14,
    # Being served in one's own language outweighs a closer site: sized so that a French speaker
    # sees French-language services before equally suitable English-only ones.
    "languages": 12,
    # A client who waits months for a cohort often drops out; continuous intake avoids that.
    "intake": 6,
    # A preference only (a requirement is an eligibility rule), so it nudges rather than sorts.
    "mode": 4,
    # Few listings name Employment Ontario streams; when one does it is a useful tie-breaker.
    "stream": 3,
    # A program confirmed to be running beats one nobody has confirmed, all else equal.
    "status": 3,
    # Reported capacity is rare and goes stale fast, so it counts little.
    "capacity": 2,
    # Caseworkers refer: a program that takes agency referrals saves the client a step.
    "referral": 2,
    # A listing needing re-checking may be out of date: ranked slightly lower, never hidden.
    "freshness": 2,
}

# Fit of partial answers, as shares of a full match.
OPEN_TO_ALL = 0.3  # a program for all job seekers serves the client's groups too, but not by design
GENERAL_SECTOR = 0.5  # general employment help ("any sector") can still find work in the client's sector
SAME_STAGE = 0.4  # a neighbouring service at the same continuum stage (job matching for employment services)
UNLISTED_STREAM = 0.5  # most programs do not name streams; silence is neither a match nor a miss
NEAR_KM = 5.0  # a site this close is "near": about a short transit ride in Toronto
FADE_KM = 15.0  # beyond NEAR_KM a site's pull fades to nothing over this distance (20 km spans the city)
REACHABLE = 0.5  # city-wide, in the client's ward, or online: reachable, but a near site is better
UNKNOWN_PLACE = 0.2  # neither sites nor service area published: maybe reachable, below what is known to be
OTHER_LANGUAGE = 0.5  # in one of the client's languages, but not the preferred (first) one
UNKNOWN_LANGUAGE = 0.3  # languages not published: most such programs are in English only
DEFAULT_WINDOW_DAYS = 90  # "soon" when the client gave no start window: about one cohort cycle
SOONER = 0.3  # what a start at the end of the window gives up against one today
LATE_INTAKE = 0.2  # next intake after the window, or its application deadline has passed
UNKNOWN_INTAKE = 0.3  # cohort intake with no upcoming date published: a call is needed to know
UNKNOWN_MODE = 0.5  # delivery mode not published: halfway, as it may suit or not
# (client's preference, program's mode): fit. A hybrid program asks an online-only client to come
# in sometimes, so it half fits; an in-person client can usually manage a hybrid one.
MODE_FIT = {
    ("virtual", "virtual"): 1.0, ("virtual", "hybrid"): 0.5, ("virtual", "in-person"): 0.0,
    ("in-person", "in-person"): 1.0, ("in-person", "hybrid"): 0.75, ("in-person", "virtual"): 0.0,
    ("hybrid", "hybrid"): 1.0, ("hybrid", "in-person"): 0.75, ("hybrid", "virtual"): 0.75,
}
# A paused program takes nobody for now; "unknown" (or empty) means no source confirms it runs.
STATUS_FIT = {"active": 1.0, "time-limited": 1.0, "unknown": 0.5, "": 0.5, "paused": 0.0}
# A waitlist is not a refusal, but the client will wait; unknown capacity is the common case.
CAPACITY_FIT = {"open": 1.0, "waitlist": 0.2}
UNKNOWN_CAPACITY = 0.5
AGENCY_REFERRALS = ("agency-referral", "both")
SELF_REFERRAL_ONLY = 0.5  # the client applies alone (or the listing does not say); a caseworker can still help


def nothing(i):
    return [], []


def labelled(cat, topic, template, key, vocabulary):
    """``note(slug)``: the sentence naming one vocabulary term, built once per request."""
    return m.shared(lambda slug: Note(topic, template, {key: cat.label(vocabulary, slug)}))


@dataclass(frozen=True)
class Part:
    """One part of the score: ``values`` per program (None when it does not apply) and
    ``explain(i)``, the reasons and cautions it gives program ``i``."""

    name: str
    values: np.ndarray | None
    explain: Callable[[int], tuple] = nothing
    unsure: tuple = ()


def populations(cat, profile, today):
    groups = effective_populations(profile)
    bits = cat.bits["populations"]
    wanted = mask(groups, bits)
    count = wanted.bit_count()
    if not count:
        return Part("populations", None)
    open_to_all = (cat.populations & bits.get("all-job-seekers", 0)) != 0
    values = np.maximum(np.bitwise_count(cat.populations & wanted) / count, np.where(open_to_all, OPEN_TO_ALL, 0.0))

    serves = m.shared(lambda key: _serves(cat, profile, *key))
    everyone = Note("populations", m.ALL_JOB_SEEKERS)

    def explain(i):
        ages = (int(cat.age_min[i]), int(cat.age_max[i])) if profile.age is not None else (NO_AGE, NO_AGE)
        reasons = [serves((group, *ages)) for group in slugs_in(int(cat.populations[i]) & wanted, bits)]
        return (reasons or ([everyone] if open_to_all[i] else [])), []

    return Part("populations", values, explain)


def _serves(cat, profile, group, low, high):
    label = cat.label("populations", group)
    if profile.age is None or group not in ("youth", "mature-workers"):
        return Note("populations", m.SERVES_GROUP, {"group": label})
    params = {"group": label, "age": profile.age, "minimum": low, "maximum": high}
    if low != NO_AGE and high != NO_AGE:
        return Note("populations", m.SERVES_GROUP_AGED, params)
    if low != NO_AGE:
        return Note("populations", m.SERVES_GROUP_FROM, params)
    if high != NO_AGE:
        return Note("populations", m.SERVES_GROUP_UP_TO, params)
    if group == "mature-workers" and profile.age < MATURE_FROM:
        return Note("populations", m.SERVES_GROUP, {"group": label})
    return Note("populations", m.SERVES_GROUP_CLIENT_AGE, params)


def sectors(cat, profile, today):
    bits = cat.bits["sectors"]
    wanted = mask(profile.sectors - {"any-sector"}, bits)
    if not wanted:
        return Part("sectors", None)
    hit = (cat.sectors & wanted) != 0
    general = (cat.sectors & bits.get("any-sector", 0)) != 0
    values = np.where(hit, 1.0, np.where(general, GENERAL_SECTOR, 0.0))
    sector = labelled(cat, "sectors", m.SECTOR, "sector", "sectors")
    any_sector = Note("sectors", m.ANY_SECTOR)

    def explain(i):
        if hit[i]:
            return [sector(s) for s in slugs_in(int(cat.sectors[i]) & wanted, bits)], []
        return ([any_sector] if general[i] else []), []

    return Part("sectors", values, explain)


def interventions(cat, profile, today):
    bits = cat.bits["interventions"]
    needed = [slug for slug in bits if slug in profile.interventions]
    if needed:
        return _needed_interventions(cat, needed)
    stage_bit = cat.bits["stages"].get(profile.stage or "", 0)
    if not stage_bit:
        return Part("interventions", None)
    reached = (cat.stages & stage_bit) != 0
    note = Note("interventions", m.OFFERS_STAGE, {"stage": cat.label("stages", profile.stage)})
    return Part("interventions", reached.astype(float), lambda i: ([note] if reached[i] else [], []))


def _needed_interventions(cat, needed):
    """Each needed service counts fully when offered, and partly when the program offers
    another service at the same continuum stage (job matching for employment services)."""
    bits = cat.bits["interventions"]
    values = np.zeros(cat.size)
    for slug in needed:
        offered = (cat.interventions & bits[slug]) != 0
        nearby = (cat.stages & cat.stage_bit_of[slug]) != 0
        values += np.where(offered, 1.0, np.where(nearby, SAME_STAGE, 0.0))
    wanted = mask(needed, bits)
    offers = labelled(cat, "interventions", m.OFFERS, "intervention", "interventions")
    offers_stage = labelled(cat, "interventions", m.OFFERS_STAGE, "stage", "stages")

    def explain(i):
        offered = slugs_in(int(cat.interventions[i]) & wanted, bits)
        reasons = [offers(s) for s in offered]
        reached = int(cat.stages[i])
        nearby = 0
        for slug in needed:
            if slug not in offered:
                nearby |= reached & cat.stage_bit_of[slug]
        return reasons + [offers_stage(stage) for stage in slugs_in(nearby, cat.bits["stages"])], []

    return Part("interventions", values / len(needed), explain)


def stream(cat, profile, today):
    bit = cat.bits["streams"].get(profile.stream or "", 0)
    if not bit:
        return Part("stream", None)
    listed = cat.streams != 0
    has = (cat.streams & bit) != 0
    values = np.where(has, 1.0, np.where(listed, 0.0, UNLISTED_STREAM))

    def explain(i):
        if has[i]:
            return [Note("stream", m.STREAM, {"stream": cat.label("streams", profile.stream)})], []
        if listed[i]:
            others = cat.labels("streams", slugs_in(int(cat.streams[i]), cat.bits["streams"]))
            return [], [Note("stream", m.OTHER_STREAMS, {"streams": others})]
        return [], []

    return Part("stream", values, explain)


def place(cat, profile, today):
    """A site within NEAR_KM scores more the closer it is; being city-wide, serving the
    client's ward or being online scores as reachable; a far site fades to nothing."""
    if profile.location is None and not profile.ward:
        return Part("place", None)
    distance = np.full(cat.size, np.inf)
    if profile.location is not None:
        distance = nearest_site_km(*profile.location, cat.site_owner, cat.site_points, cat.size)
    ward_bit = cat.bits["wards"].get(profile.ward or "", 0)
    in_ward = (cat.wards & ward_bit) != 0
    reachable = cat.serves_city | cat.online | in_ward
    with np.errstate(invalid="ignore"):
        near = REACHABLE + (1 - REACHABLE) * (1 - distance / NEAR_KM)
        fading = REACHABLE * np.clip(1 - (distance - NEAR_KM) / FADE_KM, 0, 1)
    values = np.where(distance <= NEAR_KM, near, np.where(np.isfinite(distance), fading, 0.0))
    values = np.maximum(values, np.where(reachable, REACHABLE, 0.0))
    values = np.where(cat.place_published, values, UNKNOWN_PLACE)
    unsure = (Unsure("location", PROGRAM, Note("place", m.LOCATION_NOT_PUBLISHED), ~cat.place_published),)
    return Part("place", values, lambda i: _place_notes(cat, profile, i, distance[i], in_ward[i]), unsure)


def _place_notes(cat, profile, i, km, in_ward):
    reasons, cautions = [], []
    if km <= NEAR_KM:
        reasons.append(Note("place", m.NEAR_SITE, {"km": float(km)}))
    if cat.serves_city[i]:
        reasons.append(Note("place", m.CITY_WIDE))
    elif in_ward:
        reasons.append(Note("place", m.SERVES_WARD, {"ward": profile.ward}))
    if cat.online[i]:
        reasons.append(Note("place", m.ONLINE))
    reachable = cat.serves_city[i] or cat.online[i] or in_ward
    if not reachable and NEAR_KM < km < np.inf:
        cautions.append(Note("place", m.FAR_SITE, {"km": float(km)}))
    if profile.ward and not reachable and cat.wards[i]:
        wards = ", ".join(slugs_in(int(cat.wards[i]), cat.bits["wards"]))
        cautions.append(Note("place", m.WARDS_ELSEWHERE, {"wards": wards}))
    if not cat.place_published[i]:
        cautions.append(Note("place", m.LOCATION_NOT_PUBLISHED))
    return reasons, cautions


def languages(cat, profile, today):
    """The first of the client's languages is the one they are best served in."""
    bits = cat.bits["languages"]
    spoken = [slug for slug in profile.languages if slug in bits]
    if not spoken:
        return Part("languages", None)
    first, rest = bits[spoken[0]], mask(spoken[1:], bits)
    published = cat.languages != 0
    values = np.where(
        (cat.languages & first) != 0, 1.0,
        np.where((cat.languages & rest) != 0, OTHER_LANGUAGE, np.where(published, 0.0, UNKNOWN_LANGUAGE)),
    )
    unsure = (Unsure("languages", PROGRAM, Note("languages", m.LANGUAGES_NOT_PUBLISHED), ~published),)

    language = labelled(cat, "languages", m.LANGUAGE, "language", "languages")
    elsewhere = [Note("languages", m.NOT_IN_LANGUAGES)]
    either = mask(spoken, bits)

    def explain(i):
        offered = int(cat.languages[i])
        reasons = [language(s) for s in spoken if offered & bits[s] and s != "en"]
        return reasons, (elsewhere if published[i] and not offered & either else [])

    return Part("languages", values, explain, unsure)


def mode(cat, profile, today):
    if profile.mode is None:
        return Part("mode", None)
    values = np.full(cat.size, UNKNOWN_MODE)
    for (wished, offered), fit in MODE_FIT.items():
        if wished == profile.mode:
            values[cat.delivery_mode == offered] = fit
    unsure = (Unsure("mode", PROGRAM, Note("mode", m.MODE_NOT_PUBLISHED), cat.delivery_mode == ""),)
    notes = m.shared(lambda offered: _mode_notes(cat, profile.mode, offered))
    return Part("mode", values, lambda i: notes(str(cat.delivery_mode[i])), unsure)


MODE_CAUTIONS = {
    ("virtual", "in-person"): m.IN_PERSON_CAUTION,
    ("virtual", "hybrid"): m.PARTLY_IN_PERSON,
    ("in-person", "virtual"): m.ONLINE_CAUTION,
}


def _mode_notes(cat, wished, offered):
    if wished == offered:
        return [Note("mode", m.MODE_AS_WISHED, {"mode": cat.label("delivery_mode", offered)})], []
    caution = MODE_CAUTIONS.get((wished, offered))
    return [], ([Note("mode", caution)] if caution else [])


def intake(cat, profile, today):
    """Continuous intake, or a next intake within the client's window (90 days when not
    given), the sooner the better."""
    day = today.toordinal()
    window = DEFAULT_WINDOW_DAYS if profile.start_within_days is None else max(profile.start_within_days, 0)
    days = cat.next_intake_date - day
    continuous = cat.intake == "continuous"
    upcoming = (cat.next_intake_date != MISSING_DAY) & (days >= 0)
    closed = (cat.application_deadline != MISSING_DAY) & (cat.application_deadline < day)
    soon = upcoming & (days <= window) & ~closed
    values = np.where(
        continuous, 1.0,
        np.where(soon, 1 - SOONER * days / max(window, 1), np.where(upcoming, LATE_INTAKE, UNKNOWN_INTAKE)),
    )
    unsure = ()
    if profile.start_within_days is not None:
        summary = Note("intake", m.INTAKE_NOT_PUBLISHED)
        unsure = (Unsure("start_within_days", PROGRAM, summary, ~continuous & ~upcoming),)
    next_intake = m.shared(_next_intake)
    return Part("intake", values, lambda i: _intake_notes(cat, profile, i, day, window, next_intake), unsure)


def _intake_notes(cat, profile, i, day, window, next_intake):
    if cat.intake[i] == "continuous":
        return [Note("intake", m.CONTINUOUS)], []
    program = cat.programs[i]
    if cat.next_intake_date[i] == MISSING_DAY:
        return [], [Note("intake", m.INTAKE_NOT_PUBLISHED)]
    days = int(cat.next_intake_date[i]) - day
    if days < 0:
        return [], [Note("intake", m.INTAKE_PASSED, {"date": program["next_intake_date"]})]
    cautions = []
    if cat.application_deadline[i] != MISSING_DAY and cat.application_deadline[i] < day:
        cautions.append(Note("intake", m.DEADLINE_PASSED, {"date": program["application_deadline"]}))
    if days > window:
        late = profile.start_within_days is not None
        return [], cautions + ([Note("intake", m.INTAKE_LATE, {"days": days})] if late else [])
    return [next_intake(days)], cautions


def _next_intake(days):
    if days == 0:
        return Note("intake", m.INTAKE_TODAY)
    if days == 1:
        return Note("intake", m.INTAKE_TOMORROW)
    return Note("intake", m.INTAKE_IN, {"days": days})


def status(cat, profile, today):
    values = np.full(cat.size, STATUS_FIT[""])
    for slug, fit in STATUS_FIT.items():
        values[cat.status == slug] = fit
    return Part("status", values, lambda i: ([], _status_cautions(cat, i)))


STATUS_CAUTIONS = {
    "paused": [Note("status", m.PAUSED)],
    "unknown": [Note("status", m.UNCONFIRMED)],
    "": [Note("status", m.UNCONFIRMED)],
}


def _status_cautions(cat, i):
    slug, end = cat.status[i], cat.programs[i].get("end_date")
    if slug == "time-limited" and end:
        return [Note("status", m.ENDS_ON, {"date": end})]
    return STATUS_CAUTIONS.get(slug, [])


def capacity(cat, profile, today):
    values = np.full(cat.size, UNKNOWN_CAPACITY)
    for slug, fit in CAPACITY_FIT.items():
        values[cat.capacity_status == slug] = fit
    notes = {"open": ([Note("capacity", m.TAKING_PEOPLE)], []), "waitlist": ([], [Note("capacity", m.WAITLIST)])}
    return Part("capacity", values, lambda i: notes.get(cat.capacity_status[i], ([], [])))


def referral(cat, profile, today):
    accepts = np.isin(cat.referral_method, AGENCY_REFERRALS)
    values = np.where(accepts, 1.0, SELF_REFERRAL_ONLY)
    note = Note("referral", m.AGENCY_REFERRALS)
    return Part("referral", values, lambda i: ([note] if accepts[i] else [], []))


def freshness(cat, profile, today):
    stale = cat.needs_rechecking(today)
    note = Note("freshness", m.RECHECK)
    return Part("freshness", np.where(stale, 0.0, 1.0), lambda i: ([], [note] if stale[i] else []))


def hours(cat, profile, today):
    """No listing records its hours, so a wish for full- or part-time work can only be
    reported as unknown, never used."""
    if profile.hours is None:
        return Part("hours", None)
    summary = Note("hours", m.HOURS_NOT_PUBLISHED)
    return Part("hours", None, unsure=(Unsure("hours", PROGRAM, summary, np.ones(cat.size, dtype=bool)),))


# In the order their reasons are listed: what the client needs first, the listing's state last.
PARTS = (interventions, populations, sectors, place, languages, stream, mode, intake, referral, capacity, status,
         freshness, hours)


def parts(cat, profile, today):
    return [part(cat, profile, today) for part in PARTS]


def combine(scored_parts):
    """Scores 0 to 100: the weighted mean of the parts that apply, rounded half up. The hair
    added before rounding keeps fits equal in exact arithmetic from rounding apart."""
    applying = [part for part in scored_parts if part.values is not None]
    total = sum(WEIGHTS[part.name] * part.values for part in applying)
    weight = sum(WEIGHTS[part.name] for part in applying)
    return np.floor(100 * total / weight + 0.5 + 1e-9).astype(np.int64)


def explain(scored_parts, i):
    """Program ``i``'s reasons and cautions, most important part first."""
    reasons, cautions = [], []
    for part in scored_parts:
        if part.explain is not nothing:
            found, warned = part.explain(i)
            reasons += found
            cautions += warned
    return reasons, cautions


def scores(cat, profile, today):
    """Every program's score, eligible or not: for rankings that apply their own filters,
    such as recruitment's partner agencies."""
    return combine(parts(cat, profile, today))


@dataclass(frozen=True)
class Scored:
    score: int
    reasons: tuple
    cautions: tuple


def score(program, profile, vocabularies, today):
    """One program's score with its reasons and cautions, whatever its eligibility."""
    cat = prepare([program], vocabularies)
    scored = parts(cat, profile, today)
    reasons, cautions = explain(scored, 0)
    return Scored(int(combine(scored)[0]), tuple(reasons), tuple(cautions))
