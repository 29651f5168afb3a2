"""What the referral pages and the referral API both do around a change: find a referral the
person may see, apply a command in one write, then tell people.

Email goes out after the commit, so a slow or absent mail server never holds the write lock
and a refused change never sends a message.
"""

import datetime as dt
from dataclasses import dataclass

from flask import abort, current_app, g
from flask_babel import gettext as _

from ... import mail, matching
from ...accounts.permissions import referral_sides
from ...db import VersionConflict, readings
from ...db.audit import user_actor
from ...referrals import commands, lifecycle
from ...referrals.boxes import BOXES, MAX_PAGE, OVERDUE_CHOICES, PER_PAGE
from ...referrals.commands import stamp
from ...referrals.deadlines import subtract_business_days
from ...referrals.lifecycle import RECEIVER, SENDER
from ..shared.context import (get_db, matching_catalogue, now, public_url, readings_file, today, vocabularies,
                              ward_at)
from ..shared.params import BadParameter, single
from . import forms



@dataclass(frozen=True)
class Box:
    """One page of an organization's incoming or outgoing referrals, as the page and the API
    show it."""

    name: str
    status: str | None
    program_id: str | None
    overdue: bool
    page: int
    rows: list  # as the box's side may see them
    total: int
    cutoff: dt.datetime  # sent before this and still unopened: overdue

    @property
    def pages(self):
        return max(1, -(-self.total // PER_PAGE))


def actor():
    return user_actor(g.user)


def visible(referral_id):
    """(referral, sides) for a referral this person's organization sent or received; 404 for
    anyone else, so an id from another organization says nothing about what exists."""
    referral = get_db().referrals.get(referral_id) if referral_id.isdigit() else None
    sides = referral_sides(g.user, referral)
    if not sides:
        abort(404)
    return referral, sides


def act(referral, sides, command, version=None, **params):
    """Apply a command (``app.referrals.commands``) to the referral in one write, as these
    sides, now; then tell people. Raises Refused, or VersionConflict when it changed since the
    ``version`` these sides were shown, having written nothing."""
    db = get_db()
    with db.write():
        current = db.referrals.current(referral["id"])
        shown = lifecycle.as_seen_by(current, sides)["version"]
        if version is not None and version != shown:
            raise VersionConflict("referral", referral["id"], version, shown)
        _version, notified = db.referrals.store(current, command(current, sides, now(), **params), actor())
    tell(notified, referral["id"])


def send(record):
    """Send a new referral; its id."""
    db = get_db()
    with db.write():
        referral_id, notified = db.referrals.add(commands.send(record, now()), actor())
    tell(notified, referral_id)
    return referral_id


def tell(people, referral_id):
    """Email the people told about a change, linking to the referral and nothing more."""
    if people:
        mail.referral_notice(current_app.config, people, public_url("referrals.detail", referral_id=referral_id))


def view(referral, sides):
    """Opening a referral: an audit row every time; the receiver's first opening is "received";
    the person's notifications about it are read. Written without waiting on a long write
    (``app.db.readings``)."""
    at = stamp(now())
    found = [readings.Reading("view", at, actor(), {"referral_id": referral["id"]})]
    if "receiver" in sides and not referral["received_at"]:
        found.append(readings.Reading("received", at, actor(), {"referral_id": referral["id"]}))
    found.append(readings.Reading("read", at, actor(), {"user_id": g.user["id"], "referral_id": referral["id"]}))
    readings.record(get_db(), readings_file(), found)


def read_box(args):
    """The page of referrals the filters in ``args`` ask for, each filter checked (a bad one is
    a 400 naming it), the list's audit row written."""
    name, status, program_id, overdue, page = box_args(args)
    organization = g.user["organization_id"]
    cutoff = overdue_cutoff()
    rows, total = get_db().referrals.box(organization, name, status, program_id, cutoff if overdue else None,
                                         (page - 1) * PER_PAGE, PER_PAGE)
    record_list(organization, name, rows)
    seen = [lifecycle.as_seen_by(row, sides_of_box(name)) for row in rows]
    return Box(name, status, program_id, overdue, page, seen, total, cutoff)


def sides_of_box(name):
    """The side an organization is on for the referrals in its incoming or outgoing box."""
    return {RECEIVER} if name == "incoming" else {SENDER}


def box_args(args):
    box = single(args, "box") or "incoming"
    if box not in BOXES:
        raise BadParameter("box", _("Choose incoming or outgoing."))
    status = single(args, "status") or None
    if status and status not in lifecycle.STATUSES:
        raise BadParameter("status", _("There is no status called “%(status)s”.", status=status[:40]))
    page = single(args, "page") or "1"
    if not (page.isascii() and page.isdigit() and 0 < int(page) <= MAX_PAGE):
        raise BadParameter("page", _("Give the page as a whole number from 1 to %(highest)d.", highest=MAX_PAGE))
    overdue = OVERDUE_CHOICES.get(single(args, "overdue") or "")
    if overdue is None:
        raise BadParameter("overdue", _("Give overdue as 1 (only overdue referrals) or 0."))
    return box, status, (single(args, "program") or "").strip() or None, overdue, int(page)


def failed_rules(program, needs):
    """The program's own rules the client's needs fail (from the matching engine)."""
    if not needs:
        return []
    profile = forms.profile_of(needs, vocabularies(), ward_at)
    result = matching.match(matching_catalogue(), profile, vocabularies(), today())
    for exclusion in result.excluded:
        if exclusion.program["id"] == program["id"]:
            return list(exclusion.rules)
    return []


def shown_timeline(referral, sides):
    """The referral's timeline as these sides may see it."""
    return [event for event in get_db().referrals.timeline(referral["id"])
            if lifecycle.event_shown(event, referral, sides)]


def record_list(organization, box, rows):
    """A list of referrals shows their client references: the audit row names each one shown,
    so "who saw this client's referral" has an answer."""
    readings.record(get_db(), readings_file(), [readings.Reading(
        "list", stamp(now()), actor(), {"organization": organization, "box": box, "ids": [row["id"] for row in rows]})])


def overdue_cutoff(moment=None):
    return subtract_business_days(moment or now(), current_app.config["ATLAS_REFERRAL_OVERDUE_DAYS"])
