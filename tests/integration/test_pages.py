"""A caseworker browses the catalogue, opens a program and an organization, or asks the API."""

import datetime as dt

import pytest

from ..support.rows import TODAY, program_row


def many(count):
    rows = []
    for n in range(count):
        start = TODAY + dt.timedelta(days=count - n)
        rows.append(program_row(id=f"p-{n:02d}", name=f"Program {n:02d}", next_intake_date=start.isoformat()))
    return rows


def test_home_page_says_what_the_atlas_holds(client, catalogue):
    catalogue([program_row()])
    page = client.get("/").get_data(as_text=True)
    assert "1 programs from 1 organizations" in page
    assert 'href="/programs?sector=ict"' in page
    assert "Information and communications technology" in page


def test_program_list_is_paged_twenty_at_a_time(client, catalogue):
    catalogue(many(45))
    first = client.get("/programs").get_data(as_text=True)
    assert first.count('program-card"') == 20
    assert "45 programs, page 1 of 3" in first
    assert 'href="/programs?page=2"' in first
    last = client.get("/programs?page=3").get_data(as_text=True)
    assert last.count('program-card"') == 5
    assert client.get("/programs?page=4").status_code == 404


def test_program_list_sorts_by_name_and_by_next_intake(client, catalogue):
    data = many(3)
    data.append(program_row(id="rolling", name="AAA Rolling", intake="continuous", next_intake_date=""))
    catalogue(data)
    by_name = client.get("/programs").get_data(as_text=True)
    assert by_name.index("AAA Rolling") < by_name.index("Program 00") < by_name.index("Program 02")
    by_intake = client.get("/programs?sort=next_intake").get_data(as_text=True)
    # Soonest intake first; programs without a date come last.
    assert by_intake.index("Program 02") < by_intake.index("Program 00") < by_intake.index("AAA Rolling")


def test_filters_narrow_the_list(client, catalogue):
    catalogue([program_row(), program_row(id="kitchen", name="Kitchen Skills", sectors="hospitality-food", populations="refugees")])
    page = client.get("/programs?sector=hospitality-food").get_data(as_text=True)
    assert "Kitchen Skills" in page and "Youth Tech Pathways" not in page
    assert "1 program" in page


@pytest.mark.parametrize("query, parameter", [("page=two", "page"), ("sort=price", "sort"), ("sector=tech", "sector")])
def test_bad_list_parameters_get_a_plain_message(client, query, parameter):
    response = client.get(f"/programs?{query}")
    assert response.status_code == 400
    assert f"{parameter}:" in response.get_data(as_text=True)


def test_program_page_shows_every_field_in_plain_language(client, catalogue):
    catalogue([program_row(streams="b;c", occupations="Computer user support technician (NOC 22221)")])
    page = client.get("/programs/test-youth-tech").get_data(as_text=True)
    for text in [
        "Youth Tech Pathways",
        'href="/organizations/test-community-services"',
        "Twelve weeks of IT support training",
        "Information and communications technology",
        "Computer user support technician (NOC 22221)",
        "Youth",
        "Newcomers and immigrants",
        "Sector-specific training <span class=\"stage\">(Skills training)</span>",
        "Post-placement coaching <span class=\"stage\">(Job retention)</span>",
        "Stream B (medium risk)",
        "In cohorts",
        "18 to 29",
        "20</dd>",
        "12 weeks",
        "Ontario resident, not in full-time school.",
        "Free",
        "In person",
        "All of Toronto",
        "English",
        "French",
        "100 Queen St W, Toronto, M5H 2N2",
        "416-555-0100",
        "mailto:info@example.org",
        "Provincial government",
        "https://example.org/youth-tech",
        "Compiled from public sources",
        TODAY.isoformat(),
    ]:
        assert text in page, text
    assert "Needs re-checking" not in page


@pytest.mark.parametrize("old", [{"last_verified": (TODAY - dt.timedelta(days=400)).isoformat()},
                                 {"source_date": (TODAY - dt.timedelta(days=3 * 365)).isoformat()}],
                         ids=["not verified for a year", "source over two years old"])
def test_a_listing_that_needs_rechecking_says_so(client, catalogue, old):
    catalogue([program_row(**old), program_row(id="fresh", name="Fresh one", source_date=TODAY.isoformat())])
    page = client.get("/programs/test-youth-tech").get_data(as_text=True)
    assert "Needs re-checking" in page
    fresh = client.get("/programs/fresh").get_data(as_text=True)
    assert "Needs re-checking" not in fresh and f"Based on a source from {TODAY.year}." in fresh
    assert client.get("/programs").get_data(as_text=True).count("Needs re-checking") == 1
    assert client.get("/api/programs/test-youth-tech").get_json()["needs_rechecking"] is True


def test_confirmed_listings_say_so(client, catalogue):
    catalogue([program_row(verification="confirmed")])
    assert "Confirmed by the organization" in client.get("/programs/test-youth-tech").get_data(as_text=True)


def test_organization_page_lists_its_programs(client, catalogue):
    catalogue([program_row(), program_row(id="second", name="Second Program"), program_row(id="other", name="Elsewhere", organization="Other Org", organization_id="other-org")])
    page = client.get("/organizations/test-community-services").get_data(as_text=True)
    assert "Test Community Services" in page
    assert "Youth Tech Pathways" in page and "Second Program" in page
    assert "Elsewhere" not in page


def test_user_text_is_escaped_on_every_page(client, catalogue):
    evil = "<img src=x onerror=alert(1)>"
    catalogue([program_row(name=evil, organization=f"{evil} Org", description=f"{evil} </script>")])
    for url in ["/programs", "/programs/test-youth-tech", "/organizations/test-community-services"]:
        page = client.get(url).get_data(as_text=True)
        assert evil not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_api_returns_the_program_with_its_sites(client, catalogue):
    catalogue([program_row()])
    data = client.get("/api/programs/test-youth-tech").get_json()
    assert data["name"] == "Youth Tech Pathways"
    assert data["populations"] == ["youth", "newcomers"]
    assert data["seats"] == 20
    assert data["stages"] == ["skills-training", "job-placement", "job-retention"]
    assert data["sites"][0]["postal_code"] == "M5H 2N2"
    assert data["sites"][0]["location_precision"] == "postal_code"
    assert data["stale"] is False


def test_unknown_ids_get_a_friendly_404(client):
    page = client.get("/programs/nothing-here")
    assert page.status_code == 404 and "No program has that id" in page.get_data(as_text=True)
    api = client.get("/api/programs/nothing-here")
    assert api.status_code == 404
    assert api.get_json()["error"] == {"code": "not_found", "message": 'no program has the id "nothing-here"', "field": "id"}


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
