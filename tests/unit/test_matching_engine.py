"""The referral-matching engine over small hand-made catalogues: what a caseworker sees."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.fields import FIELD_NAMES, LIST_FIELDS
from app.catalog.vocabulary import load_all
from app.geo.distance import haversine_km
from app.matching import ClientProfile, as_dict, match, prepare, score
from app.matching import messages
from app.settings import PROJECT_ROOT

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")
TODAY = dt.date(2026, 6, 1)
DOWNTOWN = (43.6487, -79.3817)
SCARBOROUGH = (43.8066, -79.2195)
OTTAWA = (45.4215, -75.6972)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def day(offset):
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def program(**overrides):
    """A joinable, freshly verified program record shaped as ``all_programs()`` returns it."""
    record = {name: None for name in FIELD_NAMES}
    record.update({name: [] for name in LIST_FIELDS})
    record.update(
        id="p", name="Program", organization="Org", listing_type="program", status="active",
        sectors=["ict"], interventions=["sector-training"], service_area=["city-wide"],
        delivery_mode="in-person", languages=["en"], intake="continuous", last_verified=TODAY.isoformat(),
        verification="compiled", source_url="https://example.org", sites=[],
    )
    record.update(overrides)
    return record


def site(latitude, longitude):
    return {"address": None, "postal_code": None, "latitude": latitude, "longitude": longitude,
            "location_precision": "manual", "ward": None, "neighbourhood": None}


def run(programs, limit=None, **profile):
    return match(programs, ClientProfile(**profile), VOCABULARIES, TODAY, limit=limit)


def ids(result):
    return [m.program["id"] for m in result.results]


def texts(notes):
    return [note.text for note in notes]


def rules_of(result, program_id):
    return next(texts(e.rules) for e in result.excluded if e.program["id"] == program_id)


def found(result, program_id):
    return next(m for m in result.results if m.program["id"] == program_id)


def unknown_texts(result, field):
    return {(u.side, u.note.text): list(u.programs) for u in result.unknown.get(field, [])}


# Hard rules: each exclusion names the client's value and the program's rule.


@pytest.mark.parametrize(
    "age, rule",
    [(17, "client is 17; the minimum age is 18"), (30, "client is 30; the maximum age is 29")],
)
def test_a_client_outside_the_age_range_is_excluded_with_both_ages(age, rule):
    result = run([program(age_min=18, age_max=29)], age=age)
    assert ids(result) == []
    assert rules_of(result, "p") == [rule]


def test_a_client_inside_the_age_range_is_told_the_range_fits():
    result = run([program(populations=["youth"], age_min=18, age_max=29)], age=19)
    assert "serves Youth 18-29 (client is 19)" in texts(found(result, "p").reasons)


def test_an_age_range_unchecked_for_want_of_the_clients_age_is_a_caution_not_an_exclusion():
    result = run([program(age_min=18, age_max=29), program(id="q", age_min=16)])
    assert "ages 18 to 29; client's age not given" in texts(found(result, "p").cautions)
    assert "ages 16 and over; client's age not given" in texts(found(result, "q").cautions)
    assert unknown_texts(result, "age") == {("client", "publishes an age range; client's age not given"): ["p", "q"]}


def test_age_limits_a_program_does_not_publish_are_reported_apart_from_the_reasons():
    result = run([program()], age=40)
    assert ids(result) == ["p"]
    assert unknown_texts(result, "age") == {("program", "age limits not published"): ["p"]}
    assert not any("age" in text for text in texts(found(result, "p").reasons))


@pytest.mark.parametrize(
    "profile, rule",
    [
        ({"gender": "man"}, "women only; client is a man"),
        ({"populations": frozenset({"newcomers"})}, "only for Women"),
    ],
)
def test_women_only_programs_exclude_whom_the_profile_says_is_not_a_woman(profile, rule):
    result = run([program(requires_populations=["women"])], **profile)
    assert ids(result) == []
    assert rules_of(result, "p") == [rule]


@pytest.mark.parametrize("profile", [{"gender": "woman"}, {"populations": frozenset({"women", "newcomers"})}])
def test_women_only_programs_take_women(profile):
    result = run([program(requires_populations=["women"])], **profile)
    assert ids(result) == ["p"]
    assert not any("Women" in text for text in texts(found(result, "p").cautions))


@pytest.mark.parametrize(
    "profile, field, caution",
    [
        ({"gender": "non-binary"}, "gender", "women only; ask whether it welcomes non-binary people"),
        ({}, "populations", "only for Women; check that the client belongs"),
    ],
)
def test_a_requirement_the_profile_cannot_settle_stays_with_a_caution(profile, field, caution):
    result = run([program(requires_populations=["women"])], **profile)
    assert caution in texts(found(result, "p").cautions)
    assert [u.programs for u in result.unknown[field]] == [("p",)]


def test_youth_only_is_settled_by_the_programs_maximum_age_and_unknown_without_one():
    ranged = program(id="ranged", requires_populations=["youth"], age_min=18, age_max=29)
    open_ended = program(id="open-ended", requires_populations=["youth"], age_min=16)
    unranged = program(id="unranged", requires_populations=["youth"])
    young = run([ranged, open_ended, unranged], age=19, populations=frozenset({"newcomers"}))
    assert ids(young) == ["open-ended", "ranged", "unranged"]
    assert unknown_texts(young, "populations") == {
        ("client", "only for Youth, with no published maximum age; client is 19"): ["open-ended", "unranged"]
    }
    older = run([ranged, open_ended, unranged], age=40)
    assert ids(older) == ["open-ended", "unranged"]
    assert rules_of(older, "ranged") == ["client is 40; the maximum age is 29"]
    assert "only for Youth, with no published maximum age; check that the client qualifies" in texts(
        found(older, "unranged").cautions
    )


@pytest.mark.parametrize(
    "support, rule",
    [
        ("odsp", "Ontario Works recipients only; client receives ODSP"),
        ("none", "Ontario Works recipients only; client receives no income support"),
    ],
)
def test_income_support_rules_name_what_the_client_receives(support, rule):
    result = run([program(income_support=["ontario-works"])], income_support=support)
    assert rules_of(result, "p") == [rule]


def test_income_support_decides_the_ontario_works_population_too():
    needs_ow = program(requires_populations=["ontario-works"])
    rule = "only for Ontario Works recipients; client receives ODSP"
    assert rules_of(run([needs_ow], income_support="odsp"), "p") == [rule]
    assert ids(run([needs_ow], income_support="ontario-works", populations=frozenset({"youth"}))) == ["p"]


def test_income_support_not_given_leaves_the_program_with_a_check():
    result = run([program(income_support=["ontario-works"])])
    assert "Ontario Works recipients only; check the client's income support" in texts(found(result, "p").cautions)


def test_immigration_status_must_be_among_those_accepted():
    strict = program(id="strict", immigration_status=["citizen", "permanent-resident"])
    open_to_all = program(id="open", immigration_status=["any"])
    result = run([strict, open_to_all], immigration_status="work-permit")
    assert ids(result) == ["open"]
    assert rules_of(result, "strict") == [
        "accepts Canadian citizen, Permanent resident; client's status is Work permit holder"
    ]


def test_residency_is_met_by_a_client_placed_in_toronto_and_unknown_without_a_place():
    toronto = program(residency=["toronto"])
    assert found(run([toronto], location=DOWNTOWN), "p").cautions == ()
    assert found(run([toronto], ward="07"), "p").cautions == ()
    unplaced = run([toronto])
    assert "Lives in Toronto; check where the client lives" in texts(found(unplaced, "p").cautions)
    assert list(unplaced.unknown) == ["location"]


def test_a_client_outside_toronto_fails_only_a_toronto_only_rule():
    result = run([program(id="city", residency=["toronto"]), program(id="province", residency=["ontario"])],
                 location=OTTAWA)
    assert ids(result) == ["province"]
    assert rules_of(result, "city") == ["Toronto residents only; client's location is outside Toronto"]


@pytest.mark.parametrize(
    "overrides, rule",
    [
        ({"status": "ended", "end_date": "2020-03-31"}, "ended in 2020"),
        ({"status": "ended"}, "has ended"),
        ({"status": "time-limited", "end_date": day(-10)}, f"ended in {day(-10)[:4]}"),
        ({"capacity_status": "full"}, "no capacity"),
        ({"listing_type": "funder"}, "not a program people join (a funder)"),
        ({"listing_type": "intermediary"}, "not a program people join (an intermediary)"),
    ],
)
def test_programs_nobody_can_join_now_are_excluded_with_why(overrides, rule):
    result = run([program(**overrides)])
    assert ids(result) == []
    assert rules_of(result, "p") == [rule]


def test_every_rule_a_program_fails_is_listed():
    result = run([program(listing_type="funder", age_min=18, requires_populations=["women"])], age=16, gender="man")
    assert rules_of(result, "p") == [
        "not a program people join (a funder)", "client is 16; the minimum age is 18", "women only; client is a man",
    ]


def test_a_time_limited_program_still_running_says_when_it_ends():
    result = run([program(status="time-limited", end_date=day(40))])
    assert f"time-limited; ends on {day(40)}" in texts(found(result, "p").cautions)


def test_a_waitlist_is_a_caution_and_ranks_below_a_program_taking_people():
    result = run([program(id="wait", name="A", capacity_status="waitlist"),
                  program(id="open", name="B", capacity_status="open")])
    assert ids(result) == ["open", "wait"]
    assert "waitlist" in texts(found(result, "wait").cautions)
    assert "taking people now" in texts(found(result, "open").reasons)


def test_a_mode_preference_cautions_while_a_mode_requirement_excludes():
    programs = [program(id="site", name="A", delivery_mode="in-person"),
                program(id="web", name="B", delivery_mode="virtual")]
    preferred = run(programs, mode="virtual")
    assert ids(preferred) == ["web", "site"]
    assert "in person only" in texts(found(preferred, "site").cautions)
    required = run(programs, mode="virtual", mode_required=True)
    assert ids(required) == ["web"]
    assert rules_of(required, "site") == ["in person only; client can only take part online"]


# Scoring: what orders the eligible, and the words that explain it.


def test_a_closer_site_ranks_higher_and_says_how_far_it_is():
    near, far = (43.6600, -79.3900), (43.7000, -79.4500)
    programs = [program(id="far", name="A", service_area=[], sites=[site(*far)]),
                program(id="near", name="B", service_area=[], sites=[site(*near)])]
    result = run(programs, location=DOWNTOWN)
    assert ids(result) == ["near", "far"]
    near_km, far_km = haversine_km(*DOWNTOWN, np.array([near, far]))
    assert f"site {near_km:.1f} km away" in texts(found(result, "near").reasons)
    assert f"nearest site {far_km:.1f} km away" in texts(found(result, "far").cautions)


def test_city_wide_online_and_own_ward_programs_are_reachable():
    programs = [program(id="city"), program(id="web", service_area=[], delivery_mode="virtual"),
                program(id="ward", service_area=["ward:07"]), program(id="elsewhere", service_area=["ward:13"])]
    result = run(programs, ward="07")
    assert "serves all of Toronto" in texts(found(result, "city").reasons)
    assert "offered online" in texts(found(result, "web").reasons)
    assert "serves ward 07" in texts(found(result, "ward").reasons)
    assert "serves only these wards: 13" in texts(found(result, "elsewhere").cautions)
    assert ids(result)[-1] == "elsewhere"


def test_a_french_speaker_sees_french_language_services_first():
    programs = [program(id="english", name="A Employment"),
                program(id="french", name="B Emploi", languages=["fr", "en"])]
    result = run(programs, languages=("fr",))
    assert ids(result) == ["french", "english"]
    assert "French available" in texts(found(result, "french").reasons)
    assert "not offered in the client's languages" in texts(found(result, "english").cautions)


def test_programs_for_the_clients_groups_rank_first_and_age_implies_youth():
    programs = [program(id="general", name="A"), program(id="youth", name="B", populations=["youth"])]
    result = run(programs, age=19)
    assert ids(result) == ["youth", "general"]
    assert "serves Youth (client is 19)" in texts(found(result, "youth").reasons)


def test_the_service_needed_ranks_above_a_neighbour_on_the_continuum():
    programs = [program(id="housing", name="A", interventions=["housing-support"]),
                program(id="matching", name="B", interventions=["job-matching"]),
                program(id="services", name="C", interventions=["employment-services"])]
    result = run(programs, interventions=frozenset({"employment-services"}))
    assert ids(result) == ["services", "matching", "housing"]
    assert "offers Employment services" in texts(found(result, "services").reasons)
    assert "offers Job placement services" in texts(found(result, "matching").reasons)


def test_an_unsure_client_can_ask_for_a_stage_instead_of_services():
    programs = [program(id="placement", name="A", interventions=["job-matching"]),
                program(id="training", name="B", interventions=["bridging"])]
    result = run(programs, stage="skills-training")
    assert ids(result) == ["training", "placement"]
    assert "offers Skills training services" in texts(found(result, "training").reasons)


def test_sector_and_stream_reasons_use_the_vocabulary_labels():
    result = run([program(streams=["b"])], sectors=frozenset({"ict"}), stream="b")
    reasons = texts(found(result, "p").reasons)
    assert "for work in Information and communications technology" in reasons
    assert "serves Stream B (medium risk) clients" in reasons


def test_intake_soon_ranks_first_and_a_late_one_is_a_caution():
    programs = [program(id="late", name="A", intake="cohort", next_intake_date=day(30)),
                program(id="soon", name="B", intake="cohort", next_intake_date=day(12)),
                program(id="unknown", name="C", intake="cohort")]
    result = run(programs, start_within_days=14)
    assert ids(result) == ["soon", "unknown", "late"]
    assert "next intake in 12 days" in texts(found(result, "soon").reasons)
    assert "next intake in 30 days, later than the client can start" in texts(found(result, "late").cautions)
    assert "intake dates not published" in texts(found(result, "unknown").cautions)
    assert unknown_texts(result, "start_within_days") == {("program", "intake dates not published"): ["unknown"]}


def test_a_program_with_nothing_in_its_favour_still_says_why_it_is_listed():
    result = run([program(intake=None)])
    assert texts(found(result, "p").reasons) == ["no published rule excludes the client"]


def test_continuous_intake_and_agency_referrals_are_reasons():
    result = run([program(referral_method="agency-referral")])
    assert texts(found(result, "p").reasons) == ["continuous intake", "accepts agency referrals"]


@pytest.mark.parametrize(
    "worse, caution",
    [
        ({"last_verified": day(-800)}, "listing needs re-checking"),
        ({"status": "unknown"}, "not confirmed to be running"),
        ({"status": "paused"}, "paused: not taking people for now"),
    ],
)
def test_doubtful_listings_rank_below_a_sound_twin_with_a_caution(worse, caution):
    result = run([program(id="doubtful", name="A", **worse), program(id="sound", name="B")])
    assert ids(result) == ["sound", "doubtful"]
    assert caution in texts(found(result, "doubtful").cautions)


def test_equal_scores_are_ordered_by_name_then_id():
    programs = [program(id="z", name="Beta"), program(id="y", name="alpha"), program(id="x", name="Alpha")]
    result = run(programs)
    assert len({m.score for m in result.results}) == 1
    assert ids(result) == ["x", "y", "z"]


def test_wishes_no_listing_records_are_reported_unknown():
    result = run([program(), program(id="q")], hours="part-time")
    assert unknown_texts(result, "hours") == {("program", "hours (full-time or part-time) not published"): ["p", "q"]}


def test_a_limit_returns_the_best_and_unknown_speaks_only_of_them():
    programs = [program(id=f"p{n}", name=f"P{n}", age_min=16 + n) for n in range(6)]
    everything = run(programs, sectors=frozenset({"ict"}))
    first = run(programs, limit=2, sectors=frozenset({"ict"}))
    assert ids(first) == ids(everything)[:2]
    assert [u.programs for u in first.unknown["age"]] == [tuple(ids(first))]


def test_a_prepared_catalogue_gives_the_same_answer_as_plain_records():
    programs = [program(id=f"p{n}", name=f"P{n}", populations=["youth"] if n % 2 else []) for n in range(4)]
    profile = ClientProfile(age=20)
    plain = match(programs, profile, VOCABULARIES, TODAY)
    prepared = match(prepare(programs, VOCABULARIES), profile, VOCABULARIES, TODAY)
    assert plain == prepared


def test_sentences_are_rendered_through_the_translation_given():
    french = {messages.TOO_YOUNG: "la cliente a %(age)d ans; l'âge minimum est %(minimum)d",
              messages.CONTINUOUS: "inscription continue"}
    result = run([program(id="adult", age_min=18), program(id="open")], age=16)
    data = as_dict(result, translate=lambda template: french.get(template, template),
                   program=lambda record: {"id": record["id"]})
    assert data["excluded"] == [{"program": {"id": "adult"}, "rules": ["la cliente a 16 ans; l'âge minimum est 18"]}]
    assert data["results"][0]["program"] == {"id": "open"}
    assert "inscription continue" in data["results"][0]["reasons"]
    assert data["unknown"] == {"age": [{"side": "program", "text": "age limits not published", "programs": ["open"]}]}


# Properties over generated catalogues and clients.


def slugs(vocabulary, max_size=3):
    return st.lists(st.sampled_from([t.slug for t in VOCABULARIES[vocabulary].terms]), max_size=max_size, unique=True)


def maybe(strategy):
    return st.one_of(st.none(), strategy)


points = st.tuples(st.floats(43.60, 43.82), st.floats(-79.60, -79.15))
program_fields = st.fixed_dictionaries({
    "name": st.sampled_from(["Alpha", "Beta", "beta", "Gamma"]),
    "listing_type": st.sampled_from(["program"] * 6 + ["funder", "network"]),
    "status": st.sampled_from(["active", "unknown", "time-limited", "paused", "ended"]),
    "end_date": maybe(st.integers(-800, 400).map(day)),
    "age_min": maybe(st.integers(12, 50)),
    "age_max": maybe(st.integers(16, 70)),
    "populations": slugs("populations"),
    "requires_populations": slugs("populations", 2),
    "sectors": slugs("sectors"),
    "interventions": slugs("interventions"),
    "streams": slugs("streams"),
    "languages": slugs("languages", 2),
    "income_support": slugs("income_supports", 1),
    "immigration_status": slugs("immigration_statuses", 2),
    "residency": slugs("residency", 1),
    "delivery_mode": maybe(st.sampled_from(["in-person", "virtual", "hybrid"])),
    "service_area": st.sampled_from([[], ["city-wide"], ["ward:07"], ["ward:07", "ward:13"]]),
    "sites": st.lists(points.map(lambda p: site(*p)), max_size=2),
    "capacity_status": maybe(st.sampled_from(["open", "waitlist", "full", "unknown"])),
    "referral_method": maybe(st.sampled_from(["self-referral", "agency-referral", "both"])),
    "intake": maybe(st.sampled_from(["continuous", "cohort"])),
    "next_intake_date": maybe(st.integers(-30, 200).map(day)),
    "application_deadline": maybe(st.integers(-30, 200).map(day)),
    "last_verified": st.integers(-900, 0).map(day),
    "source_date": maybe(st.integers(-1200, 0).map(day)),
})
catalogues = st.lists(program_fields, min_size=1, max_size=8).map(
    lambda rows: [program(id=f"p{n}", **row) for n, row in enumerate(rows)]
)
profiles = st.builds(
    ClientProfile,
    age=maybe(st.integers(14, 70)),
    gender=st.sampled_from([None, "woman", "man", "non-binary"]),
    populations=slugs("populations").map(frozenset),
    sectors=slugs("sectors", 2).map(frozenset),
    interventions=slugs("interventions", 2).map(frozenset),
    stage=maybe(st.sampled_from([t.slug for t in VOCABULARIES["stages"].terms])),
    stream=maybe(st.sampled_from(["a", "b", "c"])),
    income_support=maybe(st.sampled_from(["none", "ontario-works", "odsp", "employment-insurance"])),
    immigration_status=maybe(st.sampled_from(["citizen", "permanent-resident", "protected-person", "work-permit"])),
    location=maybe(st.sampled_from([DOWNTOWN, SCARBOROUGH, OTTAWA])),
    ward=maybe(st.sampled_from(["07", "13"])),
    languages=slugs("languages", 2).map(tuple),
    mode=maybe(st.sampled_from(["in-person", "virtual", "hybrid"])),
    mode_required=st.booleans(),
    start_within_days=maybe(st.integers(0, 120)),
    hours=maybe(st.sampled_from(["full-time", "part-time"])),
)
# Groups only the caseworker's list of groups can speak for.
LISTED_ONLY = {"newcomers", "internationally-trained", "indigenous", "black", "racialized", "disabilities",
               "mental-health-addictions", "2slgbtq", "low-literacy", "justice-involved", "homelessness"}


def broken_rules(record, profile):
    """The hard rules a program plainly breaks for a client, read straight from the brief."""
    broken = []
    requires = record["requires_populations"]
    accepted = record["immigration_status"]
    if record["listing_type"] != "program":
        broken.append("listing")
    if record["status"] == "ended" or (record["end_date"] or "9999") < TODAY.isoformat():
        broken.append("ended")
    if record["capacity_status"] == "full":
        broken.append("capacity")
    if profile.age is not None and not (record["age_min"] or 0) <= profile.age <= (record["age_max"] or 200):
        broken.append("age")
    if profile.gender == "man" and "women" in requires:
        broken.append("women")
    if profile.populations and any(g in LISTED_ONLY and g not in profile.populations for g in requires):
        broken.append("group")
    if profile.income_support and record["income_support"] and profile.income_support not in record["income_support"]:
        broken.append("income")
    if profile.immigration_status and accepted and "any" not in accepted and profile.immigration_status not in accepted:
        broken.append("status")
    if profile.mode_required and {profile.mode, record["delivery_mode"]} == {"virtual", "in-person"}:
        broken.append("mode")
    return broken


@PROPERTY
@given(catalogues, profiles)
def test_a_program_failing_a_hard_rule_never_appears_in_results(programs, profile):
    result = match(programs, profile, VOCABULARIES, TODAY)
    returned = set(ids(result))
    for record in programs:
        if broken_rules(record, profile):
            assert record["id"] not in returned


@PROPERTY
@given(catalogues, profiles)
def test_every_program_is_returned_or_excluded_and_every_verdict_explains_itself(programs, profile):
    result = match(programs, profile, VOCABULARIES, TODAY)
    excluded = [e.program["id"] for e in result.excluded]
    assert sorted(ids(result) + excluded) == sorted(p["id"] for p in programs)
    assert all(m.reasons and 0 <= m.score <= 100 for m in result.results)
    assert all(e.rules for e in result.excluded)
    notes = [n for m in result.results for n in m.reasons + m.cautions] + [n for e in result.excluded for n in e.rules]
    assert all(note.text.strip() for note in notes)


@PROPERTY
@given(catalogues)
def test_an_empty_profile_returns_every_program_people_can_join(programs):
    result = match(programs, ClientProfile(), VOCABULARIES, TODAY)
    joinable = {p["id"] for p in programs if not broken_rules(p, ClientProfile())}
    assert set(ids(result)) == joinable


@PROPERTY
@given(program_fields.filter(lambda row: row["populations"]), profiles, st.data())
def test_adding_a_population_the_program_serves_never_lowers_its_score(row, profile, data):
    record = program(**row)
    group = data.draw(st.sampled_from(record["populations"]))
    before = score(record, profile, VOCABULARIES, TODAY).score
    after = score(record, dataclasses.replace(profile, populations=profile.populations | {group}), VOCABULARIES, TODAY)
    assert after.score >= before


def without_one_group(record, data):
    if not record["requires_populations"]:
        return record
    group = data.draw(st.sampled_from(record["requires_populations"]))
    return dict(record, requires_populations=[g for g in record["requires_populations"] if g != group])


REMOVALS = {
    "age_min": lambda record, data: dict(record, age_min=None),
    "age_max": lambda record, data: dict(record, age_max=None),
    "requires_populations": without_one_group,
    "income_support": lambda record, data: dict(record, income_support=[]),
    "immigration_status": lambda record, data: dict(record, immigration_status=[]),
    "residency": lambda record, data: dict(record, residency=[]),
}


@PROPERTY
@given(program_fields, profiles, st.sampled_from(sorted(REMOVALS)), st.data())
def test_removing_a_requirement_never_removes_a_program_from_results(row, profile, requirement, data):
    record = program(**row)
    if ids(match([record], profile, VOCABULARIES, TODAY)) == ["p"]:
        relaxed = REMOVALS[requirement](record, data)
        assert ids(match([relaxed], profile, VOCABULARIES, TODAY)) == ["p"]


@PROPERTY
@given(catalogues, profiles, st.randoms(use_true_random=False))
def test_results_are_deterministic_whatever_the_order_of_the_catalogue(programs, profile, rng):
    first = match(programs, profile, VOCABULARIES, TODAY)
    shuffled = list(programs)
    rng.shuffle(shuffled)
    again = match(shuffled, profile, VOCABULARIES, TODAY)
    assert [(m.program["id"], m.score, m.reasons, m.cautions) for m in again.results] == \
        [(m.program["id"], m.score, m.reasons, m.cautions) for m in first.results]
    assert [e.program["id"] for e in again.excluded] == [e.program["id"] for e in first.excluded]
    ranked = [(-m.score, m.program["name"].casefold(), m.program["id"]) for m in first.results]
    assert ranked == sorted(ranked)


def test_a_man_listed_among_women_is_not_offered_a_women_only_program():
    """Found by the property test above: the gender field settles the group, whatever the list says."""
    result = match([program(requires_populations=["women"], populations=["women"])],
                   ClientProfile(gender="man", populations={"women"}), VOCABULARIES, TODAY)
    assert ids(result) == [] and result.excluded[0].rules
