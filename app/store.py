"""The one place that talks to SQLite.

Programs, their sites and their classification live here; everything else (the search index,
maps, gap tables) is derived from it. Writes run inside ``BEGIN IMMEDIATE`` with a busy
timeout, so several server workers can write at once without "database is locked".
"""

import contextlib
import json
import sqlite3
from pathlib import Path

import sqlite_utils

from .catalog.fields import FIELD_NAMES, LIST_FIELDS, PLACE_FIELDS, SITE_FIELDS

PROGRAM_COLUMNS = tuple(name for name in FIELD_NAMES if name not in SITE_FIELDS)
TERM_FIELDS = (
    "sectors",
    "populations",
    "interventions",
    "streams",
    "languages",
    "funders",
    "delivery_mode",
)
NAME_ORDER = "programs.name COLLATE NOCASE, programs.id"


class Store:
    def __init__(self, path, busy_timeout_ms=5000):
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._conn = None

    @property
    def db(self):
        """A sqlite-utils Database, connected on first use (so after a server forks)."""
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._conn = conn
            self._db = sqlite_utils.Database(conn)
        return self._db

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextlib.contextmanager
    def write(self):
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextlib.contextmanager
    def savepoint(self):
        """All-or-nothing for one record inside a larger write."""
        with self.db.atomic():
            yield self

    def all_sites(self):
        """Every site with its program id and position, for placing them on the boundaries."""
        return list(self.db.query("SELECT * FROM sites ORDER BY program_id, position"))

    def set_places(self, placements):
        """[(program_id, position, {ward, neighbourhood, neighbourhood_class})] in one go."""
        for program_id, position, place in placements:
            values = place or {name: None for name in PLACE_FIELDS}
            self.db["sites"].update((program_id, position), values)

    def create_schema(self):
        db = self.db
        with self.write():
            db["organizations"].create({"id": str, "name": str}, pk="id", if_not_exists=True)
            columns = {name: str for name in PROGRAM_COLUMNS}
            columns.update(age_min=int, age_max=int, seats=int, duration_weeks=int)
            db["programs"].create(
                columns,
                pk="id",
                foreign_keys=[("organization_id", "organizations", "id")],
                if_not_exists=True,
            )
            db["sites"].create(
                {
                    "program_id": str,
                    "position": int,
                    "address": str,
                    "postal_code": str,
                    "latitude": float,
                    "longitude": float,
                    "location_precision": str,
                    **{name: str for name in PLACE_FIELDS},
                },
                pk=("program_id", "position"),
                foreign_keys=[("program_id", "programs", "id")],
                if_not_exists=True,
            )
            db["program_terms"].create(
                {"program_id": str, "vocabulary": str, "slug": str},
                pk=("program_id", "vocabulary", "slug"),
                foreign_keys=[("program_id", "programs", "id")],
                if_not_exists=True,
            )
            db["users"].create(
                {
                    "id": int,
                    "email": str,
                    "name": str,
                    "password_hash": str,
                    "role": str,
                    "organization_id": str,
                    "status": str,
                    "session_version": int,
                    "requested_organization": str,
                    "created": str,
                },
                pk="id",
                not_null={"email", "password_hash", "role", "status"},
                defaults={"session_version": 0},
                if_not_exists=True,
            )
            db["users"].create_index(["email"], unique=True, if_not_exists=True)
            db["login_attempts"].create({"key": str, "at": float}, if_not_exists=True)
            db["login_attempts"].create_index(["key", "at"], if_not_exists=True)
            db["password_resets"].create(
                {"token_hash": str, "user_id": int, "expires": float}, pk="token_hash", if_not_exists=True
            )
            db["listing_changes"].create(
                {"id": int, "program_id": str, "user_id": int, "at": str, "field": str, "old": str, "new": str},
                pk="id",
                if_not_exists=True,
            )
            db["listing_changes"].create_index(["program_id"], if_not_exists=True)
            for name in PLACE_FIELDS:  # catalogues created before sites were placed
                if name not in db["sites"].columns_dict:
                    db["sites"].add_column(name, str)
            db["programs"].create_index(["organization_id"], if_not_exists=True)
            db["program_terms"].create_index(["vocabulary", "slug"], if_not_exists=True)

    # Reading

    def get_program(self, program_id):
        rows = list(self.db.query("SELECT * FROM programs WHERE id = ?", [program_id]))
        if not rows:
            return None
        return self._with_sites([_decode(rows[0])])[0]

    def get_programs(self, program_ids):
        """Programs in the order of ``program_ids`` (ids not found are skipped)."""
        if not program_ids:
            return []
        marks = ",".join("?" for _ in program_ids)
        rows = self.db.query(f"SELECT * FROM programs WHERE id IN ({marks})", list(program_ids))
        found = {program["id"]: program for program in self._with_sites([_decode(r) for r in rows])}
        return [found[i] for i in program_ids if i in found]

    def count_programs(self):
        return self.db.execute("SELECT count(*) FROM programs").fetchone()[0]

    def count_organizations(self):
        return self.db.execute("SELECT count(*) FROM organizations").fetchone()[0]

    def all_programs(self):
        rows = self.db.query(f"SELECT * FROM programs ORDER BY {NAME_ORDER}")
        return self._with_sites([_decode(row) for row in rows])

    def get_organization(self, organization_id):
        rows = list(self.db.query("SELECT * FROM organizations WHERE id = ?", [organization_id]))
        return rows[0] if rows else None

    def programs_of(self, organization_id):
        rows = self.db.query(
            f"SELECT * FROM programs WHERE organization_id = ? ORDER BY {NAME_ORDER}",
            [organization_id],
        )
        return self._with_sites([_decode(row) for row in rows])

    def term_counts(self, vocabulary):
        """{slug: number of programs} for one classification."""
        rows = self.db.execute(
            "SELECT slug, count(*) FROM program_terms WHERE vocabulary = ? GROUP BY slug",
            [vocabulary],
        )
        return dict(rows.fetchall())

    def _with_sites(self, programs):
        if not programs:
            return programs
        ids = [program["id"] for program in programs]
        marks = ",".join("?" for _ in ids)
        sites = {}
        for row in self.db.query(
            f"SELECT * FROM sites WHERE program_id IN ({marks}) ORDER BY program_id, position", ids
        ):
            sites.setdefault(row["program_id"], []).append(
                {name: row[name] for name in SITE_FIELDS + PLACE_FIELDS}
            )
        for program in programs:
            program["sites"] = sites.get(program["id"], [])
        return programs

    # Accounts

    def get_user(self, user_id):
        rows = list(self.db.query("SELECT * FROM users WHERE id = ?", [user_id]))
        return rows[0] if rows else None

    def find_user(self, email):
        rows = list(self.db.query("SELECT * FROM users WHERE email = ?", [email.strip().lower()]))
        return rows[0] if rows else None

    def users(self, status=None):
        if status:
            return list(self.db.query("SELECT * FROM users WHERE status = ? ORDER BY id", [status]))
        return list(self.db.query("SELECT * FROM users ORDER BY id"))

    def add_user(self, user):
        """Insert a user (inside ``write()``); returns its id."""
        return self.db["users"].insert(dict(user, email=user["email"].strip().lower())).last_pk

    def update_user(self, user_id, **values):
        self.db["users"].update(user_id, values)

    def end_sessions(self, user_id):
        """Invalidate every session of a user (logout everywhere, disabling)."""
        self.db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])

    def add_organization(self, organization_id, name):
        self.db["organizations"].insert({"id": organization_id, "name": name}, ignore=True)

    def rename_organization(self, organization_id, name):
        """Change an organization's name on it and on its programs; returns their ids."""
        self.db["organizations"].update(organization_id, {"name": name})
        self.db.execute("UPDATE programs SET organization = ? WHERE organization_id = ?", [name, organization_id])
        return [row["id"] for row in self.db.query("SELECT id FROM programs WHERE organization_id = ?", [organization_id])]

    def organizations(self):
        return list(self.db.query("SELECT * FROM organizations ORDER BY name COLLATE NOCASE"))

    def record_attempt(self, keys, at):
        self.db["login_attempts"].insert_all({"key": key, "at": at} for key in keys)

    def count_attempts(self, key, since):
        return self.db.execute(
            "SELECT count(*) FROM login_attempts WHERE key = ? AND at > ?", [key, since]
        ).fetchone()[0]

    def clear_attempts(self, key):
        self.db.execute("DELETE FROM login_attempts WHERE key = ?", [key])

    def add_reset(self, token_hash, user_id, expires):
        self.db["password_resets"].insert({"token_hash": token_hash, "user_id": user_id, "expires": expires})

    def take_reset(self, token_hash, now):
        """The user id of a valid reset token, consuming it; None when unknown or expired."""
        rows = list(self.db.query("SELECT * FROM password_resets WHERE token_hash = ?", [token_hash]))
        self.db.execute("DELETE FROM password_resets WHERE token_hash = ? OR expires < ?", [token_hash, now])
        return rows[0]["user_id"] if rows and rows[0]["expires"] >= now else None

    def add_changes(self, changes):
        self.db["listing_changes"].insert_all(changes)

    def history(self, program_id):
        return list(
            self.db.query(
                "SELECT listing_changes.*, users.name AS user_name, users.email AS user_email "
                "FROM listing_changes LEFT JOIN users ON users.id = listing_changes.user_id "
                "WHERE program_id = ? ORDER BY listing_changes.id DESC",
                [program_id],
            )
        )

    # Writing (call inside ``write()``)

    def load_many(self, records):
        """Insert many new programs at once (an empty catalogue, or benchmarks)."""
        organizations, programs, sites, terms = _rows_of(records)
        for table, rows, pk in (
            ("organizations", organizations, "id"),
            ("programs", programs, "id"),
            ("sites", sites, ("program_id", "position")),
            ("program_terms", terms, ("program_id", "vocabulary", "slug")),
        ):
            self.db[table].upsert_all(rows, pk=pk, batch_size=1000)

    def save_program(self, record):
        """Insert or replace one program with its sites and classification."""
        db = self.db
        (organization,), (program,), sites, terms = _rows_of([record])
        with self.savepoint():
            db["organizations"].upsert(organization, pk="id")
            db["programs"].upsert(program, pk="id")
            db.execute("DELETE FROM sites WHERE program_id = ?", [record["id"]])
            db["sites"].insert_all(sites)
            db.execute("DELETE FROM program_terms WHERE program_id = ?", [record["id"]])
            db["program_terms"].insert_all(terms)

def _rows_of(records):
    """Rows for each table from program records, for bulk loading."""
    organizations, programs, sites, terms = {}, [], [], []
    for record in records:
        organizations[record["organization_id"]] = {"id": record["organization_id"], "name": record["organization"]}
        programs.append(_encode(record))
        sites += [{"program_id": record["id"], "position": n, **site} for n, site in enumerate(record["sites"])]
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


def _decode(row):
    program = dict(row)
    for name in LIST_FIELDS:
        program[name] = json.loads(program[name] or "[]")
    return program
