"""Caseworkers' stories over the bundled Toronto catalogue and the programs each should find:
checked by tests/integration/test_matching_stories.py, and their ranks printed by bench/matching.py."""

from dataclasses import dataclass

from app.geo.postcodes import locate
from app.matching import ClientProfile

SCARBOROUGH = locate("M1B 3C3")[:2]


@dataclass(frozen=True)
class Story:
    """A caseworker's request over the bundled data and the programs it should find:
    ``wanted`` are id prefixes of programs it must return, the best placed within ``within``."""

    name: str
    profile: ClientProfile
    wanted: tuple = ()
    within: int | None = None


STORIES = (
    Story("19-year-old in Scarborough interested in tech",
          ClientProfile(age=19, location=SCARBOROUGH, sectors=frozenset({"ict"})),
          wanted=("npower-canada-junior-it",), within=5),
    Story("internationally trained engineer",
          ClientProfile(populations=frozenset({"internationally-trained", "newcomers"}),
                        sectors=frozenset({"professional-business"}), interventions=frozenset({"bridging"})),
          wanted=("toronto-metropolitan-university-ieeqb", "humber-polytechnic-bridging-programs"), within=3),
    Story("17-year-old", ClientProfile(age=17)),
    Story("man", ClientProfile(gender="man")),
    Story("French-speaking newcomer looking for work",
          ClientProfile(languages=("fr",), populations=frozenset({"newcomers"}),
                        interventions=frozenset({"employment-services"})),
          wanted=("centre-francophone-du-grand-toronto-services-emploi", "college-boreal-services-emploi-toronto"),
          within=2),
)


def rank_of(result, prefix):
    """1-based rank of the first result whose id starts with ``prefix``, or None."""
    for rank, found in enumerate(result.results, start=1):
        if found.program["id"].startswith(prefix):
            return rank
    return None
