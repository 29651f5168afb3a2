"""Sessions, the signed-in user, CSRF tokens and the access checks views use.

A session is a signed cookie naming a session the server knows: signing out deletes it on the
server, so a copied cookie stops working at once.

Under /api/, a request may instead carry ``Authorization: Bearer <personal API token>``: it then
acts as the token's owner for that request alone (``g.user``, with ``g.token_auth`` true), with no
cookie session and no CSRF token, and a token that does not work is refused with 401 rather than
falling back to the cookie or to anonymous access.
"""

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
import time

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _

from ...accounts import permissions, tokens
from .context import get_db
from .errors import json_error

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
TOKEN_LAST_USED_EVERY = dt.timedelta(minutes=1)


def _session_hash(sid):
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def load_user():
    """Put the signed-in user (or None) on ``g``; a disabled account or ended session is out."""
    g.user = None
    g.token_auth = False
    token = _api_bearer_token()
    if token is not None:
        return _load_token_user(token)
    user_id, sid = session.get("user_id"), session.get("sid")
    if user_id is None:
        return
    accounts = get_db().accounts
    user = accounts.get_user(user_id)
    live = sid and accounts.session_user(_session_hash(sid), time.time()) == user_id
    if live and user and user["status"] == "active" and session.get("version") == user["session_version"]:
        g.user = user
    else:
        session.clear()


def _api_bearer_token():
    """The bearer credential an API request carries, or None; pages ignore the header."""
    if not request.path.startswith("/api/"):
        return None
    return tokens.bearer_token(request.headers.get("Authorization"))


def _load_token_user(token):
    """Act as the token's owner for this request, or answer 401: never the cookie, never anonymous.

    The cookie session is not read, and no answer to a token request sets or refreshes a session
    cookie, even when the client also sent one (``_without_cookies_for_tokens``).
    """
    g.bearer_request = True
    user = None
    if tokens.well_formed(token):
        now = dt.datetime.now(dt.timezone.utc)
        user = get_db().accounts.token_user(tokens.digest(token), _stamp(now), _stamp(now - TOKEN_LAST_USED_EVERY))
    if user is None:
        body, status = json_error(401, "invalid_token", _(
            "This API token does not work: it is unknown, malformed or revoked, or its account is not active. "
            "Send Authorization: Bearer followed by a token made on your account's API tokens page."))
        return body, status, {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    g.user = user
    g.token_auth = True


def _stamp(moment):
    """A UTC time as the audit log and the tokens table write it."""
    return moment.isoformat(timespec="seconds")


def by_token():
    """Whether this request acts by a personal API token rather than a signed-in browser session."""
    return bool(g.get("token_auth"))


def sign_in(user):
    """Start a fresh session, known to the server: nothing from before sign-in survives it."""
    session.clear()
    sid = secrets.token_urlsafe(32)
    now = time.time()
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    db = get_db()
    with db.write():
        db.accounts.start_session(_session_hash(sid), user["id"], now, now + lifetime)
    session["user_id"] = user["id"]
    session["version"] = user["session_version"]
    session["sid"] = sid
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True


def sign_out():
    sid = session.get("sid")
    if sid:
        db = get_db()
        with db.write():
            db.accounts.end_session(_session_hash(sid))
    session.clear()


def csrf_token():
    """The session's token as a page carries it: masked afresh for every response.

    Compressed pages that also echo what a visitor typed would otherwise let an observer of
    response sizes guess a fixed token byte by byte (BREACH); a different mask each time leaves
    nothing to guess.
    """
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    raw = session["csrf"].encode()
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(raw, pad))).decode()


def _unmasked(sent):
    try:
        data = base64.urlsafe_b64decode(sent.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return b""
    pad, masked = data[: len(data) // 2], data[len(data) // 2:]
    return bytes(a ^ b for a, b in zip(pad, masked)) if len(pad) == len(masked) else b""


def check_csrf():
    """Every state-changing request must carry the session's token (masked, or as it is)."""
    if request.method not in STATE_CHANGING:
        return
    if by_token():
        return  # a browser never adds a bearer token by itself, so there is no request to forge
    if request.path.startswith("/api/") and g.get("user") is None:
        return  # nobody signed in: the API answers 401 itself, and there is no session to forge
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = (session.get("csrf") or "").encode()
    if not expected or not (hmac.compare_digest(_unmasked(sent), expected)
                            or hmac.compare_digest(sent.encode("utf-8", "replace"), expected)):
        abort(400, description="This form has expired or did not come from this site. Reload the page and try again.")


def add_transport_headers(response):
    if current_app.config.get("ATLAS_HTTPS") or request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if g.get("user") is not None or "user_id" in session:
        # A signed-in page may show what only this person may see: no shared or back-button copies.
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response


def requires(rule, load=None):
    """Allow a view only when ``rule(user, obj)`` holds; ``load(**view_args)`` finds the object.

    Visitors are sent to sign in before anything is looked up, so the answer does not tell them
    what exists; signed-in users without the right get 403; a missing object is 404.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user is None:
                return redirect(url_for("accounts.login", next=request.path))
            obj = load(**kwargs) if load else None
            if load and obj is None:
                abort(404)
            if not rule(g.user, obj):
                abort(403, description=_("Your account does not allow this."))
            return view(obj, **kwargs) if load else view(**kwargs)

        return wrapped

    return decorate


def _without_cookies_for_tokens(interface):
    """The app's session interface, made never to set a cookie on an answer to a token request."""

    class TokenAware(type(interface)):
        def should_set_cookie(self, app, session):
            return not g.get("bearer_request") and super().should_set_cookie(app, session)

    return TokenAware()


def register(app):
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config.get("ATLAS_HTTPS")),
    )
    app.session_interface = _without_cookies_for_tokens(app.session_interface)
    app.before_request(load_user)
    app.before_request(check_csrf)
    app.after_request(add_transport_headers)
    app.add_template_global(csrf_token)


def may_see_gaps():
    """Whether the gaps dashboard's figures may be shown to whoever is asking: convenors and
    administrators, or everyone when ATLAS_PUBLIC_GAPS says so."""
    return bool(current_app.config.get("ATLAS_PUBLIC_GAPS")) or permissions.may_see_gaps(g.get("user"))
