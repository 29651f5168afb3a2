"""Commands for the referral deadlines and retention (`flask --app app <command>`).

Server workers apply the deadlines on their own every few minutes; the command is for a site
that wants them at a fixed time (cron), and for checking what would happen on a given day.
"""

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from . import mail, referral_tasks
from .db import open_database


def _moment(value):
    if not value:
        return dt.datetime.now(dt.timezone.utc)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        click.echo(f"--now: {value!r} is not a date and time such as 2026-11-30T09:00:00-05:00.", err=True)
        sys.exit(2)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@click.command("referral-deadlines")
@click.option("--now", "at", default=None, help="Act as if it were this moment (ISO 8601); for checking.")
@with_appcontext
def referral_deadlines(at):
    """Remind programs, once, of referrals unopened for ATLAS_REFERRAL_OVERDUE_DAYS business days,
    and cancel (reason "no response") those still requested after ATLAS_REFERRAL_EXPIRE_DAYS."""
    with open_database(current_app.config) as db:
        run = referral_tasks.run_deadlines(db, current_app._get_current_object(), _moment(at))
    mail.wait_for_delivery()
    click.echo(f"{run.reminded} reminded, {run.cancelled} cancelled for no response.")


@click.command("purge-referrals")
@click.option("--dry-run", is_flag=True, help="Say what would be anonymised, and change nothing.")
@click.option("--now", "at", default=None, help="Act as if it were this moment (ISO 8601); for checking.")
@with_appcontext
def purge_referrals(dry_run, at):
    """Anonymise referrals closed more than ATLAS_REFERRAL_RETENTION_DAYS ago: remove the client
    reference, note, needs and comments; keep dates, statuses and outcome for statistics."""
    with open_database(current_app.config) as db:
        due, stuck = referral_tasks.purge(db, current_app.config, _moment(at), dry_run)
    verb = "would be anonymised" if dry_run else "anonymised"
    noun = "referral" if len(due) == 1 else "referrals"
    click.echo(f"{len(due)} {noun} closed more than {current_app.config['ATLAS_REFERRAL_RETENTION_DAYS']} days "
               f"ago {verb}.")
    for row in due:
        click.echo(f"  referral {row['id']}: {row['status']}, closed {row['closed_at']}")
    if stuck:
        click.echo(f"{len(stuck)} still open but unchanged for as long, so never anonymised until closed: "
                   "ask their organizations to close them.")
        for row in stuck:
            click.echo(f"  referral {row['id']}: {row['status']}, last changed {row['updated']}")


COMMANDS = (referral_deadlines, purge_referrals)


def register(app):
    for command in COMMANDS:
        app.cli.add_command(command)
