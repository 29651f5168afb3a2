"""Password-reset tokens: random, one-time, one hour; only their digest is stored.

Pure: ``Database.issue_reset`` stores one with its audit entry."""

import hashlib
import secrets

LIFETIME_SECONDS = 60 * 60


def new_token():
    return secrets.token_urlsafe(32)


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
