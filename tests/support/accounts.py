"""Signing in as a browser would: the test password, the session's CSRF token, and the version a
loaded form carries."""

import functools
import re

from app.accounts.passwords import hash_password

PASSWORD = "a long enough passphrase"
ROLES = ("member", "editor", "convenor", "admin")


@functools.cache
def password_hash():
    """The scrypt hash of PASSWORD, made once per test process: hashing is slow on purpose, and
    every account a fixture creates can store the same one."""
    return hash_password(PASSWORD)


def form_token(client):
    """The session's CSRF token, as a page's form would carry it."""
    with client.session_transaction() as session:
        return session.setdefault("csrf", "test-csrf-token")


def loaded_version(client, path):
    """The record version the form at ``path`` carries, as a browser would send it back."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def sign_in(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": form_token(client)})
