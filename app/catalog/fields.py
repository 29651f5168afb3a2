"""The columns of a program listing: their order, kind, plain-language label and limits.

One table drives the importer's validation, the CSV export's column order and the labels on the
program page, so adding a column is a one-line change here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    required: bool = False
    vocabulary: str | None = None
    max_length: int = 500
    multiline: bool = False  # only these may hold line breaks


FIELDS = (
    Field("id", "Listing id", "id", required=True, max_length=100),
    Field("name", "Program", "text", required=True, max_length=200),
    Field("organization", "Organization", "text", required=True, max_length=200),
    Field("organization_id", "Organization id", "id", max_length=100),
    Field("listing_type", "Kind of listing", "slug", vocabulary="listing_types", max_length=20),
    Field("status", "Status", "slug", vocabulary="statuses", max_length=20),
    Field("end_date", "Ends or ended on", "date", max_length=20),
    Field("description", "What it offers", "text", max_length=5000, multiline=True),
    Field("sectors", "Sectors", "slugs", required=True, vocabulary="sectors"),
    Field("occupations", "Occupations", "list"),
    Field("populations", "Who it serves", "slugs", vocabulary="populations"),
    Field("interventions", "Services", "slugs", required=True, vocabulary="interventions"),
    Field("streams", "Client streams", "slugs", vocabulary="streams"),
    Field("service_area", "Service area", "service_area"),
    Field("address", "Address", "text", max_length=300),
    Field("postal_code", "Postal code", "postal_code", max_length=10),
    Field("latitude", "Latitude", "latitude", max_length=30),
    Field("longitude", "Longitude", "longitude", max_length=30),
    Field("location_precision", "Location precision", "precision", max_length=20),
    Field("delivery_mode", "Delivery", "slug", vocabulary="delivery_mode", max_length=20),
    Field("languages", "Languages", "slugs", vocabulary="languages"),
    Field("age_min", "Minimum age", "age", max_length=12),
    Field("age_max", "Maximum age", "age", max_length=12),
    Field("requires_populations", "Only for", "slugs", vocabulary="populations"),
    Field("residency", "Must live in", "slugs", vocabulary="residency"),
    Field("immigration_status", "Immigration status accepted", "slugs", vocabulary="immigration_statuses"),
    Field("income_support", "Must receive", "slugs", vocabulary="income_supports"),
    Field("eligibility", "Eligibility", "text", max_length=2000, multiline=True),
    Field("other_requirements", "Other requirements", "text", max_length=1000, multiline=True),
    Field("fee", "Fee", "text", max_length=200),
    Field("intake", "Intake", "intake", max_length=20),
    Field("next_intake_date", "Next intake", "date", max_length=20),
    Field("application_deadline", "Apply by", "date", max_length=20),
    Field("seats", "Seats", "count", max_length=12),
    Field("duration_weeks", "Length (weeks)", "count", max_length=12),
    Field("how_to_apply", "How to apply", "text", max_length=1000, multiline=True),
    Field("referral_method", "Who can refer", "slug", vocabulary="referral_methods", max_length=20),
    Field("referral_contact", "Referral contact", "text", max_length=300),
    Field("capacity_status", "Room for new participants", "slug", vocabulary="capacity_statuses", max_length=20),
    Field("capacity_updated", "Room last reported on", "date", max_length=20),
    Field("funders", "Funded by", "slugs", vocabulary="funders"),
    Field("website", "Website", "url"),
    Field("phone", "Phone", "phone", max_length=40),
    Field("email", "Email", "email", max_length=200),
    Field("source_url", "Source", "url", required=True),
    Field("source_date", "Source dated", "date", max_length=20),
    Field("verification", "Verification", "verification", required=True, max_length=20),
    Field("last_verified", "Last verified", "date", required=True, max_length=20),
)

FIELD_NAMES = tuple(field.name for field in FIELDS)
BY_NAME = {field.name: field for field in FIELDS}
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind in ("slugs", "list", "service_area"))
SITE_FIELDS = ("address", "postal_code", "latitude", "longitude", "location_precision")
SITE_FILE_COLUMNS = ("program_id",) + SITE_FIELDS
# Derived from the boundaries when a site is imported; never read from a file.
PLACE_FIELDS = ("ward", "neighbourhood", "neighbourhood_class")
