"""A data steward's row is either taken whole, cleaned, or rejected with a reason they can act on."""

import datetime as dt

import pytest

from app.catalog.validation import normalise_postal_code, slugify, validate_program, validate_site
from app.catalog.vocabulary import load_all
from app.settings import PROJECT_ROOT

from ..support.rows import TODAY, program_row

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")


def fake_locate(postal_code):
    known = {"M5H 2N2": (43.6515, -79.3835, "postal_code")}
    if postal_code in known:
        return known[postal_code]
    return (43.70, -79.40, "fsa") if postal_code.startswith("M5") else None


def validate(**overrides):
    return validate_program(program_row(**overrides), VOCABULARIES, fake_locate, TODAY)


def reasons(problems):
    return [str(problem) for problem in problems]


def test_a_complete_row_becomes_a_clean_record():
    record, problems = validate()
    assert problems == []
    assert record["sectors"] == ["ict"]
    assert record["populations"] == ["youth", "newcomers"]
    assert record["age_min"] == 18 and record["seats"] == 20
    assert record["sites"] == [
        {
            "address": "100 Queen St W, Toronto",
            "postal_code": "M5H 2N2",
            "latitude": 43.6515,
            "longitude": -79.3835,
            "location_precision": "postal_code",
        }
    ]


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("id", "  Youth-Tech-2 ", "youth-tech-2"),
        ("sectors", "ICT; construction-trades ;ict", ["ict", "construction-trades"]),
        ("populations", "", []),
        ("streams", "a;b;c", ["a", "b", "c"]),
        ("service_area", "ward:5; Ward:17", ["ward:05", "ward:17"]),
        ("service_area", "neighbourhood:7", ["neighbourhood:007"]),
        ("service_area", "City-wide", ["city-wide"]),
        ("age_min", "", None),
        ("intake", "Continuous", "continuous"),
        ("verification", "CONFIRMED", "confirmed"),
        ("website", "http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("phone", "(416) 555-0100 ext. 12", "(416) 555-0100 ext. 12"),
        ("email", "first.last@agency.on.ca", "first.last@agency.on.ca"),
        ("description", "<b>Bold</b> & <script>x</script>", "<b>Bold</b> & <script>x</script>"),
        ("occupations", "Cook (NOC 63200); Baker", ["Cook (NOC 63200)", "Baker"]),
        ("last_verified", "2020-02-29", "2020-02-29"),
    ],
)
def test_good_values_are_cleaned(field, value, expected):
    overrides = {field: value}
    if field == "intake":
        overrides["next_intake_date"] = ""
    record, problems = validate(**overrides)
    assert problems == []
    assert record[field] == expected


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id", "", "id: is required"),
        ("id", "has spaces", 'id: "has spaces" is not a valid id'),
        ("name", "   ", "name: is required"),
        ("populations", "youths", 'populations: "youths" is not a population; did you mean "youth"?'),
        ("sectors", "tech", 'sectors: "tech" is not a sector; did you mean "ict"?'),
        ("interventions", "mentorshp", 'did you mean "mentorship"?'),
        ("sectors", "", "sectors: is required"),
        ("languages", "english", 'languages: "english" is not a language; did you mean "en"?'),
        ("delivery_mode", "online", 'delivery_mode: "online" is not a delivery mode; did you mean "virtual"?'),
        ("service_area", "ward:26", 'service_area: "ward:26" is not a service area'),
        ("service_area", "city-wide;ward:03", "cannot be combined"),
        ("postal_code", "12345", 'postal_code: "12345" is not a postal code'),
        ("postal_code", "K1A 0B1", "is not a Toronto postal code"),
        ("postal_code", "M9Z 9Z9", "was not found in the Toronto postal-code table"),
        ("age_min", "eighteen", 'age_min: "eighteen" is not a whole number'),
        ("age_max", "130", "age_max: 130 is not between 0 and 120"),
        ("age_max", "16", "age_max: 16 is below the minimum age 18"),
        ("seats", "-3", 'seats: "-3" is not a whole number'),
        ("next_intake_date", "31/12/2026", "next_intake_date: \"31/12/2026\" is not a date: use YYYY-MM-DD"),
        ("next_intake_date", "2026-02-30", "is not a date"),
        ("last_verified", "", "last_verified: is required"),
        ("intake", "rolling", 'intake: "rolling" is not a kind of intake: use continuous or cohort'),
        ("verification", "maybe", "is not a verification status"),
        ("website", "javascript:alert(1)", "is not a web address"),
        ("website", "www.example.org", "is not a web address"),
        ("source_url", "", "source_url: is required"),
        ("email", "not-an-email", 'email: "not-an-email" is not an email address'),
        ("phone", "call us", 'phone: "call us" is not a phone number'),
        ("description", "nul\x00byte", "description: contains control characters (a NUL byte)"),
        ("name", "x" * 201, "name: is 201 characters long; the limit is 200"),
        ("description", "y" * 200_000, "the limit is 5,000"),
        ("latitude", "43.7", "longitude: is required when the other coordinate is given"),
    ],
)
def test_bad_values_are_rejected_with_a_reason(field, value, message):
    record, problems = validate(**{field: value})
    assert record is None
    assert any(message in reason for reason in reasons(problems)), reasons(problems)


def test_every_problem_in_a_row_is_reported_at_once():
    record, problems = validate(sectors="nope", email="bad", age_min="x")
    assert record is None
    assert {problem.field for problem in problems} == {"sectors", "email", "age_min"}


def test_last_verified_cannot_be_in_the_future():
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    _, problems = validate(last_verified=tomorrow)
    assert reasons(problems) == [f"last_verified: {tomorrow} is in the future"]


def test_continuous_intake_has_no_next_intake_date():
    _, problems = validate(intake="continuous")
    assert "continuous intake has no next intake date" in reasons(problems)[0]


@pytest.mark.parametrize(
    "latitude, longitude, ok",
    [
        ("43.6532", "-79.3832", True),  # City Hall
        ("43.8975", "-79.2600", False),  # Markham, north of Steeles
        ("43.8356", "-79.0868", False),  # Pickering, east of the Rouge
        ("45.4215", "-75.6972", False),  # Ottawa
        ("north", "-79.38", False),
    ],
)
def test_coordinates_must_be_inside_toronto(latitude, longitude, ok):
    record, problems = validate(latitude=latitude, longitude=longitude)
    assert (record is not None) == ok, reasons(problems)
    if ok:
        assert record["sites"][0]["location_precision"] == "manual"


def test_an_unknown_full_postal_code_falls_back_to_its_district():
    record, _ = validate(postal_code="M5V 0Z9")
    assert record["sites"][0]["location_precision"] == "fsa"


def test_a_row_without_any_address_has_no_site():
    record, problems = validate(address="", postal_code="")
    assert problems == [] and record["sites"] == []


def test_organization_id_defaults_to_a_slug_of_the_name():
    record, _ = validate(organization_id="", organization="Société Économique de l'Ontario")
    assert record["organization_id"] == "soci-t-conomique-de-l-ontario"
    assert slugify("  A & B  ") == "a-b"


def test_postal_codes_are_normalised():
    assert normalise_postal_code(" m4w2g8 ") == "M4W 2G8"
    record, _ = validate(postal_code="m5h2n2")
    assert record["sites"][0]["postal_code"] == "M5H 2N2"


@pytest.mark.parametrize(
    "row, field",
    [
        ({"program_id": "", "address": "1 Main St", "postal_code": "M5H 2N2"}, "program_id"),
        ({"program_id": "x", "address": "", "postal_code": ""}, "address"),
        ({"program_id": "x", "address": "1 Main St", "postal_code": "H2X 1Y4"}, "postal_code"),
    ],
)
def test_bad_site_rows_name_the_field(row, field):
    _, site, problems = validate_site(row, fake_locate)
    assert site is None
    assert problems[0].field == field
