"""Versioned schema changes, applied in order and recorded in the database.

sqlite-utils' own ``Migrations`` registry records each applied step in ``_sqlite_migrations``;
it ships with the sqlite-utils we already use, so there is no second dependency doing the same
job. Each step runs inside the migration's transaction, and the whole run inside one
``BEGIN IMMEDIATE``, so workers starting together cannot apply a step twice. A database that
has steps this code does not know was written by a newer release: the app refuses it rather
than guess.

Columns are spelled out here as they were when each step was written: a step never changes
once released, later fields get later steps.
"""

from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("atlas")
KNOWN = []


def step(name):
    """Register a migration under its name, in the order of this file."""
    KNOWN.append(name)
    return MIGRATIONS(name=name)

RELEASE_0_1_PROGRAM_COLUMNS = (
    "id", "name", "organization", "organization_id", "description", "sectors", "occupations",
    "populations", "interventions", "streams", "service_area", "delivery_mode", "languages",
    "age_min", "age_max", "eligibility", "fee", "intake", "next_intake_date",
    "application_deadline", "seats", "duration_weeks", "funders", "website", "phone", "email",
    "source_url", "verification", "last_verified",
)
INTEGER_COLUMNS = ("age_min", "age_max", "seats", "duration_weeks")
PLACE_COLUMNS = ("ward", "neighbourhood", "neighbourhood_class")


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer release of the atlas."""


@step("0001_catalogue")
def _catalogue(db):
    db["organizations"].create({"id": str, "name": str}, pk="id", if_not_exists=True)
    columns = {name: (int if name in INTEGER_COLUMNS else str) for name in RELEASE_0_1_PROGRAM_COLUMNS}
    db["programs"].create(
        columns, pk="id", foreign_keys=[("organization_id", "organizations", "id")], if_not_exists=True
    )
    db["sites"].create(
        {"program_id": str, "position": int, "address": str, "postal_code": str, "latitude": float,
         "longitude": float, "location_precision": str, **{name: str for name in PLACE_COLUMNS}},
        pk=("program_id", "position"),
        foreign_keys=[("program_id", "programs", "id")],
        if_not_exists=True,
    )
    for name in PLACE_COLUMNS:  # catalogues created before sites were placed
        if name not in db["sites"].columns_dict:
            db["sites"].add_column(name, str)
    db["program_terms"].create(
        {"program_id": str, "vocabulary": str, "slug": str},
        pk=("program_id", "vocabulary", "slug"),
        foreign_keys=[("program_id", "programs", "id")],
        if_not_exists=True,
    )
    db["programs"].create_index(["organization_id"], if_not_exists=True)
    db["program_terms"].create_index(["vocabulary", "slug"], if_not_exists=True)


@step("0002_accounts")
def _accounts(db):
    db["users"].create(
        {"id": int, "email": str, "name": str, "password_hash": str, "role": str, "organization_id": str,
         "status": str, "session_version": int, "requested_organization": str, "created": str},
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


@step("0003_record_versions")
def _versions(db):
    """Every editable record carries a version, so a save based on an older one is refused."""
    for table in ("programs", "organizations", "users"):
        if "version" not in db[table].columns_dict:
            db[table].add_column("version", int, not_null_default=1)


@step("0004_audit_log")
def _audit_log(db):
    """One append-only log of every change; the release 0.1 listing history moves into it."""
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            user_id INTEGER,
            organization TEXT,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            version INTEGER,
            changes TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id)")
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_log_append_only_{event.lower()} BEFORE {event} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    if db["listing_changes"].exists():
        _move_listing_changes(db)
        db["listing_changes"].drop()


def _move_listing_changes(db):
    """One audit entry per save: the release 0.1 table kept one row per field."""
    import json

    saves = {}
    rows = db.query(
        "SELECT listing_changes.*, users.organization_id FROM listing_changes "
        "LEFT JOIN users ON users.id = listing_changes.user_id ORDER BY listing_changes.id"
    )
    for row in rows:
        key = (row["program_id"], row["user_id"], row["at"])
        saves.setdefault(key, {"organization": row["organization_id"], "changes": {}})
        saves[key]["changes"][row["field"]] = [row["old"], row["new"]]
    db["audit_log"].insert_all(
        {"at": at, "who": f"user:{user_id}" if user_id is not None else "unknown", "user_id": user_id,
         "organization": save["organization"], "action": "edit", "entity": "program",
         "entity_id": program_id, "version": None, "changes": json.dumps(save["changes"], ensure_ascii=False)}
        for (program_id, user_id, at), save in saves.items()
    )


@step("0005_index_outbox")
def _index_outbox(db):
    """Index work recorded by the database itself, in the transaction that made the change.

    Triggers write it, so no code path can change a listing without the index hearing of it.
    """
    db.execute(
        "CREATE TABLE index_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, program_id TEXT NOT NULL, "
        "at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')))"
    )
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        db.execute(
            f"CREATE TRIGGER programs_outbox_{event.lower()} AFTER {event} ON programs "
            f"BEGIN INSERT INTO index_outbox (program_id) VALUES ({row}.id); END"
        )
    db.execute(
        "CREATE TRIGGER sites_outbox_update AFTER UPDATE ON sites "
        "BEGIN INSERT INTO index_outbox (program_id) VALUES (NEW.program_id); END"
    )


@step("0006_sessions")
def _sessions(db):
    """Sessions known to the server, so signing out ends one even if its cookie was copied."""
    db["sessions"].create(
        {"id": str, "user_id": int, "created": float, "expires": float}, pk="id", not_null={"user_id"}
    )
    db["sessions"].create_index(["user_id"])


@step("0007_status_referral_and_organizations")
def _status_referral_and_organizations(db):
    """Whether a program still runs and how to get into it; organizations as records of their own.

    Listings from before this step are programs whose status nobody has checked: "unknown".
    """
    program_columns = {
        "listing_type": str, "status": str, "end_date": str, "requires_populations": str, "residency": str,
        "immigration_status": str, "income_support": str, "other_requirements": str, "how_to_apply": str,
        "referral_method": str, "referral_contact": str, "capacity_status": str, "capacity_updated": str,
        "source_date": str,
    }
    for name, kind in program_columns.items():
        if name not in db["programs"].columns_dict:
            db["programs"].add_column(name, kind)
    db.execute("UPDATE programs SET listing_type = 'program' WHERE listing_type IS NULL")
    db.execute("UPDATE programs SET status = 'unknown' WHERE status IS NULL")
    for name in ("requires_populations", "residency", "immigration_status", "income_support"):
        db.execute(f"UPDATE programs SET [{name}] = '[]' WHERE [{name}] IS NULL")
    organization_columns = {
        "description": str, "organization_type": str, "website": str, "phone": str, "email": str,
        "address": str, "postal_code": str, "latitude": float, "longitude": float, "languages": str,
        "source_url": str, "source_date": str, "last_verified": str,
    }
    for name, kind in organization_columns.items():
        if name not in db["organizations"].columns_dict:
            db["organizations"].add_column(name, kind)
    db.execute("UPDATE organizations SET languages = '[]' WHERE languages IS NULL")
    db["programs"].create_index(["status"], if_not_exists=True)


@step("0008_referrals_and_tokens")
def _referrals_and_tokens(db):
    """Closed-loop referrals (with their timeline and the notifications they raise) and personal
    API tokens for partners' own systems.

    ``sender_status`` is the status as the sender may see it (without progress consent, what
    follows acceptance reads as accepted), kept beside the real one so the outbox filters on it
    by index. A referral's client reference, note and needs profile are the only client details stored;
    anonymisation blanks them and keeps the dates, statuses and outcome for statistics.
    """
    db.execute(
        """CREATE TABLE referrals (
            id INTEGER PRIMARY KEY,
            program_id TEXT NOT NULL REFERENCES programs(id),
            receiver_org TEXT NOT NULL,
            sender_org TEXT NOT NULL,
            sender_user_id INTEGER REFERENCES users(id),
            parent_id INTEGER REFERENCES referrals(id),
            client_ref TEXT,
            needs TEXT,
            note TEXT,
            status TEXT NOT NULL,
            sender_status TEXT NOT NULL,
            reason TEXT,
            reason_text TEXT,
            outcome TEXT,
            outcome_text TEXT,
            override_reason TEXT,
            consent_given_on TEXT NOT NULL,
            consent_method TEXT NOT NULL,
            share_progress INTEGER NOT NULL,
            consent_withdrawn_at TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            received_at TEXT,
            reminded_at TEXT,
            decided_at TEXT,
            closed_at TEXT,
            fit_rating INTEGER,
            fit_comment TEXT,
            appropriate INTEGER,
            appropriate_comment TEXT,
            anonymised_at TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )"""
    )
    # An inbox is read newest first, whole or by status (the overdue filter is a status too).
    db.execute("CREATE INDEX referrals_incoming ON referrals (receiver_org, id)")
    db.execute("CREATE INDEX referrals_outgoing ON referrals (sender_org, id)")
    db.execute("CREATE INDEX referrals_incoming_status ON referrals (receiver_org, status, id)")
    db.execute("CREATE INDEX referrals_outgoing_status ON referrals (sender_org, sender_status, id)")
    db.execute("CREATE INDEX referrals_incoming_unopened ON referrals (receiver_org, status, received_at, created)")
    db.execute("CREATE INDEX referrals_outgoing_unopened ON referrals (sender_org, status, received_at, created)")
    db.execute("CREATE INDEX referrals_outgoing_programs ON referrals (sender_org, program_id)")
    db.execute("CREATE INDEX referrals_waiting ON referrals (status, created)")
    db.execute("CREATE INDEX referrals_program ON referrals (program_id, created)")
    db.execute("CREATE INDEX referrals_parent ON referrals (parent_id)")
    db.execute(
        """CREATE TABLE referral_events (
            id INTEGER PRIMARY KEY,
            referral_id INTEGER NOT NULL REFERENCES referrals(id),
            at TEXT NOT NULL,
            user_id INTEGER,
            organization TEXT,
            side TEXT NOT NULL,
            action TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT,
            reason TEXT,
            reason_text TEXT,
            version INTEGER
        )"""
    )
    db.execute("CREATE INDEX referral_events_referral ON referral_events (referral_id, id)")
    db.execute(
        """CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            referral_id INTEGER NOT NULL REFERENCES referrals(id),
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            read_at TEXT
        )"""
    )
    db.execute("CREATE INDEX notifications_unread ON notifications (user_id, read_at, id)")
    db.execute(
        """CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            last_used TEXT,
            revoked_at TEXT
        )"""
    )
    db.execute("CREATE INDEX api_tokens_user ON api_tokens (user_id)")


@step("0009_referral_as_the_sender_sees_it")
def _referral_as_the_sender_sees_it(db):
    """What a sender without progress consent may know of a referral, kept beside the real
    values as ``sender_status`` is: the version counting only the changes they may see, when
    they last saw it change, and when it closed for them. Existing referrals start from the real
    values; one closed where the sender sees its status closed when it moved into that status."""
    for column in ("sender_version INTEGER", "sender_updated TEXT", "sender_closed_at TEXT"):
        db.execute(f"ALTER TABLE referrals ADD COLUMN {column}")
    db.execute(
        "UPDATE referrals SET sender_version = version, sender_updated = updated, sender_closed_at = CASE"
        " WHEN closed_at IS NULL OR status != sender_status THEN NULL"
        " WHEN share_progress THEN closed_at"
        " ELSE (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = referrals.id"
        " AND e.to_status = referrals.status) END")


def status(db):
    """(applied, pending, unknown) migration names: unknown ones come from a newer release."""
    applied = [migration.name for migration in MIGRATIONS.applied(db)]
    names = KNOWN
    return applied, [n for n in names if n not in applied], [n for n in applied if n not in names]


def check(db):
    """Raise SchemaTooNew when the database is ahead of this code."""
    _, _, unknown = status(db)
    if unknown:
        raise SchemaTooNew(
            "This database was upgraded by a newer release of the atlas (it has the migrations "
            f"{', '.join(unknown)}). Run that release, or restore a backup made for this one."
        )


def migrate(connection):
    """Apply pending migrations in one write transaction; returns the names applied."""
    with connection.write():
        db = connection.db
        check(db)
        _, pending, _ = status(db)
        MIGRATIONS.apply(db)
    return pending


def version(db):
    """The newest applied migration's name, the schema version shown by /healthz."""
    applied, _, _ = status(db)
    return applied[-1] if applied else None
