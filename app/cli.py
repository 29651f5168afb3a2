"""Command-line tasks for data stewards and operators (`flask --app app <command>`)."""

import datetime as dt
import json
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import search
from .accounts import passwords
from .accounts import tokens
from .accounts.permissions import ROLES
from .catalog import export, organizations
from .catalog.csvfile import write_csv
from .catalog.fields import FIELD_NAMES, SITE_FILE_COLUMNS
from .catalog.importer import EXIT_UNUSABLE, import_programs
from .catalog.validation import clean_text
from .geo import geodata, places
from .links import public_url
from .db import open_database
from .db.accounts import issue_token
from .db.audit import account_created, now, process_actor
from .geo.postcodes import locate


def open_db():
    return open_database(current_app.config)


def run_import(db, path, sites_path=None, dry_run=False, index=True):
    """Import a file with the app's vocabulary and limits; print and return the report.

    The search index then applies every change the import committed.
    """
    started = time.perf_counter()
    boundaries = places.load(current_app.instance_path)
    report = import_programs(
        db,
        path,
        vocabularies=current_app.extensions["atlas.vocabularies"],
        locate=locate,
        today=dt.date.today(),
        max_bytes=current_app.config["ATLAS_IMPORT_MAX_BYTES"],
        sites_path=sites_path,
        dry_run=dry_run,
        place=boundaries.place if boundaries else None,
        misplaced=boundaries.misplaced if boundaries else None,
    )
    for line in report.lines():
        click.echo(line)
    changed = report.inserted + report.updated
    if index and changed and not dry_run:
        applied = search.after_commit(current_app, db, timeout=search.WRITE_TIMEOUT_SECONDS)
        if search.lag(current_app, db):
            click.echo("The search index was busy: the site applies these changes within seconds.")
        else:
            click.echo(f"Search index updated: {applied} programs.")
    if report.exit_code != EXIT_UNUSABLE:
        click.echo(f"Took {time.perf_counter() - started:.2f} s.")
    return report


@click.command("init-db")
@with_appcontext
@click.option("--reload", is_flag=True, help="Re-import the bundled data even if the catalogue has programs.")
def init_db(reload):
    """Create the database and load the bundled Toronto data (data/programs.csv, data/sites.csv).

    Does nothing to an existing catalogue unless --reload is given, so edits are never lost.
    """
    db = open_db()
    applied = db.migrate()
    if applied:
        click.echo(f"Database schema migrated: {', '.join(applied)}.")
    if db.catalog.count_programs() and not reload:
        click.echo(f"The catalogue already holds {db.catalog.count_programs()} programs; nothing to do.")
        return
    data = Path(current_app.config["ATLAS_DATA_PATH"])
    exit_code = 0
    if (data / "organizations.csv").exists():  # first, so listings take their organizations' names
        exit_code = run_organizations_import(db, data / "organizations.csv").exit_code
    report = run_import(db, data / "programs.csv", data / "sites.csv", index=False)
    exit_code = max(exit_code, report.exit_code)
    count = search.rebuild(current_app, db)
    click.echo(f"Search index built: {count} programs.")
    db.close()
    sys.exit(exit_code)


@click.command("import-programs")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sites", "sites_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A sites CSV (program_id, address, postal_code, latitude, longitude) listing further sites.")
@click.option("--dry-run", is_flag=True, help="Validate and report without writing anything.")
def import_programs_command(path, sites_path, dry_run):
    """Import or update programs from a CSV file and report every row that was rejected.

    Exit status: 0 when every row was taken, 1 when any row was rejected, 2 when the file is
    unusable.
    """
    db = open_db()
    report = run_import(db, path, sites_path, dry_run)
    db.close()
    sys.exit(report.exit_code)


@click.command("import-organizations")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and report without writing anything.")
def import_organizations_command(path, dry_run):
    """Import or update organizations (description, contact, main address, provenance) from a CSV
    file, with the programs importer's rules and report.

    Exit status: 0 when every row was taken, 1 when any row was rejected, 2 when the file is
    unusable.
    """
    with open_db() as db:
        report = run_organizations_import(db, path, dry_run)
    sys.exit(report.exit_code)


def run_organizations_import(db, path, dry_run=False):
    report = organizations.import_organizations(
        db, path, vocabularies=current_app.extensions["atlas.vocabularies"], locate=locate,
        today=dt.date.today(), max_bytes=current_app.config["ATLAS_IMPORT_MAX_BYTES"], dry_run=dry_run,
    )
    for line in report.lines():
        click.echo(line)
    if report.inserted or report.updated:
        search.after_commit(current_app, db, timeout=search.WRITE_TIMEOUT_SECONDS)
    return report


@click.command("export-programs")
@with_appcontext
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson"]), default="csv", show_default=True,
              help="csv is the import format; geojson has one point per site.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--sites", "sites_output", type=click.Path(dir_okay=False, path_type=Path),
              help="With csv: also write further sites to this file, as sites.csv.")
def export_programs(fmt, output, sites_output):
    """Export the catalogue. CSV cells that a spreadsheet would run as formulas are neutralised."""
    with open_db() as db:
        programs = db.catalog.all_programs()
    handle = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "csv":
            write_csv(handle, FIELD_NAMES, export.program_rows(programs))
        else:
            json.dump(export.geojson(programs), handle, ensure_ascii=False, indent=1)
    finally:
        if output:
            handle.close()
    if sites_output and fmt == "csv":
        with open(sites_output, "w", encoding="utf-8", newline="") as sites_handle:
            write_csv(sites_handle, SITE_FILE_COLUMNS, export.site_rows(programs))


@click.command("reindex")
@with_appcontext
def reindex():
    """Rebuild the search index from the database into a fresh folder, then swap it in.

    Searches keep using the old index until the new one is complete, and saves made while it
    runs are applied to the new one right after the swap.
    """
    with open_db() as db:
        total = db.catalog.count_programs()
        with click.progressbar(length=total, label="Indexing programs") as bar:
            count = search.rebuild(current_app, db, progress=bar.update)
    click.echo(f"Indexed {count} programs.")


@click.command("check-index")
@with_appcontext
def check_index():
    """Report any difference between the search index and the database (exit 1 if any)."""
    with open_db() as db:
        differences = search.check(current_app, db)
    for kind, ids in (("missing from the index", differences.missing),
                      ("in the index but not the database", differences.extra),
                      ("out of date in the index", differences.stale)):
        if ids:
            click.echo(f"{len(ids)} programs {kind}: {', '.join(ids[:20])}{' ...' if len(ids) > 20 else ''}")
    if differences.clean:
        click.echo("The search index matches the database.")
    else:
        click.echo("Run `flask --app app reindex` to rebuild it.")
    sys.exit(0 if differences.clean else 1)


@click.command("fetch-geodata")
@click.option("--if-missing", is_flag=True, help="Do nothing when the files are already in the instance folder.")
@with_appcontext
def fetch_geodata(if_missing):
    """Download the City's ward and neighbourhood boundaries and profiles, and Statistics
    Canada's postal districts, into the instance folder; verify them; then place every site.

    With ATLAS_GEO_MIRROR set, copies from that folder instead of downloading.
    """
    config = current_app.config
    if if_missing and geodata.all_present(current_app.instance_path):
        click.echo("The geodata is already in the instance folder.")
        return
    try:
        geodata.fetch_all(
            current_app.instance_path,
            mirror=config["ATLAS_GEO_MIRROR"] or None,
            ckan_url=config["ATLAS_CKAN_URL"],
            fsa_url=config["ATLAS_FSA_URL"],
            say=click.echo,
        )
    except geodata.GeodataError as error:
        click.echo(f"Could not fetch the geodata: {error}", err=True)
        sys.exit(1)
    with open_db() as db:
        placed, outside = place_all_sites(db)
        click.echo(f"Sites placed in wards: {placed}; outside the City's wards: {outside}.")
        if db.catalog.count_programs():
            search.rebuild(current_app, db)
            click.echo("Search index rebuilt with wards and neighbourhoods.")


def place_all_sites(db):
    """Give every located site in the catalogue its ward and neighbourhood."""
    boundaries = places.load(current_app.instance_path)
    sites = [s for s in db.catalog.all_sites() if s["latitude"] is not None]
    placements = boundaries.place([(s["latitude"], s["longitude"]) for s in sites])
    with db.write():
        db.catalog.set_places([(s["program_id"], s["position"], p) for s, p in zip(sites, placements)])
    outside = sum(1 for p in placements if p is None)
    return len(sites) - outside, outside


@click.command("create-user")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True, help="The person's name.")
@click.option("--role", type=click.Choice(ROLES), default="admin", show_default=True)
@click.option("--organization", "organization_id", default=None, help="Organization id, for members and editors.")
@click.password_option(help="The password (asked for when not given).")
@with_appcontext
def create_user(email, name, role, organization_id, password):
    """Create an active account, an administrator by default, from the command line."""
    name, name_problem = clean_text(name, 200)
    if name_problem or not name:
        click.echo(f"The name {name_problem or 'is empty'}.", err=True)
        sys.exit(1)
    reason = passwords.problem(password, email)
    if reason:
        click.echo(f"Password refused: {reason}.", err=True)
        sys.exit(1)
    with open_db() as db:
        if db.accounts.find_user(email):
            click.echo(f"An account for {email} already exists.", err=True)
            sys.exit(1)
        with db.write():
            account = {"email": email, "name": name, "password_hash": passwords.hash_password(password),
                       "role": role, "organization_id": organization_id, "status": "active", "created": now()}
            user_id = db.accounts.add_user(account)
            db.audit.record(process_actor("command:create-user"), "create", "user", user_id,
                            account_created(account), version=1)
    click.echo(f"Created {role} {email}.")


@click.command("migrate")
@with_appcontext
def migrate():
    """Apply pending database schema migrations and record them (safe to run at any time)."""
    with open_db() as db:
        applied = db.migrate()
        version = db.schema_version()
    if applied:
        click.echo(f"Applied {len(applied)} migrations: {', '.join(applied)}.")
    else:
        click.echo("The database schema is up to date.")
    click.echo(f"Schema version: {version}.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path):
    """Copy the database to PATH with SQLite's online backup (consistent while the site runs).

    The search index is not copied: an app started on the copy rebuilds it.
    """
    if path.exists():
        click.echo(f"{path} already exists; choose a new file name.", err=True)
        sys.exit(1)
    with open_db() as db:
        db.backup(path)
    click.echo(f"Backed up the database to {path}.")


@click.command("reset-link")
@with_appcontext
@click.argument("email")
def reset_link(email):
    """Print a one-time, one-hour password-reset link for an active account.

    For sites without a mail server: reset links are never written to the log.
    """
    with open_db() as db:
        user = db.accounts.find_user(email)
        if user is None or user["status"] != "active":
            click.echo(f"There is no active account for {email}.", err=True)
            sys.exit(1)
        token = db.issue_reset(user, process_actor("command:reset-link"), time.time())
    click.echo(public_url(current_app, "accounts.reset_password", token=token))


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", default="Made on the command line", show_default=True,
              help="What will use the token, so its owner knows which one to revoke.")
def create_token(email, name):
    """Print a new personal API token for an active account, once (only its digest is stored).

    Requests to /api/ with `Authorization: Bearer <token>` then act as that person. The owner sees
    and revokes it at /account/tokens.
    """
    name, problem = tokens.name_problem(name)
    if problem:
        click.echo(f"The name is refused: {problem}.", err=True)
        sys.exit(1)
    with open_db() as db:
        user = db.accounts.find_user(email)
        if user is None or user["status"] != "active":
            click.echo(f"There is no active account for {email}.", err=True)
            sys.exit(1)
        token = issue_token(db, user, name, process_actor("command:create-token"), now())
    click.echo(f"API token \"{name}\" for {user['email']}:")
    click.echo(token)
    click.echo("Store it now: it will not be shown again.")


COMMANDS = (init_db, migrate, import_programs_command, import_organizations_command, export_programs, reindex, check_index, fetch_geodata,
            create_user, backup, reset_link,
            create_token)


def register(app):
    for command in COMMANDS:
        app.cli.add_command(command)
