"""Whether a listing needs re-checking, as a pure function of its dates and the clock (a program's
status on the pages and in searches: tests/integration/test_program_status.py)."""

import datetime as dt

from app.catalog.listing import needs_rechecking


def test_needs_rechecking_follows_the_clock():
    program = {"source_date": "2024-11-30", "last_verified": "2026-11-01"}
    assert not needs_rechecking(program, dt.date(2026, 11, 29), 365)
    assert needs_rechecking(program, dt.date(2026, 12, 1), 365)  # the source turned two
    assert needs_rechecking({"last_verified": "2025-11-01"}, dt.date(2026, 11, 30), 365)
