"""Sessions, the signed-in user, CSRF tokens and the access checks views use."""

import functools
import hmac
import secrets

from flask import abort, current_app, g, redirect, request, session, url_for

from .context import get_store

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def load_user():
    """Put the signed-in user (or None) on ``g``; a disabled account or ended session is out."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = get_store().get_user(user_id)
    if user and user["status"] == "active" and session.get("version") == user["session_version"]:
        g.user = user
    else:
        session.clear()


def sign_in(user):
    """Start a fresh session: nothing from before sign-in survives it."""
    session.clear()
    session["user_id"] = user["id"]
    session["version"] = user["session_version"]
    session["sid"] = secrets.token_urlsafe(16)
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True


def sign_out():
    session.clear()


def csrf_token():
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf():
    """Every state-changing request must carry the session's token."""
    if request.method not in STATE_CHANGING:
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="This form has expired or did not come from this site. Reload the page and try again.")


def add_transport_headers(response):
    if current_app.config.get("ATLAS_HTTPS") or request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def requires(rule, load=None):
    """Allow a view only when ``rule(user, obj)`` holds; ``load(**view_args)`` finds the object.

    Visitors are sent to sign in; signed-in users without the right get 403; a missing
    object is 404.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            obj = load(**kwargs) if load else None
            if load and obj is None:
                abort(404)
            if g.user is None:
                return redirect(url_for("accounts.login", next=request.path))
            if not rule(g.user, obj):
                abort(403, description="Your account does not allow this.")
            return view(obj, **kwargs) if load else view(**kwargs)

        return wrapped

    return decorate


def register(app):
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config.get("ATLAS_HTTPS")),
    )
    app.before_request(load_user)
    app.before_request(check_csrf)
    app.after_request(add_transport_headers)
    app.add_template_global(csrf_token)
