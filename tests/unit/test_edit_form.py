"""Rules across fields of a listing: pure functions, the same for the edit form and the importer
(the form itself is tested in tests/integration/test_edit_form.py)."""

import datetime as dt

from app.catalog.validation import check_program_rules, validate_program
from app.geo.postcodes import locate

from ..support.rows import TODAY, program_row


def _rules(**values):
    return {(p.field, p.reason) for p in check_program_rules(values, TODAY)}


def test_an_application_deadline_after_the_intake_is_refused_in_words():
    problems = check_program_rules({"next_intake_date": "2027-01-10", "application_deadline": "2027-02-01"}, TODAY)
    assert [p.field for p in problems] == ["application_deadline"]
    assert "the application deadline, 2027-02-01, is after the next intake date, 2027-01-10" in problems[0].reason
    assert _rules(next_intake_date="2027-01-10", application_deadline="2027-01-10") == set()


def test_a_minimum_age_above_the_maximum_is_refused_naming_both():
    (problem,) = check_program_rules({"age_min": 30, "age_max": 18}, TODAY)
    assert problem.field == "age_max" and "below the minimum age 30" in problem.reason
    assert _rules(age_min=18, age_max=18) == set()


def test_room_reported_on_a_day_still_to_come_is_refused():
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert ("capacity_updated", f"{tomorrow} is in the future") in _rules(capacity_updated=tomorrow,
                                                                         capacity_status="open")
    assert _rules(capacity_updated=TODAY.isoformat(), capacity_status="open") == set()


def test_rules_across_fields_are_reported_with_other_mistakes_at_once():
    row = program_row(email="not an email", next_intake_date="2027-01-10", application_deadline="2027-02-01")
    record, problems = validate_program(row, _vocabularies(), locate, TODAY)
    assert record is None
    assert {p.field for p in problems} == {"email", "application_deadline"}


def _vocabularies():
    from pathlib import Path

    from app.catalog.vocabulary import load_all

    return load_all(Path(__file__).resolve().parents[2] / "data" / "vocabulary")
