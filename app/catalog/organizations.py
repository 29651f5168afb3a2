"""Organizations as records of their own: who they are, how to reach them, where the facts
come from. A project lead recruiting partners needs this more than any single listing.

The same cell parsers as program listings, so a file of organizations is checked, reported and
exported by the same rules.
"""

import contextlib
from pathlib import Path

from ..db.audit import process_actor
from .csvfile import Unusable, read_table
from . import reach
from .fields import Field
from .listing import effective_status
from .importer import ImportReport, Rejection
from .validation import Problem, check_program_rules, locate_site, parse_cells

ORGANIZATION_FIELDS = (
    Field("id", "Organization id", "id", required=True, max_length=100),
    Field("name", "Name", "text", required=True, max_length=200),
    Field("description", "What it does", "text", max_length=2000, multiline=True),
    Field("organization_type", "Kind of organization", "slug", vocabulary="organization_types", max_length=40),
    Field("website", "Website", "url"),
    Field("phone", "Phone", "phone", max_length=40),
    Field("email", "Email", "email", max_length=200),
    Field("address", "Main address", "text", max_length=300),
    Field("postal_code", "Postal code", "postal_code", max_length=10),
    Field("languages", "Languages", "slugs", vocabulary="languages"),
    # Required in the bundled file (a test checks); an organization editing its own profile is
    # its own source.
    Field("source_url", "Source", "url"),
    Field("source_date", "Source dated", "date", max_length=20),
    Field("last_verified", "Last verified", "date", max_length=20),
)
ORGANIZATION_COLUMNS = tuple(field.name for field in ORGANIZATION_FIELDS)
ORGANIZATION_BY_NAME = {field.name: field for field in ORGANIZATION_FIELDS}


def validate_organization(raw, vocabularies, locate, today):
    """(record, problems) for one organizations.csv row; the record is None when anything is wrong."""
    values, problems = parse_cells(raw, ORGANIZATION_FIELDS, vocabularies)
    if not problems:
        problems += [p for p in check_program_rules(values, today) if p.field in ORGANIZATION_COLUMNS]
    if problems:
        return None, problems
    site, problems = locate_site({**values, "latitude": None, "longitude": None, "location_precision": None}, locate)
    if problems:
        return None, problems
    record = dict(values, latitude=site["latitude"], longitude=site["longitude"])
    return record, []


def as_text(organization):
    """An organization's fields as the CSV and the edit form show them."""
    text = {}
    for name in ORGANIZATION_COLUMNS:
        value = organization.get(name)
        text[name] = ";".join(value) if isinstance(value, list) else ("" if value is None else str(value))
    return text


def import_organizations(db, path, *, vocabularies, locate, today, max_bytes, dry_run=False):
    """Validate and upsert every row of an organizations file; the same report as programs.

    A row naming an organization under another name renames it on all its listings, with
    history; every inserted or changed organization gets an audit entry naming the file.
    """
    report = ImportReport(path=str(path), dry_run=dry_run)
    try:
        table = read_table(path, ORGANIZATION_COLUMNS, ("id", "name"), max_bytes)
    except Unusable as error:
        report.unusable = str(error)
        return report
    report.encoding = table.encoding
    report.notes += [f'{path}: unknown column "{c}" was not imported' for c in table.unknown_columns]
    absent = [c for c in ORGANIZATION_COLUMNS if c not in table.columns]
    if absent:
        report.notes.append(f"{path}: columns not in the file (kept as they are): {', '.join(absent)}")
    records, seen = {}, {}
    for row in table.rows:
        report.rows_read += 1
        organization_id = (row.cells.get("id") or "").strip().lower()
        if row.problem or (organization_id and organization_id in seen):
            reason = row.problem or f'"{organization_id}" already appears on row {seen[organization_id]}'
            report.rejected.append(Rejection(str(path), row.number, organization_id, Problem("" if row.problem else "id", reason)))
            continue
        seen[organization_id] = row.number
        current = db.catalog.get_organization(organization_id) if organization_id else None
        cells = {**(as_text(current) if current else {}), **row.cells}  # a column not in the file keeps its value
        record, problems = validate_organization(cells, vocabularies, locate, today)
        report.rejected += [Rejection(str(path), row.number, organization_id, p) for p in problems]
        if record:
            records[record["id"]] = record
    _apply(report, db, records, process_actor(f"import:{Path(path).name}"))
    return report


def _apply(report, db, records, actor):
    with contextlib.nullcontext() if report.dry_run else db.write():
        for organization_id, record in records.items():
            current = db.catalog.get_organization(organization_id)
            before = as_text(current) if current else {}
            changes = {n: [before.get(n, ""), v] for n, v in as_text(record).items() if before.get(n, "") != v}
            status = "inserted" if current is None else ("updated" if changes else "unchanged")
            getattr(report, status).append(organization_id)
            if status == "unchanged" or report.dry_run:
                continue
            if current is not None:
                db.rename_organization(organization_id, record["name"], actor)
                changes.pop("name", None)
            version = db.catalog.save_organization(record)
            if changes:
                db.audit.record(actor, "import", "organization", organization_id, changes, version=version)


def directory(organizations, programs, today, text="", population="", ward=""):
    """[{organization, programs}] of the organizations matching the filters, by name.

    ``text`` looks in the name and description; ``population`` and ``ward`` keep organizations
    with a running program serving them. Pure, so the directory can be tested without a server.
    """
    by_organization = {}
    for program in programs:
        by_organization.setdefault(program["organization_id"], []).append(program)
    needle = text.casefold().strip()
    found = []
    for organization in organizations:
        own = by_organization.get(organization["id"], [])
        running = [p for p in own if effective_status(p, today) != "ended"]
        if needle and needle not in f"{organization['name']} {organization.get('description') or ''}".casefold():
            continue
        if population and not any(population in p.get("populations", []) for p in running):
            continue
        if ward and not any(reach.serves_ward(p, ward) for p in running):
            continue
        found.append({"organization": organization, "programs": len(own)})
    return found


def populations_served(programs, today):
    """The populations an organization's running programs serve, without repeats, in order."""
    seen = []
    for program in programs:
        if effective_status(program, today) != "ended":
            seen += [slug for slug in program.get("populations", []) if slug not in seen]
    return seen
