"""The convenor dashboard's arithmetic as pure functions over small hand-made catalogues: coverage
counts a convenor can trust, zeros shown, gaps called out (the API, the pages and who may see
them: tests/integration/test_gaps.py)."""

import pytest

from app.catalog.vocabulary import load_all
from app.gaps import accessibility, catalogue, continuum, coverage, health, need, overlaps
from app.settings import PROJECT_ROOT

from ..support.rows import TODAY

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")


# --- pure functions over a small hand-made catalogue ------------------------------------------

def record(id, wards=(), city_wide=False, **values):
    """A record as the gaps functions see it: {facet: [slugs]} beside the listing fields."""
    served = [f"{n:02d}" for n in range(1, 26)] if city_wide else list(wards)
    return {"id": id, "values": {"ward": served, **values}, "seats": values.pop("seats", None), "sites": []}


def build(records):
    return catalogue.build(records, lambda r, facet: r["values"].get(facet, []),
                           ("ward", "population", "sector", "stage"))


SMALL = [
    record("city-wide-youth-ict", city_wide=True, population=["youth"], sector=["ict"], stage=["skills-training"]),
    record("ward-3-youth-retail", wards=["03"], population=["youth"], sector=["retail"], stage=["job-placement"]),
    record("ward-3-newcomer-ict", wards=["03"], population=["newcomers"], sector=["ict"], stage=["skills-training"]),
]
WARDS = [(f"{n:02d}", f"Ward {n}") for n in range(1, 26)]


def test_a_city_wide_program_counts_in_every_ward_it_serves():
    built = build(SMALL)
    result = coverage.matrix(built, built.everything(), "ward", WARDS, "population",
                             [("youth", "Youth"), ("newcomers", "Newcomers")])
    youth = {cell["row"]: cell["count"] for cell in result["cells"] if cell["col"] == "youth"}
    assert youth == {**{code: 1 for code, _ in WARDS}, "03": 2}


def test_a_zero_cell_is_present_and_marked_a_gap_and_one_or_two_are_thin():
    built = build(SMALL)
    result = coverage.matrix(built, built.everything(), "sector", [("ict", "ICT"), ("retail", "Retail")],
                             "population", [("youth", "Youth"), ("newcomers", "Newcomers")])
    cells = {(c["row"], c["col"]): c for c in result["cells"]}
    assert len(cells) == 4
    assert cells[("retail", "newcomers")]["count"] == 0 and cells[("retail", "newcomers")]["level"] == "gap"
    assert cells[("ict", "youth")]["level"] == "thin"
    assert result["gaps"] == 1


def test_an_ended_program_left_out_of_the_scope_counts_nowhere():
    ended = record("ended", city_wide=True, population=["youth"], sector=["ict"], stage=["skills-training"])
    built = build(SMALL + [ended])
    active = built.scope([r["id"] for r in SMALL])  # the search leaves ended programs out
    result = coverage.matrix(built, active, "ward", WARDS, "population", [("youth", "Youth")])
    assert sum(cell["count"] for cell in result["cells"]) == 25 + 1


def test_seats_are_summed_only_where_listings_state_them():
    records = [record("a", wards=["01"], population=["youth"], seats="12"), record("b", wards=["01"], population=["youth"])]
    built = build(records)
    cell = coverage.matrix(built, built.everything(), "ward", WARDS[:1], "population", [("youth", "Youth")])["cells"][0]
    assert (cell["count"], cell["seats"], cell["seats_known"]) == (2, 12, 1)


def test_the_continuum_names_the_stage_where_the_path_breaks():
    built = build(SMALL)
    summary = continuum.summary(built, built.mask("population", "youth"), VOCABULARIES, WARDS[:3])
    counts = {entry["stage"]: entry["count"] for entry in summary["city"]}
    assert counts["skills-training"] == 1 and counts["job-placement"] == 1
    first_break = summary["breaks"][0]
    assert (first_break["stage"], first_break["after"]) == ("life-stabilization", None)
    retention = next(b for b in summary["breaks"] if b["stage"] == "job-retention")
    assert retention["after"] == "Job placement"
    ward_3 = next(w for w in summary["wards"] if w["ward"] == "03")
    ward_1 = next(w for w in summary["wards"] if w["ward"] == "01")
    assert "job-placement" not in {b["stage"] for b in ward_3["breaks"]}
    assert "job-placement" in {b["stage"] for b in ward_1["breaks"]}


def test_need_ranks_the_poorer_area_with_fewer_programs_as_the_larger_gap():
    class Figures:
        def __init__(self, **values):
            self.__dict__.update(dict.fromkeys(("population", "youth", "working_age", "mature", "recent_immigrants",
                                                "unemployment_rate", "low_income_rate", "recent_immigrant_share",
                                                "no_certificate_share", "designation")), **values)

    figures = {"01": Figures(working_age=10_000, unemployment_rate=20.0, low_income_rate=30.0, no_certificate_share=25.0),
               "02": Figures(working_age=10_000, unemployment_rate=8.0, low_income_rate=9.0, no_certificate_share=8.0)}
    records = [record("a", wards=["02"]), record("b", wards=["02"]), record("c", wards=["01"])]
    built = build(records)
    rows = need.place_rows(built, built.everything(), "ward", WARDS[:2], figures, "working_age")
    assert [r["served_per_10k"] for r in rows] == [1.0, 2.0]
    ranked = need.largest_gaps(rows)
    assert ranked[0]["code"] == "01" and ranked[0]["gap"] == 100.0


def test_overlaps_list_crowded_targeted_cells_but_not_catch_all_ones():
    crowded = [record(f"p{n}", population=["youth"], sector=["ict"], stage=["skills-training"]) for n in range(5)]
    general = [record(f"g{n}", population=["all-job-seekers"], sector=["any-sector"], stage=["skills-training"])
               for n in range(9)]
    built = build(crowded + general)
    terms = lambda name: [(t.slug, t.label) for t in VOCABULARIES[name].terms]  # noqa: E731
    found = overlaps.overlaps(built, built.everything(), terms("populations"), terms("sectors"), terms("stages"))
    assert [(o["population"], o["sector"], o["stage"], o["count"]) for o in found] == [
        ("youth", "ict", "skills-training", 5)]


def test_data_health_finds_stale_listings_missing_fields_and_organizations_nobody_edits():
    programs = [
        {"id": "a", "organization_id": "org-a", "organization": "Org A", "sectors": ["ict"], "last_verified": "2000-01-01"},
        {"id": "b", "organization_id": "org-b", "organization": "Org B", "sectors": ["ict"],
         "last_verified": TODAY.isoformat(), "seats": 10},
    ]
    users = [{"organization_id": "org-b", "role": "editor", "status": "active"}]
    summary = health.summary(programs, users, TODAY, 365, lambda slug: slug)
    assert summary["recheck"] == 1
    assert summary["organizations"][0]["key"] == "org-a" and summary["organizations"][0]["share"] == 100.0
    assert {"field": "seats", "missing": 1, "share": 50.0} in summary["missing"]
    assert [e["organization_id"] for e in summary["without_editor"]] == ["org-a"]


# --- accessibility is never rounded away ---------------------------------------------------------

def test_a_site_shared_by_many_residents_gives_a_small_score_not_zero():
    scores = accessibility.two_step_fca({"a": (43.7, -79.4, 3_000_000), "b": (43.9, -79.0, 1000)},
                                        [(43.7, -79.4, 1.0)], 3)
    assert scores["a"] == pytest.approx(10_000 / 3_000_000) and scores["b"] == 0
    rows = [{"code": code, "access": value, "served_per_10k": None, "need": 50.0} for code, value in
            (("x", 0.0011), ("y", 0.0014), ("z", 0.0))]
    need._add_gap(rows)
    assert len({row["supply_rank"] for row in rows}) == 3  # no false tie from rounding
    assert need.places_for([0.0011, 0.88, None, 0]) == 4 and need.places_for([0.5, 12.0]) == 2


# --- the coverage key states the shades' real ranges ---------------------------------------------

@pytest.mark.parametrize("highest", range(1, 60))
def test_the_shade_ranges_are_those_the_cells_get(highest):
    for shade, low, high in coverage.shade_ranges(highest):
        assert {coverage.shade(n, highest) for n in range(low, high + 1)} == {shade}
    assert sum(high - low + 1 for _s, low, high in coverage.shade_ranges(highest)) == highest
