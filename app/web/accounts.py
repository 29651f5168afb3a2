"""Signing up, in and out, and resetting a password."""

import datetime as dt
import hashlib
import secrets
import smtplib
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from ..accounts import passwords
from ..catalog.validation import EMAIL_RE, slugify
from .auth import sign_in, sign_out
from .context import get_store

bp = Blueprint("accounts", __name__)

ATTEMPT_WINDOW_SECONDS = 15 * 60
RESET_LIFETIME_SECONDS = 60 * 60


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Ask for an account: join an organization, or request a new one. An administrator approves."""
    store = get_store()
    form, problems = request.form, {}
    if request.method == "POST":
        user, problems = _new_user(form, store)
        if not problems:
            with store.write():
                store.add_user(user)
            return render_template("accounts/requested.html", email=user["email"])
    return render_template(
        "accounts/signup.html", organizations=store.organizations(), form=form, problems=problems
    ), (400 if problems else 200)


def _new_user(form, store):
    problems = {}
    email = (form.get("email") or "").strip().lower()
    name = (form.get("name") or "").strip()
    password = form.get("password") or ""
    if not name or len(name) > 200:
        problems["name"] = "enter your name"
    if not EMAIL_RE.match(email) or len(email) > 200:
        problems["email"] = "enter a valid email address"
    elif store.find_user(email):
        problems["email"] = "an account with this email already exists; sign in or reset your password"
    reason = passwords.problem(password, email)
    if reason:
        problems["password"] = reason
    organization_id = (form.get("organization_id") or "").strip()
    new_organization = (form.get("new_organization") or "").strip()
    if new_organization:
        organization_id, role = slugify(new_organization), "editor"
        if not organization_id or len(new_organization) > 200:
            problems["new_organization"] = "enter the organization's name"
        elif store.get_organization(organization_id):
            problems["new_organization"] = "this organization is already listed: choose it above to join it"
    elif organization_id and store.get_organization(organization_id):
        role = "member"
    else:
        problems["organization_id"] = "choose your organization, or name a new one"
        role = "member"
    user = {
        "email": email,
        "name": name,
        "password_hash": passwords.hash_password(password) if not problems else "",
        "role": role,
        "organization_id": organization_id,
        "requested_organization": new_organization or None,
        "status": "pending",
        "session_version": 0,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return user, problems


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; failed attempts are limited per account and per network address."""
    if request.method == "GET":
        return render_template("accounts/login.html", next=request.args.get("next", ""))
    store = get_store()
    email = (request.form.get("email") or "").strip().lower()
    keys = (f"account:{email}", f"address:{request.remote_addr}")
    if _limited(store, keys):
        return render_template(
            "accounts/login.html", error="Too many failed attempts. Wait 15 minutes, or reset your password.",
            next="",
        ), 429
    user = store.find_user(email)
    if user is None or not passwords.verify(user["password_hash"], request.form.get("password") or ""):
        with store.write():
            store.record_attempt(keys, time.time())
        return render_template("accounts/login.html", error="That email and password do not match.", next=""), 401
    if user["status"] != "active":
        message = "Your account is waiting for approval." if user["status"] == "pending" else "This account is disabled."
        return render_template("accounts/login.html", error=message, next=""), 403
    with store.write():
        store.clear_attempts(keys[0])
    sign_in(user)
    return redirect(safe_next(request.form.get("next")) or url_for("pages.home"))


def safe_next(target):
    """A path on this site to return to after signing in, or None (never another host)."""
    target = target or ""
    if not target.startswith("/") or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and not target.startswith("//") else None


def _limited(store, keys):
    since = time.time() - ATTEMPT_WINDOW_SECONDS
    config = current_app.config
    limits = (config["ATLAS_LOGIN_LIMIT_ACCOUNT"], config["ATLAS_LOGIN_LIMIT_ADDRESS"])
    return any(store.count_attempts(key, since) >= limit for key, limit in zip(keys, limits))


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST, so a link elsewhere cannot sign anyone out)."""
    sign_out()
    return redirect(url_for("pages.home"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Send a time-limited reset link; the answer is the same whether or not the account exists."""
    if request.method == "POST":
        store = get_store()
        user = store.find_user(request.form.get("email") or "")
        if user and user["status"] == "active":
            token = secrets.token_urlsafe(32)
            with store.write():
                store.add_reset(_digest(token), user["id"], time.time() + RESET_LIFETIME_SECONDS)
            _send_reset(user["email"], url_for("accounts.reset_password", token=token, _external=True))
        return render_template("accounts/reset_sent.html")
    return render_template("accounts/reset_request.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password with a reset link; every existing session ends."""
    if request.method == "GET":
        return render_template("accounts/reset_password.html", token=token, error=None)
    store = get_store()
    password = request.form.get("password") or ""
    reason = passwords.problem(password)
    if reason:
        return render_template("accounts/reset_password.html", token=token, error=reason), 400
    with store.write():
        user_id = store.take_reset(_digest(token), time.time())
        if user_id is None:
            abort(400, description="This reset link is not valid or has expired. Ask for a new one.")
        store.update_user(user_id, password_hash=passwords.hash_password(password))
        store.end_sessions(user_id)
    flash("Your password is changed. Sign in with it now.")
    return redirect(url_for("accounts.login"))


def _digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _send_reset(email, link):
    config = current_app.config
    if not config["ATLAS_SMTP_HOST"]:
        current_app.logger.warning("Password reset link for %s (no mail server configured): %s", email, link)
        return
    message = EmailMessage()
    message["Subject"] = "Reset your Toronto Workforce Atlas password"
    message["From"] = config["ATLAS_MAIL_FROM"]
    message["To"] = email
    message.set_content(f"Use this link within an hour to choose a new password:\n\n{link}\n")
    with smtplib.SMTP(config["ATLAS_SMTP_HOST"], config["ATLAS_SMTP_PORT"], timeout=20) as server:
        server.send_message(message)


@bp.app_context_processor
def inject_user():
    return {"current_user": g.get("user")}
