"""Import program listings from CSV: validate every row, keep every valid one, report the rest.

A row is taken whole or not at all; one bad row never stops the others. Re-importing the same
file changes nothing and says so. The report is what a data steward reads to fix their file.
"""

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from .changes import as_text, created, diff
from .csvfile import Unusable, read_table
from ..db.audit import process_actor
from .fields import FIELD_NAMES, LIST_FIELDS, PLACE_FIELDS, SITE_FILE_COLUMNS
from .validation import Problem, validate_program, validate_site

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE = 0, 1, 2


@dataclass(frozen=True)
class Rejection:
    file: str
    row: int
    program_id: str
    problem: Problem

    def __str__(self):
        who = f" ({self.program_id})" if self.program_id else ""
        return f"{self.file} row {self.row}{who}: {self.problem}"


@dataclass
class ImportReport:
    path: str
    dry_run: bool = False
    encoding: str | None = None
    sites_encoding: str | None = None
    rows_read: int = 0
    site_rows_read: int = 0
    inserted: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    moved: list = field(default_factory=list)  # sites moved to their postal district's centre
    unusable: str | None = None

    @property
    def exit_code(self):
        if self.unusable:
            return EXIT_UNUSABLE
        return EXIT_REJECTED if self.rejected else EXIT_OK

    @property
    def rejected_rows(self):
        return len({(r.file, r.row) for r in self.rejected})

    def lines(self):
        if self.unusable:
            return [f"Cannot import {self.path}: {self.unusable}", "Nothing was imported."]
        lines = [f"Read {self.path} as {self.encoding}."]
        if self.sites_encoding:
            lines.append(f"Read the sites file as {self.sites_encoding}.")
        lines += self.notes
        lines += [
            f"Rows read: {self.rows_read}" + (f" (+ {self.site_rows_read} site rows)" if self.site_rows_read else ""),
            f"Inserted: {len(self.inserted)}",
            f"Updated: {len(self.updated)}",
            f"Unchanged: {len(self.unchanged)}",
            f"Rejected: {self.rejected_rows}",
        ]
        if self.moved:
            lines.insert(-5, f"Sites moved to their postal district's centre: {len(self.moved)}")
        lines += [f"  {rejection}" for rejection in self.rejected]
        if not self.inserted and not self.updated and not self.rejected:
            lines.append("Nothing changed: the catalogue already matches this file.")
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return lines


def import_programs(db, path, *, vocabularies, locate, today, max_bytes,
                    sites_path=None, dry_run=False, place=None, misplaced=None):
    """Validate and upsert every row of ``path`` (and optional extra sites); return the report.

    ``place(points)`` gives each located site its ward and neighbourhood; without it (no
    boundaries fetched) sites are imported unplaced and the report says how to place them.
    ``misplaced(sites)`` finds sites whose postal-code point lies outside their postal district;
    they are moved to the district's centre and reported.
    Every listing it inserts or changes gets an audit entry naming the import and its file.
    """
    report = ImportReport(path=str(path), dry_run=dry_run)
    try:
        table = read_table(path, FIELD_NAMES, ("id", "name"), max_bytes)
        sites_table = (
            read_table(sites_path, SITE_FILE_COLUMNS, ("program_id",), max_bytes)
            if sites_path else None
        )
    except Unusable as error:
        report.unusable = str(error)
        return report
    report.encoding = table.encoding
    _note_columns(report, table, FIELD_NAMES, path)
    records = _valid_programs(report, table, vocabularies, locate, today)
    extra_sites = {}
    if sites_table is not None:
        report.sites_encoding = sites_table.encoding
        _note_columns(report, sites_table, SITE_FILE_COLUMNS, sites_path)
        extra_sites = _valid_sites(report, sites_table, sites_path, records, db.catalog, locate)
    _apply(report, db, records, extra_sites, sites_table is not None, place, misplaced)
    return report


def _note_columns(report, table, known, path):
    name = str(path)
    for column in table.unknown_columns:
        report.notes.append(f'{name}: unknown column "{column}" was not imported')
    missing = [column for column in known if column not in table.columns]
    if missing and len(missing) < len(known):
        report.notes.append(f"{name}: columns not in the file (left empty): {', '.join(missing)}")


def _valid_programs(report, table, vocabularies, locate, today):
    records, first_seen = {}, {}
    for row in table.rows:
        report.rows_read += 1
        program_id = (row.cells.get("id") or "").strip().lower()
        if row.problem:
            _reject(report, report.path, row, program_id, Problem("", row.problem))
            continue
        if program_id and program_id in first_seen:
            problem = Problem("id", f'"{program_id}" already appears on row {first_seen[program_id]}')
            _reject(report, report.path, row, program_id, problem)
            continue
        first_seen.setdefault(program_id, row.number)
        record, problems = validate_program(row.cells, vocabularies, locate, today)
        for problem in problems:
            _reject(report, report.path, row, program_id, problem)
        if record:
            records[record["id"]] = record
    return records


def _valid_sites(report, table, sites_path, records, catalog, locate):
    sites = {}
    for row in table.rows:
        report.site_rows_read += 1
        program_id = (row.cells.get("program_id") or "").strip().lower()
        if row.problem:
            _reject(report, str(sites_path), row, program_id, Problem("", row.problem))
            continue
        program_id, site, problems = validate_site(row.cells, locate)
        if not problems and program_id not in records and catalog.get_program(program_id) is None:
            problems = [Problem("program_id", f'"{program_id}" is not a program in this file or the catalogue')]
        for problem in problems:
            _reject(report, str(sites_path), row, program_id, problem)
        if not problems:
            sites.setdefault(program_id, []).append(site)
    return sites


def _reject(report, file_name, row, program_id, problem):
    report.rejected.append(Rejection(file_name, row.number, program_id, problem))


def _apply(report, db, records, extra_sites, replace_sites, place, misplaced):
    """Compare each record with the catalogue and write what changed, in one transaction."""
    catalog = db.catalog
    pending = dict(records)
    for program_id in extra_sites:
        if program_id not in pending:
            pending[program_id] = _without_extra_sites(catalog.get_program(program_id))
    actor = process_actor(f"import:{Path(report.path).name}")
    with contextlib.nullcontext() if report.dry_run else db.write():
        currents = {program_id: catalog.get_program(program_id) for program_id in pending}
        complete = {
            program_id: _with_sites(record, currents[program_id], extra_sites.get(program_id), replace_sites)
            for program_id, record in pending.items()
        }
        _keep_organization_names(report, complete, catalog)
        _recheck_locations(report, complete, misplaced)
        _place_sites(report, complete, place)
        entries = []
        for program_id, record in complete.items():
            current = currents[program_id]
            status = _status(record, current)
            if program_id in records or status != "unchanged":
                getattr(report, status).append(program_id)
            if status != "unchanged" and not report.dry_run:
                version = catalog.save_program(record)
                changes = created(record) if current is None else diff(as_text(current), as_text(record))
                entries.append({"actor": actor, "action": "import", "entity": "program",
                                "entity_id": program_id, "changes": changes, "version": version})
        if entries:
            db.audit.record_many(entries)


def place_sites(sites, place):
    """Give every site its ward and neighbourhood (or none); returns the sites outside them."""
    located = [site for site in sites if site.get("latitude") is not None]
    placements = place([(s["latitude"], s["longitude"]) for s in located]) if place and located else []
    for site in sites:
        site.update({name: None for name in PLACE_FIELDS})
    outside = []
    for site, placement in zip(located, placements):
        if placement is None:
            outside.append(site)
        else:
            site.update(placement)
    return outside


def _keep_organization_names(report, records, catalog):
    """Listings show their organization's own name: a row naming a listed organization
    otherwise takes the record's name, and the report says so (renaming is the organization
    file's or profile's job, where its history is kept)."""
    noted, names = set(), {}
    for record in records.values():
        organization_id = record["organization_id"]
        if organization_id not in names:
            found = catalog.get_organization(organization_id)
            names[organization_id] = found and found["name"]
        name = names[organization_id]
        if name is None or name == record["organization"]:
            continue
        if organization_id not in noted:
            noted.add(organization_id)
            report.notes.append(
                f'"{record["organization"]}" is listed as "{name}" (organization '
                f'{organization_id}): its listings keep that name; rename it with '
                "import-organizations or on its profile page"
            )
        record["organization"] = name


def recheck_sites(sites, misplaced):
    """Move sites located by a postal code that falls outside its own district to the
    district's centre; returns [(site, km it was outside)]. Typed coordinates are left alone."""
    checked = [s for s in sites if s.get("location_precision") == "postal_code"]
    if not misplaced or not checked:
        return []
    moved = []
    for site, found in zip(checked, misplaced([(s["postal_code"], s["latitude"], s["longitude"]) for s in checked])):
        if found:
            latitude, longitude, km = found
            site.update(latitude=latitude, longitude=longitude, location_precision="fsa")
            moved.append((site, km))
    return moved


def _recheck_locations(report, records, misplaced):
    """Move sites whose postal-code point falls outside their district, and say which."""
    for site, km in recheck_sites([s for r in records.values() for s in r["sites"]], misplaced):
        report.moved.append(site.get("address") or site["postal_code"])
        report.notes.append(
            f"{site.get('address') or 'a site'} ({site['postal_code']}): the postal-code table puts it "
            f"{km} km outside district {site['postal_code'][:3]}, so it is placed at the district's centre"
        )


def _place_sites(report, records, place):
    """Place every site of the import, noting in the report those outside the wards."""
    sites = [site for record in records.values() for site in record["sites"]]
    for site in place_sites(sites, place):
        where = site.get("address") or site.get("postal_code") or "a site"
        report.notes.append(f"{where} is outside the City's wards: it is kept but not counted in any ward")
    if any(site.get("latitude") is not None for site in sites) and not place:
        report.notes.append(
            "Sites were not given wards and neighbourhoods: boundaries are not loaded "
            "(run `flask --app app fetch-geodata`)."
        )


def _without_extra_sites(program):
    return dict(program, sites=program["sites"][:1])


def _with_sites(record, current, extra, replace_sites):
    """The full site list: the row's own site, then the sites file's (or the ones kept)."""
    if extra is not None or replace_sites:
        kept = extra or []
    else:
        kept = current["sites"][1:] if current else []
    return dict(record, sites=[dict(site) for site in record["sites"][:1] + kept])


def _status(record, current):
    if current is None:
        return "inserted"
    comparable = {key: current.get(key) for key in record}
    return "unchanged" if _unordered(comparable) == _unordered(record) else "updated"


def _unordered(record):
    """Lists compared as sets: their order carries no meaning."""
    return {key: sorted(value) if key in LIST_FIELDS else value for key, value in record.items()}

