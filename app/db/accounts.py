"""People's accounts, their server-side sessions, sign-in attempts and password resets."""


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
