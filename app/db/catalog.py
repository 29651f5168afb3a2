"""Programs, their sites and classification, and organizations.

Every program and organization carries a version. A save names the version it was based on;
when another save came first it is refused with ``VersionConflict`` instead of overwriting, and
a save writes only the columns that differ, so it never re-writes another person's field.
"""

import json

from ..catalog.fields import FIELD_NAMES, LIST_FIELDS, PLACE_FIELDS, SITE_FIELDS

PROGRAM_COLUMNS = tuple(name for name in FIELD_NAMES if name not in SITE_FIELDS)
TERM_FIELDS = ("sectors", "populations", "interventions", "streams", "languages", "funders", "delivery_mode")
NAME_ORDER = "programs.name COLLATE NOCASE, programs.id"
SITE_COLUMNS = SITE_FIELDS + PLACE_FIELDS


# Not ended, as a search files programs (listing.effective_status): a time-limited program past
# its end date has ended. Takes today's date as its one parameter.
_NOT_ENDED = ("programs.status IS NOT 'ended' AND NOT (programs.status = 'time-limited' "
              "AND coalesce(programs.end_date, '') != '' AND programs.end_date < ?)")


class VersionConflict(Exception):
    """The record changed since the version the save was based on."""

    def __init__(self, entity, entity_id, expected, current):
        super().__init__(f"{entity} {entity_id} is at version {current}, not {expected}")
        self.entity, self.entity_id, self.expected, self.current = entity, entity_id, expected, current


class Catalog:
    def __init__(self, connection):
        self.c = connection

    # Reading

    def get_program(self, program_id):
        row = self.c.one("SELECT * FROM programs WHERE id = ?", [program_id])
        return self._with_sites([_decode(row)])[0] if row else None

    def get_programs(self, program_ids):
        """Programs in the order of ``program_ids`` (ids not found are skipped)."""
        if not program_ids:
            return []
        marks = ",".join("?" for _ in program_ids)
        rows = self.c.query(f"SELECT * FROM programs WHERE id IN ({marks})", list(program_ids))
        found = {p["id"]: p for p in self._with_sites([_decode(r) for r in rows])}
        return [found[i] for i in program_ids if i in found]

    def all_programs(self):
        rows = self.c.query(f"SELECT * FROM programs ORDER BY {NAME_ORDER}")
        return self._with_sites([_decode(row) for row in rows])

    def program_reach(self):
        """Per program only what the organization directory filters on (organization, people
        served, service area, status, site wards), without loading whole listings."""
        wards = {}
        for program_id, ward in self.c.execute("SELECT program_id, ward FROM sites WHERE ward IS NOT NULL"):
            wards.setdefault(program_id, []).append({"ward": ward})
        rows = self.c.query("SELECT id, organization_id, populations, service_area, status, end_date FROM programs")
        return [
            dict(row, populations=json.loads(row["populations"] or "[]"),
                 service_area=json.loads(row["service_area"] or "[]"), sites=wards.get(row["id"], []))
            for row in rows
        ]

    def programs_of(self, organization_id):
        rows = self.c.query(
            f"SELECT * FROM programs WHERE organization_id = ? ORDER BY {NAME_ORDER}", [organization_id]
        )
        return self._with_sites([_decode(row) for row in rows])

    def count_programs(self):
        return self.c.scalar("SELECT count(*) FROM programs")

    def count_organizations(self):
        return self.c.scalar("SELECT count(*) FROM organizations")

    def term_counts(self, vocabulary, today):
        """{slug: number of programs still running or not known to have ended} for one
        classification: what following the home page's links to the search finds."""
        rows = self.c.execute(
            "SELECT slug, count(*) FROM program_terms JOIN programs ON programs.id = program_terms.program_id "
            f"WHERE vocabulary = ? AND {_NOT_ENDED} GROUP BY slug",
            [vocabulary, today.isoformat()],
        )
        return dict(rows.fetchall())

    def count_current_programs(self, today):
        """Programs not known to have ended: what a search finds by default."""
        return self.c.scalar(f"SELECT count(*) FROM programs WHERE {_NOT_ENDED}", [today.isoformat()])

    def get_organization(self, organization_id):
        row = self.c.one("SELECT * FROM organizations WHERE id = ?", [organization_id])
        return _decode_organization(row) if row else None

    def organizations(self):
        return [_decode_organization(r) for r in self.c.query("SELECT * FROM organizations ORDER BY name COLLATE NOCASE")]

    def save_organization(self, record):
        """Insert an organization or write the columns of it that differ; returns its version.

        A changed name is left to ``Database.rename_organization``, which renames its listings
        too; the other columns are written here. Callers check the version first (the rename
        changes it).
        """
        current = self.get_organization(record["id"])
        row = {name: value for name, value in record.items() if name not in ("id", "name", "version")}
        row["languages"] = json.dumps(record.get("languages") or [])
        if current is None:
            self.c.db["organizations"].insert({"id": record["id"], "name": record["name"], **row, "version": 1})
            return 1
        stored = dict(current, languages=json.dumps(current.get("languages") or []))
        changed = {name: value for name, value in row.items() if stored.get(name) != value}
        if not changed:
            return current["version"]
        assignments = "".join(f"[{name}] = ?, " for name in changed)
        self.c.execute(
            f"UPDATE organizations SET {assignments}version = version + 1 WHERE id = ?", [*changed.values(), record["id"]]
        )
        return current["version"] + 1

    def all_sites(self):
        """Every site with its program id and position, for placing them on the boundaries."""
        return self.c.query("SELECT * FROM sites ORDER BY program_id, position")

    def _with_sites(self, programs):
        if not programs:
            return programs
        ids = [program["id"] for program in programs]
        marks = ",".join("?" for _ in ids)
        sites = {}
        for row in self.c.query(
            f"SELECT * FROM sites WHERE program_id IN ({marks}) ORDER BY program_id, position", ids
        ):
            sites.setdefault(row["program_id"], []).append({name: row[name] for name in SITE_COLUMNS})
        for program in programs:
            program["sites"] = sites.get(program["id"], [])
        return programs

    # Writing (inside ``Database.write()``)

    def set_places(self, placements):
        """[(program_id, position, {ward, neighbourhood, neighbourhood_class})] in one go."""
        for program_id, position, place in placements:
            values = place or {name: None for name in PLACE_FIELDS}
            self.c.db["sites"].update((program_id, position), values)

    def add_organization(self, organization_id, name):
        self.c.db["organizations"].insert({"id": organization_id, "name": name, "version": 1}, ignore=True)

    def rename_organization(self, organization_id, name, expected_version=None):
        """Rename an organization on itself and its programs.

        Returns (its new version, [(program id, the name it had, its new version)] of the
        programs renamed).
        """
        current = self.get_organization(organization_id)
        _check_version("organization", organization_id, expected_version, current["version"])
        self.c.execute(
            "UPDATE organizations SET name = ?, version = version + 1 WHERE id = ?", [name, organization_id]
        )
        before = dict(self.c.execute(
            "SELECT id, organization FROM programs WHERE organization_id = ? AND organization IS NOT ?",
            [organization_id, name],
        ).fetchall())
        renamed = self.c.execute(
            "UPDATE programs SET organization = ?, version = version + 1 WHERE organization_id = ? "
            "AND organization IS NOT ? RETURNING id, version",
            [name, organization_id, name],
        ).fetchall()
        return current["version"] + 1, [(pid, before[pid], version) for pid, version in renamed]

    def load_many(self, records):
        """Insert many new programs at once (an empty catalogue, or benchmarks)."""
        organizations, programs, sites, terms = _rows_of(records)
        for table, rows, pk in (
            ("organizations", organizations, "id"),
            ("programs", programs, "id"),
            ("sites", sites, ("program_id", "position")),
            ("program_terms", terms, ("program_id", "vocabulary", "slug")),
        ):
            self.c.db[table].upsert_all(rows, pk=pk, batch_size=1000)

    def save_program(self, record, expected_version=None):
        """Insert a program, or write the parts of it that differ; returns its version.

        With ``expected_version``, refuses (VersionConflict) when the stored program is at
        another version. A save that changes nothing leaves the version as it is.
        """
        with self.c.savepoint():
            current = self.c.one("SELECT * FROM programs WHERE id = ?", [record["id"]])
            if current is None:
                self._insert(record)
                return 1
            _check_version("program", record["id"], expected_version, current["version"])
            return self._update(record, current)

    def _insert(self, record):
        db = self.c.db
        (organization,), (program,), sites, terms = _rows_of([record])
        self._keep_organization(organization)
        db["programs"].insert(dict(program, version=1))
        db["sites"].insert_all(sites)
        db["program_terms"].insert_all(terms)

    def _update(self, record, current):
        db = self.c.db
        (organization,), (program,), sites, terms = _rows_of([record])
        changed = {name: value for name, value in program.items() if current[name] != value}
        old_sites = self.c.query("SELECT * FROM sites WHERE program_id = ? ORDER BY position", [record["id"]])
        sites_changed = [_site_key(s) for s in old_sites] != [_site_key(s) for s in sites]
        old_terms = self.c.query("SELECT vocabulary, slug FROM program_terms WHERE program_id = ?", [record["id"]])
        terms_changed = {(t["vocabulary"], t["slug"]) for t in old_terms} != {(t["vocabulary"], t["slug"]) for t in terms}
        if not (changed or sites_changed or terms_changed):
            return current["version"]
        self._keep_organization(organization)
        assignments = "".join(f"[{name}] = ?, " for name in changed)
        self.c.execute(
            f"UPDATE programs SET {assignments}version = version + 1 WHERE id = ?",
            [*changed.values(), record["id"]],
        )
        if sites_changed:
            self.c.execute("DELETE FROM sites WHERE program_id = ?", [record["id"]])
            db["sites"].insert_all(sites)
        if terms_changed:
            self.c.execute("DELETE FROM program_terms WHERE program_id = ?", [record["id"]])
            db["program_terms"].insert_all(terms)
        return current["version"] + 1

    def _keep_organization(self, organization):
        """Add the organization if new. Renaming one is ``rename_organization``'s job (with
        its history), never a side effect of saving one listing."""
        if self.get_organization(organization["id"]) is None:
            self.c.db["organizations"].insert(dict(organization, version=1))


def _check_version(entity, entity_id, expected, current):
    if expected is not None and int(expected) != current:
        raise VersionConflict(entity, entity_id, int(expected), current)


def _site_key(site):
    return tuple(site.get(name) for name in SITE_COLUMNS)


def _rows_of(records):
    """Rows for each table from program records."""
    organizations, programs, sites, terms = {}, [], [], []
    for record in records:
        organizations[record["organization_id"]] = {"id": record["organization_id"], "name": record["organization"]}
        programs.append(_encode(record))
        sites += [
            {"program_id": record["id"], "position": n, **{k: site.get(k) for k in SITE_COLUMNS}}
            for n, site in enumerate(record["sites"])
        ]
        terms += [
            {"program_id": record["id"], "vocabulary": name, "slug": slug}
            for name in TERM_FIELDS
            for slug in _as_list(record[name])
        ]
    return list(organizations.values()), programs, sites, terms


def _as_list(value):
    if isinstance(value, list):
        return value
    return [value] if value else []


def _encode(record):
    row = {name: record.get(name) for name in PROGRAM_COLUMNS}
    for name in LIST_FIELDS:
        row[name] = json.dumps(row[name] or [])
    return row


def _decode_organization(row):
    organization = dict(row)
    organization["languages"] = json.loads(organization.get("languages") or "[]")
    return organization


def _decode(row):
    program = dict(row)
    for name in LIST_FIELDS:
        program[name] = json.loads(program[name] or "[]")
    return program
