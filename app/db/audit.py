"""The append-only audit log: who changed what, when, written in the change's own transaction.

The table refuses UPDATE and DELETE (triggers), so nothing in the app can rewrite history.
``changes`` is ``{field: [old, new]}``; ``version`` is the record's version after the change.
"""

import datetime as dt
import json


def now():
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def user_actor(user):
    """The audit identity of a signed-in person."""
    return {"who": f"user:{user['id']}", "user_id": user["id"], "organization": user.get("organization_id")}


def account_created(account):
    """The changes that record a new account (sign-up or the create-user command)."""
    return {name: ["", account[name]] for name in ("email", "role", "status")}


def process_actor(label):
    """The audit identity of a command: an import names its file."""
    return {"who": label, "user_id": None, "organization": None}


class AuditLog:
    def __init__(self, connection):
        self.c = connection

    def record(self, actor, action, entity, entity_id, changes, version=None, at=None):
        self.c.db["audit_log"].insert(
            {"at": at or now(), **actor, "action": action, "entity": entity, "entity_id": str(entity_id),
             "version": version, "changes": json.dumps(changes, ensure_ascii=False)}
        )

    def record_many(self, entries):
        """Many entries at once (an import): dicts with the arguments of ``record``."""
        at = now()
        self.c.db["audit_log"].insert_all(
            ({"at": at, **entry["actor"], "action": entry["action"], "entity": entry["entity"],
              "entity_id": str(entry["entity_id"]), "version": entry.get("version"),
              "changes": json.dumps(entry["changes"], ensure_ascii=False)} for entry in entries),
            batch_size=500,
        )

    def history(self, entity, entity_id, after_version=None):
        """Entries for one record, newest first, with the person's name when one made them."""
        sql = (
            "SELECT audit_log.*, users.name AS user_name, users.email AS user_email FROM audit_log "
            "LEFT JOIN users ON users.id = audit_log.user_id WHERE audit_log.entity = ? AND audit_log.entity_id = ?"
        )
        params = [entity, str(entity_id)]
        if after_version is not None:
            sql += " AND audit_log.version > ?"
            params.append(after_version)
        rows = self.c.query(sql + " ORDER BY audit_log.id DESC", params)
        for row in rows:
            row["changes"] = json.loads(row["changes"])
        return rows

    def count(self, entity=None):
        if entity:
            return self.c.scalar("SELECT count(*) FROM audit_log WHERE entity = ?", [entity])
        return self.c.scalar("SELECT count(*) FROM audit_log")
