"""Rows as a data steward writes them: a valid programs.csv row with any field overridden, and
rows written out as CSV text. Pure helpers, for unit and integration tests alike."""

import csv
import datetime as dt
import io

from app.catalog.fields import FIELD_NAMES

TODAY = dt.date.today()


def program_row(**overrides):
    """A valid programs.csv row, as a dict of strings, with any field overridden."""
    row = {name: "" for name in FIELD_NAMES}
    row.update(
        id="test-youth-tech",
        name="Youth Tech Pathways",
        organization="Test Community Services",
        organization_id="test-community-services",
        description="Twelve weeks of IT support training with a paid placement.",
        sectors="ict",
        populations="youth;newcomers",
        interventions="sector-training;job-matching;post-placement-coaching",
        service_area="city-wide",
        address="100 Queen St W, Toronto",
        postal_code="M5H 2N2",
        delivery_mode="in-person",
        languages="en;fr",
        age_min="18",
        age_max="29",
        eligibility="Ontario resident, not in full-time school.",
        fee="free",
        intake="cohort",
        next_intake_date=(TODAY + dt.timedelta(days=30)).isoformat(),
        seats="20",
        duration_weeks="12",
        funders="provincial",
        website="https://example.org/youth-tech",
        phone="416-555-0100",
        email="info@example.org",
        source_url="https://example.org/youth-tech",
        verification="compiled",
        last_verified=TODAY.isoformat(),
    )
    row.update(overrides)
    return row


def csv_text(rows, columns=None):
    columns = columns or list(rows[0].keys())
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return handle.getvalue()


def catalogue_for_matching():
    """Programs a client may or may not join: for young people in tech, women only, ended, a funder."""
    return [
        program_row(id="youth-tech", name="Youth Tech", age_min="18", age_max="29", populations="youth",
                    sectors="ict", referral_method="agency-referral", how_to_apply="Call the intake line."),
        program_row(id="women-trades", name="Women in Trades", requires_populations="women", populations="women",
                    sectors="construction-trades", age_min="", age_max=""),
        program_row(id="ended-one", name="Ended One", status="ended", end_date="2020-03-31"),
        program_row(id="a-funder", name="A Funder", listing_type="funder"),
    ]
