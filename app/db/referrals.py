"""Referrals, their timelines and the notifications they raise, kept together.

The rules live in ``app.referrals.commands``: a command decides a change, and ``store`` writes
it with its version check, its timeline events, its audit entry and its notifications, inside
the write transaction that read the referral. So no path can move a referral without leaving
its trace, and two workers moving the same referral at once cannot both win. Call the changing
methods inside ``Database.write()``.

Client details (reference, note, needs, free-text comments) stay in the referrals table: they
never go into the audit log, the timeline's action names or a notification.
"""

import json

from ..referrals import commands, lifecycle
from ..referrals.commands import Event, stamp
from ..referrals.lifecycle import RECEIVER, SYSTEM
from ..referrals.retention import CLIENT_COLUMNS, EVENT_COLUMNS
from .catalog import VersionConflict

SENDING_ROLES = ("member", "editor")
LIST_COLUMNS = (
    "r.id, r.program_id, p.name AS program_name, r.sender_org, so.name AS sender_name, r.receiver_org, "
    "ro.name AS receiver_name, r.client_ref, r.status, r.sender_status, r.share_progress, r.created, r.updated, "
    "r.received_at, r.version, r.sender_version, r.sender_updated"
)
_JOINS = (
    "FROM referrals r JOIN programs p ON p.id = r.program_id "
    "LEFT JOIN organizations so ON so.id = r.sender_org LEFT JOIN organizations ro ON ro.id = r.receiver_org"
)


class Referrals:
    def __init__(self, connection, audit):
        self.c = connection
        self.audit = audit

    # Reading

    def get(self, referral_id):
        row = self.c.one(
            f"SELECT r.*, p.name AS program_name, so.name AS sender_name, ro.name AS receiver_name, "
            f"u.name AS sender_user_name {_JOINS} LEFT JOIN users u ON u.id = r.sender_user_id WHERE r.id = ?",
            [referral_id],
        )
        if row:
            row["needs"] = json.loads(row["needs"]) if row["needs"] else {}
        return row

    def timeline(self, referral_id):
        return self.c.query(
            "SELECT e.*, u.name AS user_name, o.name AS organization_name FROM referral_events e "
            "LEFT JOIN users u ON u.id = e.user_id LEFT JOIN organizations o ON o.id = e.organization "
            "WHERE e.referral_id = ? ORDER BY e.id",
            [referral_id],
        )

    def box(self, organization_id, box, status=None, program_id=None, overdue_before=None, offset=0, limit=20):
        """One page of an organization's incoming or outgoing referrals, newest first, and the
        total. ``overdue_before``: only unopened requests sent before this moment."""
        where, params = self._box_filter(organization_id, box, status, program_id, overdue_before)
        total = self.c.scalar(f"SELECT count(*) FROM referrals r WHERE {where}", params)
        rows = self.c.query(
            f"SELECT {LIST_COLUMNS} {_JOINS} WHERE {where} ORDER BY r.id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return rows, total

    def _box_filter(self, organization_id, box, status, program_id, overdue_before):
        column = "r.receiver_org" if box == "incoming" else "r.sender_org"
        where, params = [f"{column} = ?"], [organization_id]
        if status:  # the sender filters on the status as they see it
            where.append("r.status = ?" if box == "incoming" else "r.sender_status = ?")
            params.append(status)
        if program_id:
            where.append("r.program_id = ?")
            params.append(program_id)
        if overdue_before is not None:
            where.append("r.status = 'requested' AND r.received_at IS NULL AND r.created <= ?")
            params.append(stamp(overdue_before))
        return " AND ".join(where), params

    def box_programs(self, organization_id, box):
        """The programs an organization's box can be filtered by: (id, name)."""
        if box == "incoming":
            return self.c.query("SELECT id, name FROM programs WHERE organization_id = ? ORDER BY name",
                                [organization_id])
        # One index step per distinct program rather than a pass over every referral sent.
        return self.c.query(
            "WITH RECURSIVE sent(id) AS ("
            " SELECT min(program_id) FROM referrals WHERE sender_org = :org"
            " UNION ALL SELECT (SELECT min(program_id) FROM referrals WHERE sender_org = :org AND program_id > sent.id)"
            " FROM sent WHERE sent.id IS NOT NULL)"
            " SELECT p.id, p.name FROM programs p JOIN sent ON sent.id = p.id ORDER BY p.name",
            {"org": organization_id})

    def count_by_status(self):
        """Aggregate counts for convenors and administrators: no client detail."""
        return {row["status"]: row["n"] for row in
                self.c.query("SELECT status, count(*) AS n FROM referrals GROUP BY status")}

    def members(self, organization_id):
        """Active accounts that act for an organization's referrals."""
        marks = ",".join("?" for _ in SENDING_ROLES)
        return self.c.query(
            f"SELECT id, email FROM users WHERE organization_id = ? AND status = 'active' AND role IN ({marks})",
            [organization_id, *SENDING_ROLES],
        )

    # Storing what a command decided (app.referrals.commands)

    def current(self, referral_id):
        """The referral as stored, read inside the write that will change it."""
        current = self.c.one("SELECT * FROM referrals WHERE id = ?", [referral_id])
        if current is None:
            raise LookupError(referral_id)
        return current

    def add(self, change, actor):
        """Store a new referral; returns its id and the accounts to tell."""
        row = dict(change.values, needs=json.dumps(change.values.get("needs") or {}, ensure_ascii=False))
        referral_id = self.c.db["referrals"].insert(row).last_pk
        return referral_id, self._record(referral_id, change, actor, row["version"])

    def store(self, current, change, actor):
        """Write a change to ``current`` if nobody else wrote since it was read; returns the new
        version and the accounts to tell."""
        version = self._update(current, change.values)
        return version, self._record(current["id"], change, actor, version)

    def _record(self, referral_id, change, actor, version):
        """The change's timeline events, audit entry and notifications."""
        for event in change.events:
            self._event(referral_id, actor, event, change.at, version if event.versioned else None)
        self.audit.record(actor, change.action, "referral", referral_id, change.audit, version)
        notified = []
        for notice in change.notices:
            notified += self._notify(notice.organization, referral_id, notice.kind, change.at)
        return notified

    def _update(self, current, values):
        assignments = "".join(f"[{name}] = ?, " for name in values)
        row = self.c.execute(
            f"UPDATE referrals SET {assignments}version = version + 1 WHERE id = ? AND version = ? RETURNING version",
            [*values.values(), current["id"], current["version"]],
        ).fetchone()
        if row is None:
            raise VersionConflict("referral", current["id"], current["version"], None)
        return row[0]

    def mark_received(self, referral_id, actor, now):
        """The receiver opened it for the first time: a timestamp on the timeline, not a status."""
        at = stamp(now)
        changed = self.c.execute(
            "UPDATE referrals SET received_at = ? WHERE id = ? AND received_at IS NULL", [at, referral_id]
        ).rowcount
        if changed:
            self._event(referral_id, actor, Event(RECEIVER, "received", versioned=False), at)
        return bool(changed)

    def record_view(self, referral_id, actor, at=None):
        self.audit.record(actor, "view", "referral", referral_id, {}, at=at)

    # Deadlines

    def remind_overdue(self, overdue_before, now, actor):
        """Remind the receiving organization, once, of each request unopened since before the
        cut-off; returns [(accounts notified, referral id)]."""
        at = stamp(now)
        rows = self.c.query(
            "SELECT id, receiver_org FROM referrals WHERE status = 'requested' AND received_at IS NULL "
            "AND reminded_at IS NULL AND created <= ?", [stamp(overdue_before)])
        notified = []
        for row in rows:
            self.c.execute("UPDATE referrals SET reminded_at = ? WHERE id = ?", [at, row["id"]])
            self._event(row["id"], actor, Event(SYSTEM, "reminded", "requested", "requested", versioned=False), at)
            notified.append((self._notify(row["receiver_org"], row["id"], "reminder", at), row["id"]))
        return notified

    def expire(self, expire_before, now, actor):
        """Cancel, with the reason "no response", requests still waiting since before the cut-off,
        so the sender can refer elsewhere; returns (ids, [(accounts notified, referral id)])."""
        rows = self.c.query("SELECT * FROM referrals WHERE status = 'requested' AND created <= ?",
                            [stamp(expire_before)])
        notified = []
        for current in rows:
            _, told = self.store(current, commands.expire(current, now), actor)
            notified.append((told, current["id"]))
        return [row["id"] for row in rows], notified

    # Statistics (no client detail)

    def program_referrals(self, program_id, since):
        return self.c.query(
            "SELECT created, decided_at, status, reason, fit_rating, "
            "(decided_at IS NOT NULL AND status NOT IN ('rejected', 'entered-in-error')) AS accepted "
            "FROM referrals WHERE program_id = ? AND created >= ? AND status != 'entered-in-error'",
            [program_id, stamp(since)],
        )

    def chains_of(self, organization_id):
        """Referrals an organization sent or received, and every later referral along their
        chains: what crediting contributed outcomes needs."""
        return self.c.query(
            "WITH RECURSIVE chain(id) AS ("
            " SELECT id FROM referrals WHERE sender_org = ? OR receiver_org = ?"
            " UNION SELECT r.id FROM referrals r JOIN chain ON r.parent_id = chain.id)"
            " SELECT r.id, r.parent_id, r.sender_org, r.receiver_org, r.status, r.outcome, r.share_progress,"
            " (r.decided_at IS NOT NULL AND r.status NOT IN ('rejected', 'entered-in-error')) AS accepted"
            " FROM referrals r JOIN chain ON chain.id = r.id",
            [organization_id, organization_id],
        )

    # Retention

    def due_for_purge(self, closed_before):
        return self.c.query(
            "SELECT id, status, closed_at FROM referrals WHERE closed_at IS NOT NULL AND closed_at < ? "
            "AND anonymised_at IS NULL ORDER BY id", [stamp(closed_before)])

    def open_since(self, before):
        """Referrals still open that were last changed before this moment: they hold client
        details but never close, so retention never reaches them."""
        marks = ",".join("?" for _ in lifecycle.OPEN)
        return self.c.query(
            f"SELECT id, status, updated FROM referrals WHERE status IN ({marks}) AND updated < ? ORDER BY id",
            [*sorted(lifecycle.OPEN), stamp(before)])

    def anonymise(self, referral_ids, actor, now):
        at = stamp(now)
        blank = "".join(f"[{name}] = NULL, " for name in CLIENT_COLUMNS)
        event_blank = ", ".join(f"[{name}] = NULL" for name in EVENT_COLUMNS)
        for referral_id in referral_ids:
            self.c.execute(f"UPDATE referrals SET {blank}anonymised_at = ? WHERE id = ?", [at, referral_id])
            self.c.execute(f"UPDATE referral_events SET {event_blank} WHERE referral_id = ?", [referral_id])
            self.audit.record(actor, "anonymise", "referral", referral_id, {})

    # Events and notifications

    def _event(self, referral_id, actor, event, at, version=None):
        self.c.db["referral_events"].insert({
            "referral_id": referral_id, "at": at, "user_id": actor.get("user_id"),
            "organization": actor.get("organization"), "side": event.side, "action": event.action,
            "from_status": event.from_status, "to_status": event.to_status, "reason": event.reason,
            "reason_text": event.reason_text, "version": version,
        })

    def _notify(self, organization_id, referral_id, kind, at):
        """An in-app notification for each member of the organization; returns their accounts
        (id, email) so a message can be sent once the change is committed."""
        people = self.members(organization_id)
        self.c.db["notifications"].insert_all(
            {"user_id": person["id"], "referral_id": referral_id, "kind": kind, "at": at} for person in people
        )
        return people

    def unread(self, user_id, limit=20):
        return self.c.query(
            "SELECT n.id, n.referral_id, n.kind, n.at FROM notifications n WHERE n.user_id = ? "
            "AND n.read_at IS NULL ORDER BY n.id DESC LIMIT ?", [user_id, limit])

    def count_unread(self, user_id):
        return self.c.scalar("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", [user_id])

    def mark_read(self, user_id, referral_id, now):
        self.c.execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND referral_id = ? "
                       "AND read_at IS NULL", [stamp(now), user_id, referral_id])
