"""Personal API tokens: random, revocable, shown once; only their digest is stored.

Pure, like ``resets``: the database keeps the digest, the web layer reads the header. A token
carries a recognisable prefix so that one pasted into a ticket or committed to a repository can be
spotted (and found by secret scanners) for what it is.
"""

import hashlib
import re
import secrets

from flask_babel import lazy_gettext as _

from ..catalog.validation import clean_text

PREFIX = "atlas_"
NAME_MAX_LENGTH = 100
# The prefix, then what token_urlsafe makes: a well-formed token is worth looking up, nothing else is.
TOKEN_RE = re.compile(r"^atlas_[A-Za-z0-9_-]{32,128}$")


def new_token():
    return PREFIX + secrets.token_urlsafe(32)


def digest(token):
    """What the database stores: 256 random bits need no slow hash, as for reset tokens."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(header):
    """The credential of an ``Authorization: Bearer ...`` header value.

    None when the header is absent or uses another scheme (a proxy's Basic sign-in, say), so the
    request is simply not a token request; otherwise the text after the scheme, which may be empty
    or malformed: the caller refuses it rather than treating the request as anonymous.
    """
    scheme, _space, credential = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credential.strip()


def well_formed(token):
    return bool(TOKEN_RE.match(token or ""))


def name_problem(name):
    """(the token's name as stored, what is wrong with it or None)."""
    cleaned, problem = clean_text(name, NAME_MAX_LENGTH)
    if problem:
        return cleaned, _("write the token's name on one line, without control characters, in at most "
                          "%(limit)s characters", limit=NAME_MAX_LENGTH)
    if not cleaned:
        return cleaned, _("enter a name for the token, such as the system that will use it")
    return cleaned, None
