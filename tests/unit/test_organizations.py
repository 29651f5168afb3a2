"""The organizations directory as a pure function: narrowed by words, by the people their running
programs serve and by ward (organizations on the pages: tests/integration/test_organizations.py)."""

import datetime as dt

from app.catalog.organizations import directory


def test_directory_is_a_pure_function():
    organizations = [{"id": "a", "name": "Alpha", "description": "Trades"}, {"id": "b", "name": "Beta"}]
    programs = [{"organization_id": "a", "populations": ["women"], "service_area": ["ward:05"], "sites": [],
                 "status": "active"},
                {"organization_id": "b", "populations": ["youth"], "service_area": ["city-wide"], "sites": [],
                 "status": "time-limited", "end_date": "2019-03-31"}]
    today = dt.date(2026, 11, 30)
    assert [e["organization"]["id"] for e in directory(organizations, programs, today, population="women")] == ["a"]
    assert [e["organization"]["id"] for e in directory(organizations, programs, today, text="trades")] == ["a"]
    assert directory(organizations, programs, today, ward="06") == []
    assert directory(organizations, programs, today, population="youth") == []  # its program ended in 2019
    assert directory(organizations, programs, dt.date(2019, 3, 31), population="youth") != []
