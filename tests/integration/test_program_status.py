"""Whether a program still runs, what kind of listing it is, and how to get in: a caseworker is
never offered an ended program or a funder, yet can still look either up."""

import datetime as dt

import pytest

from app.catalog.listing import is_referable

from ..support.rows import TODAY, program_row


@pytest.fixture
def statuses(catalogue):
    catalogue([
        program_row(id="running", name="Running Kitchen", status="active"),
        program_row(id="pilot", name="Pilot Kitchen", status="time-limited", end_date="2027-03-31"),
        program_row(id="closed", name="Closed Kitchen", status="ended", end_date="2020-06-30"),
        program_row(id="unsure", name="Unsure Kitchen", status=""),
        program_row(id="fund", name="Kitchen Fund", listing_type="funder", status="active"),
    ])


def ids(client, query=""):
    return {r["id"] for r in client.get(f"/api/programs?q=kitchen{query}&per_page=100").get_json()["results"]}


def test_ended_programs_are_left_out_unless_asked_for(client, statuses):
    assert ids(client) == {"running", "pilot", "unsure", "fund"}
    assert ids(client, "&status=ended") == {"closed"}
    everything = "&" + "&".join(f"status={s}" for s in ("active", "time-limited", "paused", "ended", "unknown"))
    assert ids(client, everything) == {"running", "pilot", "closed", "unsure", "fund"}
    facets = client.get("/api/programs?q=kitchen").get_json()["facets"]["status"]
    assert facets["ended"] == 1 and facets["active"] == 2  # what ticking each would give
    assert "Closed Kitchen" not in client.get("/programs?q=kitchen").get_data(as_text=True)
    assert "Closed Kitchen" not in client.get("/map?q=kitchen").get_data(as_text=True)


def test_an_ended_program_is_still_reachable_and_says_it_ended(client, statuses):
    page = client.get("/programs/closed").get_data(as_text=True)
    assert "This program ended on 2020-06-30." in page


def test_an_empty_status_means_nobody_confirmed_it_runs(client, statuses):
    assert client.get("/api/programs/unsure").get_json()["status"] == "unknown"
    assert "No recent source confirms that this program still runs" in client.get("/programs/unsure").get_data(as_text=True)


def test_ecosystem_listings_are_searchable_but_never_referable(client, statuses):
    assert "fund" in ids(client) and ids(client, "&type=funder") == {"fund"}
    assert "not a program a person can join" in client.get("/programs/fund").get_data(as_text=True)
    fund, running, closed = (client.get(f"/api/programs/{i}").get_json() for i in ("fund", "running", "closed"))
    assert (is_referable(fund), is_referable(running), is_referable(closed)) == (False, True, False)


@pytest.mark.parametrize("column, good, bad, message", [
    ("status", "time-limited", "finished", '"finished" is not a program status'),
    ("listing_type", "research", "grant", '"grant" is not a kind of listing'),
    ("referral_method", "agency-referral", "caseworker", '"caseworker" is not a referral method'),
    ("capacity_status", "waitlist", "busy", '"busy" is not a capacity status'),
    ("requires_populations", "women", "ladies", '"ladies" is not a population'),
    ("residency", "toronto", "torronto", '"torronto" is not a residency requirement; did you mean "toronto"?'),
    ("immigration_status", "permanent-resident;citizen", "permanent-residents",
     'did you mean "permanent-resident"?'),
    ("income_support", "ontario-works", "welfare", '"welfare" is not an income support'),
    ("source_date", "2024-05-01", "May 2024", '"May 2024" is not a date'),
    ("how_to_apply", "Call the intake line.", "Call\x1b[31m us", "contains control characters"),
    ("referral_contact", "Intake coordinator", "Intake\ncoordinator", "must be on one line"),
])
def test_each_new_column_is_checked_by_the_importer(runner, write_csv, column, good, bad, message):
    extra = {"end_date": "2027-01-01"} if column == "status" else {}
    accepted = runner.invoke(args=["import-programs", str(write_csv([program_row(**{column: good}, **extra)]))])
    assert accepted.exit_code == 0, accepted.output
    refused = runner.invoke(args=["import-programs", str(write_csv([program_row(**{column: bad}, **extra)]))])
    assert refused.exit_code == 1 and f"{column}: " in refused.output and message in refused.output


@pytest.mark.parametrize("row, field, message", [
    ({"status": "active", "end_date": "2027-01-01"}, "status", "is time-limited, paused or ended"),
    ({"next_intake_date": "2027-01-10", "application_deadline": "2027-02-01"}, "application_deadline",
     "is after the next intake"),
    ({"source_date": (TODAY + dt.timedelta(days=3)).isoformat()}, "source_date", "is in the future"),
    ({"capacity_updated": "2026-01-05"}, "capacity_status", "say how much room there is"),
])
def test_rules_across_columns(runner, write_csv, row, field, message):
    result = runner.invoke(args=["import-programs", str(write_csv([program_row(**row)]))])
    assert result.exit_code == 1 and f"{field}: " in result.output and message in result.output


def test_the_program_page_says_how_to_apply_and_who_may_join(client, catalogue):
    catalogue([program_row(requires_populations="women", residency="toronto", income_support="ontario-works",
                           how_to_apply="Call the intake line, then come to an information session.",
                           referral_method="both", referral_contact="Intake line 416-555-0199",
                           capacity_status="waitlist", capacity_updated="2026-11-01")])
    page = client.get("/programs/test-youth-tech").get_data(as_text=True)
    for text in ("Only for", "Women", "Lives in Toronto", "Ontario Works", "Call the intake line",
                 "Either way", "Intake line 416-555-0199", "Waiting list", "as of 2026-11-01"):
        assert text in page, text


def test_every_field_of_a_program_is_documented_in_the_openapi_schema(client, catalogue):
    catalogue([program_row()])
    documented = set(client.get("/api/openapi.json").get_json()["components"]["schemas"]["Program"]["properties"])
    assert set(client.get("/api/programs/test-youth-tech").get_json()) <= documented
