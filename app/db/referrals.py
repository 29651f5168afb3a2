"""Referrals, their timelines and the notifications they raise, kept together.

Every change goes through one method that checks the lifecycle's rules and the version inside
the write transaction, appends a timeline event and an audit entry, and notifies the other
side: so no path can move a referral without leaving its trace, and two workers moving the same
referral at once cannot both win. Call the changing methods inside ``Database.write()``.

Client details (reference, note, needs, free-text comments) stay in the referrals table: they
never go into the audit log, the timeline's action names or a notification.
"""

import datetime as dt
import json

from ..referrals import lifecycle
from ..referrals.lifecycle import CLOSED, PROGRESS, RECEIVER, SENDER, SYSTEM, Refused, Refusal
from ..referrals.retention import CLIENT_COLUMNS, EVENT_COLUMNS
from .catalog import VersionConflict

SENDING_ROLES = ("member", "editor")
LIST_COLUMNS = (
    "r.id, r.program_id, p.name AS program_name, r.sender_org, so.name AS sender_name, r.receiver_org, "
    "ro.name AS receiver_name, r.client_ref, r.status, r.share_progress, r.created, r.updated, "
    "r.received_at, r.version"
)
_JOINS = (
    "FROM referrals r JOIN programs p ON p.id = r.program_id "
    "LEFT JOIN organizations so ON so.id = r.sender_org LEFT JOIN organizations ro ON ro.id = r.receiver_org"
)


def stamp(now):
    return now.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


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

    # Sending and moving

    def send(self, actor, referral, now):
        """Record a new referral (a dict of the referral's columns); returns its id and the
        accounts notified."""
        at = stamp(now)
        row = dict(referral, status="requested", sender_status="requested", created=at, updated=at, version=1,
                   needs=json.dumps(referral.get("needs") or {}, ensure_ascii=False))
        referral_id = self.c.db["referrals"].insert(row).last_pk
        self._event(referral_id, actor, SENDER, "requested", None, "requested", at=at, version=1)
        self.audit.record(actor, "send", "referral", referral_id,
                          {"status": [None, "requested"], "program_id": [None, referral["program_id"]]}, 1)
        return referral_id, self._notify(referral["receiver_org"], referral_id, "new", at)

    def move(self, referral_id, after, sides, actor, now, expected_version=None, reason=None, reason_text=None):
        """Move a referral to ``after`` on behalf of ``sides``; returns (new version, notified).

        Raises Refused when the rules refuse the move and VersionConflict when the referral
        changed since ``expected_version``: either way nothing is written.
        """
        current = self._current(referral_id, expected_version)
        refusal = lifecycle.check_move(current["status"], after, sides, reason, reason_text)
        if refusal:
            raise Refused(refusal)
        side = lifecycle.mover(current["status"], after)
        if side == RECEIVER and current["consent_withdrawn_at"]:
            raise Refused(Refusal("conflict", lifecycle.CONSENT_WITHDRAWN, "status"))
        if side == RECEIVER:
            self.mark_received(referral_id, actor, now)  # answering it is opening it
        return self._apply_move(current, after, side, actor, now, reason, reason_text)

    def _apply_move(self, current, after, side, actor, now, reason=None, reason_text=None):
        at = stamp(now)
        values = {"status": after, "reason": reason if after in lifecycle.NEEDS_REASON else None,
                  "reason_text": (reason_text or "").strip() or None if reason == "other" else None,
                  "updated": at}
        if current["status"] == "requested" and after in ("accepted", "rejected"):
            values["decided_at"] = at
        if after in CLOSED and not current["closed_at"]:
            values["closed_at"] = at
        version = self._update(current, values)
        self._event(current["id"], actor, side, after, current["status"], after, values["reason"],
                    values["reason_text"], at, version)
        self.audit.record(actor, "move", "referral", current["id"],
                          {"status": [current["status"], after], **({"reason": [None, reason]} if values["reason"] else {})},
                          version)
        notified = []
        for organization in self._others(current, side):
            if organization == current["sender_org"] and not current["share_progress"] and after in PROGRESS:
                continue  # the client did not agree to progress reports
            notified += self._notify(organization, current["id"], "status", at)
        return version, notified

    def _update(self, current, values):
        """Write ``values`` if nobody else wrote since ``current`` was read; the new version."""
        if "status" in values:
            values = dict(values, sender_status=lifecycle.visible_status(
                values["status"], current["share_progress"], {SENDER}))
        assignments = "".join(f"[{name}] = ?, " for name in values)
        row = self.c.execute(
            f"UPDATE referrals SET {assignments}version = version + 1 WHERE id = ? AND version = ? RETURNING version",
            [*values.values(), current["id"], current["version"]],
        ).fetchone()
        if row is None:
            raise VersionConflict("referral", current["id"], current["version"], None)
        return row[0]

    def record_outcome(self, referral_id, sides, actor, now, outcome, outcome_text=None, expected_version=None):
        current = self._current(referral_id, expected_version)
        if RECEIVER not in sides:
            raise Refused(Refusal("forbidden", lifecycle.RECEIVER_ONLY, "outcome"))
        if current["consent_withdrawn_at"]:
            raise Refused(Refusal("conflict", lifecycle.CONSENT_WITHDRAWN, "outcome"))
        refusal = lifecycle.check_outcome(current["status"], outcome, outcome_text)
        if refusal:
            raise Refused(refusal)
        at = stamp(now)
        text = (outcome_text or "").strip() or None if outcome == "other" else None
        version = self._update(current, {"outcome": outcome, "outcome_text": text, "updated": at})
        self._event(referral_id, actor, RECEIVER, "outcome", current["status"], current["status"], outcome, None, at, version)
        self.audit.record(actor, "outcome", "referral", referral_id, {"outcome": [current["outcome"], outcome]}, version)
        notified = self._notify(current["sender_org"], referral_id, "outcome", at) if current["share_progress"] else []
        return version, notified

    def give_feedback(self, referral_id, sides, actor, now, fit_rating=None, fit_comment=None,
                      appropriate=None, appropriate_comment=None):
        """The sender rates the fit (1-5); the receiver says whether the referral was appropriate.
        Only after completion or failure; each side writes only its own fields."""
        current = self._current(referral_id)
        if lifecycle.as_seen_by(current, sides)["status"] not in ("completed", "failed"):
            raise Refused(Refusal("conflict", lifecycle.FEEDBACK_TOO_EARLY, "status"))
        if RECEIVER in sides and SENDER not in sides and current["consent_withdrawn_at"]:
            raise Refused(Refusal("conflict", lifecycle.CONSENT_WITHDRAWN, "appropriate"))
        values, changes, event_sides = {}, {}, []
        if SENDER in sides and fit_rating is not None:
            values.update(fit_rating=fit_rating, fit_comment=fit_comment or None)
            changes["fit_rating"] = [current["fit_rating"], fit_rating]
            event_sides.append(SENDER)
        if RECEIVER in sides and appropriate is not None:
            values.update(appropriate=int(appropriate), appropriate_comment=appropriate_comment or None)
            changes["appropriate"] = [current["appropriate"], int(appropriate)]
            event_sides.append(RECEIVER)
        if not values:
            raise Refused(Refusal("invalid", lifecycle.FEEDBACK_MISSING, "fit_rating"))
        at = stamp(now)
        version = self._update(current, {**values, "updated": at})
        notified = []
        for side in event_sides:
            self._event(referral_id, actor, side, "feedback", current["status"], current["status"], at=at, version=version)
            if side == RECEIVER and not current["share_progress"]:
                continue  # the sender may not hear how the client did
            other = current["receiver_org"] if side == SENDER else current["sender_org"]
            notified += self._notify(other, referral_id, "feedback", at)
        self.audit.record(actor, "feedback", "referral", referral_id, changes, version)
        return version, notified

    def withdraw_consent(self, referral_id, sides, actor, now):
        """The client withdrew consent: an open referral is cancelled, and the program can record
        nothing more (what it reported before stays, as the client had agreed to it then)."""
        current = self._current(referral_id)
        if SENDER not in sides:
            raise Refused(Refusal("forbidden", lifecycle.SENDER_ONLY, "consent"))
        if current["consent_withdrawn_at"]:
            raise Refused(Refusal("conflict", lifecycle.CONSENT_WITHDRAWN, "consent"))
        at = stamp(now)
        status = current["status"]
        values = {"consent_withdrawn_at": at, "updated": at}
        if status not in CLOSED:
            values.update(status="cancelled", reason="consent-withdrawn", reason_text=None, closed_at=at)
        version = self._update(current, values)
        self._event(referral_id, actor, SENDER, "consent-withdrawn", status, values.get("status", status),
                    values.get("reason"), at=at, version=version)
        self.audit.record(actor, "withdraw-consent", "referral", referral_id,
                          {"status": [status, values.get("status", status)]}, version)
        return version, self._notify(current["receiver_org"], referral_id, "consent-withdrawn", at)

    def mark_received(self, referral_id, actor, now):
        """The receiver opened it for the first time: a timestamp on the timeline, not a status."""
        at = stamp(now)
        changed = self.c.execute(
            "UPDATE referrals SET received_at = ? WHERE id = ? AND received_at IS NULL", [at, referral_id]
        ).rowcount
        if changed:
            self._event(referral_id, actor, RECEIVER, "received", None, None, at=at)
        return bool(changed)

    def record_view(self, referral_id, actor):
        self.audit.record(actor, "view", "referral", referral_id, {})

    def _current(self, referral_id, expected_version=None):
        current = self.c.one("SELECT * FROM referrals WHERE id = ?", [referral_id])
        if current is None:
            raise LookupError(referral_id)
        if expected_version is not None and current["version"] != expected_version:
            raise VersionConflict("referral", referral_id, expected_version, current["version"])
        return current

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
            self._event(row["id"], actor, SYSTEM, "reminded", "requested", "requested", at=at)
            notified.append((self._notify(row["receiver_org"], row["id"], "reminder", at), row["id"]))
        return notified

    def expire(self, expire_before, now, actor):
        """Cancel, with the reason "no response", requests still waiting since before the cut-off,
        so the sender can refer elsewhere; returns (ids, [(accounts notified, referral id)])."""
        rows = self.c.query("SELECT * FROM referrals WHERE status = 'requested' AND created <= ?",
                            [stamp(expire_before)])
        notified = []
        for current in rows:
            _, told = self._apply_move(current, "cancelled", SYSTEM, actor, now, reason="no-response")
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

    def _event(self, referral_id, actor, side, action, from_status, to_status, reason=None, reason_text=None,
               at=None, version=None):
        self.c.db["referral_events"].insert({
            "referral_id": referral_id, "at": at, "user_id": actor.get("user_id"),
            "organization": actor.get("organization"), "side": side, "action": action,
            "from_status": from_status, "to_status": to_status, "reason": reason, "reason_text": reason_text,
            "version": version,
        })

    @staticmethod
    def _others(current, side):
        """The organizations to tell about a move made by ``side``."""
        if side == SENDER:
            return [current["receiver_org"]]
        if side == RECEIVER:
            return [current["sender_org"]]
        return [current["sender_org"], current["receiver_org"]]

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
