"""Caseworkers' stories over the bundled Toronto catalogue: who finds what, and who is kept away.

The stories themselves live in tests/support/stories.py; bench/matching.py prints their ranks.
"""

import datetime as dt

import pytest

from app.catalog.listing import is_referable
from app.catalog.vocabulary import load_all
from app.db import Database
from app.matching import ClientProfile, match, prepare
from app.settings import PROJECT_ROOT

from ..support.stories import STORIES, rank_of

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")
TODAY = dt.date.today()
STORY = {story.name: story for story in STORIES}


@pytest.fixture(scope="module")
def catalogue(bundled):
    store = Database(bundled.config["DATABASE"])
    try:
        return prepare(store.catalog.all_programs(), VOCABULARIES)
    finally:
        store.close()


def run(catalogue, story_name):
    return match(catalogue, STORY[story_name].profile, VOCABULARIES, TODAY)


def texts(notes):
    return [note.text for note in notes]


@pytest.mark.parametrize("story", [s for s in STORIES if s.wanted], ids=lambda s: s.name)
def test_each_story_finds_its_program_near_the_top(catalogue, story):
    result = match(catalogue, story.profile, VOCABULARIES, TODAY)
    ranks = [rank_of(result, prefix) for prefix in story.wanted]
    assert None not in ranks, ranks
    assert min(ranks) <= story.within, ranks


def test_a_young_scarborough_client_interested_in_tech_is_told_why_npower_fits(catalogue):
    result = run(catalogue, "19-year-old in Scarborough interested in tech")
    npower = next(m for m in result.results if m.program["id"].startswith("npower-canada-junior-it"))
    assert "serves Youth (client is 19)" in texts(npower.reasons)
    assert "for work in Information and communications technology" in texts(npower.reasons)
    assert "offered online" in texts(npower.reasons)


def test_an_engineer_finds_engineering_bridging_and_not_the_fund_behind_it(catalogue):
    result = run(catalogue, "internationally trained engineer")
    top = [m.program["id"] for m in result.results[:3]]
    assert "toronto-metropolitan-university-ieeqb" in top
    funder = next(e for e in result.excluded if e.program["id"] == "ontario-mlitsd-ontario-bridge-training-program")
    assert texts(funder.rules) == ["not a program people join (a funder)"]


def test_a_17_year_old_is_never_sent_to_an_adult_program(catalogue):
    result = run(catalogue, "17-year-old")
    assert all((m.program["age_min"] or 0) <= 17 for m in result.results)
    adult_only = [p for p in catalogue.programs if (p["age_min"] or 0) > 17 and is_referable(p)]
    assert adult_only, "the bundled data should hold programs for adults only"
    excluded = {e.program["id"]: texts(e.rules) for e in result.excluded}
    for record in adult_only:
        assert f"client is 17; the minimum age is {record['age_min']}" in excluded[record["id"]]


def test_a_man_is_never_sent_to_a_women_only_program(catalogue):
    result = run(catalogue, "man")
    assert not any("women" in m.program["requires_populations"] for m in result.results)
    women_only = [p["id"] for p in catalogue.programs if "women" in p["requires_populations"]]
    assert women_only
    excluded = {e.program["id"]: texts(e.rules) for e in result.excluded}
    assert all("women only; client is a man" in excluded[program_id] for program_id in women_only)


def test_a_french_speaking_newcomer_sees_french_language_employment_services_first(catalogue):
    result = run(catalogue, "French-speaking newcomer looking for work")
    services = [m for m in result.results if "employment-services" in m.program["interventions"]]
    in_french = ["fr" in m.program["languages"] for m in services]
    assert in_french[:2] == [True, True]
    assert in_french == sorted(in_french, reverse=True), "every French-language service before any other"
    assert "French available" in texts(result.results[0].reasons)


def test_listings_nobody_can_be_referred_to_are_excluded_for_any_client(catalogue):
    result = match(catalogue, ClientProfile(), VOCABULARIES, TODAY)
    returned = {m.program["id"] for m in result.results}
    assert returned
    assert not any(p["id"] in returned for p in catalogue.programs if not is_referable(p))
