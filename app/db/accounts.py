"""People's accounts, their server-side sessions, sign-in attempts and password resets."""

import sqlite3

from ..accounts import tokens
from .connection import is_busy

TOUCH_WAIT_MS = 50  # a request never waits on a long write only to stamp when a token was last used


class Accounts:
    def __init__(self, connection):
        self.c = connection

    def get_user(self, user_id):
        return self.c.one("SELECT * FROM users WHERE id = ?", [user_id])

    def find_user(self, email):
        return self.c.one("SELECT * FROM users WHERE email = ?", [email.strip().lower()])

    def users(self, status=None):
        if status:
            return self.c.query("SELECT * FROM users WHERE status = ? ORDER BY id", [status])
        return self.c.query("SELECT * FROM users ORDER BY id")

    def count_active_admins(self):
        return self.c.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'")

    def add_user(self, user):
        """Insert a user (inside ``write()``); returns its id."""
        row = dict(user, email=user["email"].strip().lower(), version=1)
        row.setdefault("session_version", 0)
        return self.c.db["users"].insert(row).last_pk

    def update_user(self, user_id, **values):
        """Write the given columns; returns the account's new version."""
        assignments = "".join(f"[{name}] = ?, " for name in values)
        return self.c.execute(
            f"UPDATE users SET {assignments}version = version + 1 WHERE id = ? RETURNING version",
            [*values.values(), user_id],
        ).fetchone()[0]

    # Sessions

    def start_session(self, session_hash, user_id, created, expires):
        self.c.db["sessions"].insert({"id": session_hash, "user_id": user_id, "created": created, "expires": expires})
        self.c.execute("DELETE FROM sessions WHERE expires < ?", [created])

    def session_user(self, session_hash, now):
        """The user id of a live session, or None when it ended or expired."""
        return self.c.scalar("SELECT user_id FROM sessions WHERE id = ? AND expires >= ?", [session_hash, now])

    def end_session(self, session_hash):
        self.c.execute("DELETE FROM sessions WHERE id = ?", [session_hash])

    def end_sessions(self, user_id):
        """End every session of a user (a password reset, disabling the account)."""
        self.c.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])
        self.c.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])

    # Sign-in attempts

    def count_attempts(self, key, since):
        return self.c.scalar("SELECT count(*) FROM login_attempts WHERE key = ? AND at > ?", [key, since])

    def record_attempt(self, keys, at):
        self.c.db["login_attempts"].insert_all({"key": key, "at": at} for key in keys)

    def forget_attempt(self, keys, at):
        """Take back attempts recorded at ``at`` (a sign-in that turned out right)."""
        for key in keys:
            self.c.execute("DELETE FROM login_attempts WHERE rowid IN "
                           "(SELECT rowid FROM login_attempts WHERE key = ? AND at = ? LIMIT 1)", [key, at])

    def clear_attempts(self, key):
        self.c.execute("DELETE FROM login_attempts WHERE key = ?", [key])

    # Password resets

    def add_reset(self, token_hash, user_id, expires):
        self.c.db["password_resets"].insert({"token_hash": token_hash, "user_id": user_id, "expires": expires})

    def take_reset(self, token_hash, now):
        """The user id of a valid reset token, consuming it; None when unknown or expired."""
        row = self.c.one("SELECT * FROM password_resets WHERE token_hash = ?", [token_hash])
        self.c.execute("DELETE FROM password_resets WHERE token_hash = ? OR expires < ?", [token_hash, now])
        return row["user_id"] if row and row["expires"] >= now else None

    # Personal API tokens

    def add_token(self, user_id, name, token_hash, created):
        """Store a new token by its digest (inside ``write()``); returns its id."""
        return self.c.db["api_tokens"].insert(
            {"user_id": user_id, "name": name, "token_hash": token_hash, "created": created}
        ).last_pk

    def tokens(self, user_id):
        """A person's tokens, newest first, without their digests (nothing a page needs)."""
        return self.c.query(
            "SELECT id, name, created, last_used, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
            [user_id],
        )

    def revoke_token(self, token_id, user_id, at):
        """Revoke one of the person's own live tokens (inside ``write()``); returns whether it did.

        Someone else's token, an unknown one and one already revoked are all simply not revoked.
        """
        return self.c.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
            [at, token_id, user_id],
        ).rowcount == 1

    def token_user(self, token_hash, now, touch_after):
        """The active person a live token belongs to, or None (unknown, revoked, account not active).

        ``now`` and ``touch_after`` are audit-style UTC timestamps: ``last_used`` is written only
        when it is older than ``touch_after``, so a busy client does not take the write lock on
        every request.
        """
        token = self.c.one("SELECT id, user_id, last_used FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                           [token_hash])
        user = self.get_user(token["user_id"]) if token else None
        if user is None or user["status"] != "active":
            return None
        if token["last_used"] is None or token["last_used"] < touch_after:
            try:
                with self.c.write(busy_timeout_ms=TOUCH_WAIT_MS):
                    self.c.execute("UPDATE api_tokens SET last_used = ? WHERE id = ?", [now, token["id"]])
            except sqlite3.OperationalError as error:
                if not is_busy(error):
                    raise  # a long import holding the write lock only delays the stamp, a courtesy
        return user


def issue_token(db, user, name, actor, created):
    """A new personal API token for ``user``, stored as its digest with an audit entry (neither
    the token nor its digest goes into the log); returned so it can be shown once."""
    token = tokens.new_token()
    with db.write():
        token_id = db.accounts.add_token(user["id"], name, tokens.digest(token), created)
        db.audit.record(actor, "create", "api_token", token_id, {"name": ["", name], "user_id": ["", user["id"]]})
    return token
