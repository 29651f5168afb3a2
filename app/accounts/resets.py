"""Password-reset tokens: random, one-time, one hour; only their digest is stored."""

import hashlib
import secrets

LIFETIME_SECONDS = 60 * 60


def new_token():
    return secrets.token_urlsafe(32)


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(db, user, actor, now):
    """Store a new token for ``user`` (with an audit entry) and return it, to send or show once."""
    token = new_token()
    with db.write():
        db.accounts.add_reset(digest(token), user["id"], now + LIFETIME_SECONDS)
        db.audit.record(actor, "reset-link", "user", user["id"], {})
    return token
