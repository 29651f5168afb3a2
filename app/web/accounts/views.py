"""Signing up, in and out, and resetting a password.

Signed-in people also make and revoke their own personal API tokens here."""

import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import mail
from ...accounts import passwords, resets, signup as signup_rules, throttle
from ...accounts import tokens as token_rules
from ...accounts.permissions import may_administer
from ...db.audit import account_created, process_actor
from ...db.accounts import issue_token
from ...db.audit import now, user_actor
from ..shared.auth import requires, sign_in, sign_out
from ..shared.context import get_db, public_url

bp = Blueprint("accounts", __name__)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Ask for an account: join an organization, or request a new one. An administrator approves."""
    db = get_db()
    form, problems = request.form, {}
    if request.method == "POST":
        account, problems = signup_rules.requested_account(
            form, email_taken=db.accounts.find_user,
            organization_exists=lambda organization_id: db.catalog.get_organization(organization_id) is not None,
        )
        if not problems:
            account["password_hash"] = passwords.hash_password(form.get("password") or "")
            with db.write():
                user_id = db.accounts.add_user(account)
                db.audit.record(process_actor("sign-up"), "create", "user", user_id, account_created(account), 1)
            return render_template("accounts/requested.html", email=account["email"])
    return render_template(
        "accounts/signup.html", organizations=db.catalog.organizations(), form=form, problems=problems
    ), (400 if problems else 200)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; failed attempts are limited per account and per network address."""
    if request.method == "GET":
        return render_template("accounts/login.html", next=request.args.get("next", ""))
    db = get_db()
    email = (request.form.get("email") or "").strip().lower()
    keys = throttle.keys(email, request.remote_addr)
    attempt_at = _reserve_attempt(db, keys)
    if attempt_at is None:
        return render_template(
            "accounts/login.html", error=_("Too many failed attempts. Wait 15 minutes, or reset your password."),
            next="",
        ), 429
    user = db.accounts.find_user(email)
    if user is None or not passwords.verify(user["password_hash"], request.form.get("password") or ""):
        return render_template("accounts/login.html", error=_("That email and password do not match."), next=""), 401
    with db.write():
        db.accounts.forget_attempt(keys[1:], attempt_at)
        db.accounts.clear_attempts(keys[0])
    if user["status"] != "active":
        message = _("Your account is waiting for approval.") if user["status"] == "pending" else \
            _("This account is disabled.")
        return render_template("accounts/login.html", error=message, next=""), 403
    sign_in(user)
    return redirect(safe_next(request.form.get("next")) or _landing(user))


def _landing(user):
    """Where a person arrives after signing in with no page to return to: an administrator
    at the accounts waiting for approval, everyone else at the home page."""
    return url_for("admin.dashboard") if may_administer(user) else url_for("pages.home")


def _reserve_attempt(db, keys):
    """Count this attempt before the password is checked; None when the limit is reached.

    The count and the record are one write transaction, so parallel attempts queue on it and
    each sees the others: no more guesses get through than the limit allows.
    """
    config = current_app.config
    limits = (config["ATLAS_LOGIN_LIMIT_ACCOUNT"], config["ATLAS_LOGIN_LIMIT_ADDRESS"])
    now = time.time()
    with db.write():
        counts = [db.accounts.count_attempts(key, now - throttle.WINDOW_SECONDS) for key in keys]
        if throttle.over_limit(counts, limits):
            return None
        db.accounts.record_attempt(keys, now)
    return now


def safe_next(target):
    """A path on this site to return to after signing in, or None (never another host)."""
    target = target or ""
    if not target.startswith("/") or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and not target.startswith("//") else None


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST, so a link elsewhere cannot sign anyone out); the session ends on the server."""
    sign_out()
    return redirect(url_for("pages.home"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Send a time-limited reset link; the answer is the same whether or not the account exists.

    Without a mail server no link is made here (a link in a log would act as a password): an
    administrator makes one from the administration page, or an operator with `reset-link`.
    """
    if request.method == "POST":
        db = get_db()
        user = db.accounts.find_user(request.form.get("email") or "")
        if user and user["status"] == "active":
            if current_app.config["ATLAS_SMTP_HOST"]:
                token = db.issue_reset(user, process_actor("reset-request"), time.time())
                _send_reset(user["email"], public_url("accounts.reset_password", token=token))
            else:
                current_app.logger.info("Password reset asked for account %s; no mail server is set, so an "
                                        "administrator must make the link.", user["id"])
        return render_template("accounts/reset_sent.html", mail=bool(current_app.config["ATLAS_SMTP_HOST"]))
    return render_template("accounts/reset_request.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password with a reset link; every existing session ends."""
    if request.method == "GET":
        return render_template("accounts/reset_password.html", token=token, error=None)
    db = get_db()
    password = request.form.get("password") or ""
    reason = passwords.problem(password)
    if reason:
        return render_template("accounts/reset_password.html", token=token, error=reason), 400
    with db.write():
        user_id = db.accounts.take_reset(resets.digest(token), time.time())
        if user_id is None:
            abort(400, description="This reset link is not valid or has expired. Ask for a new one.")
        version = db.accounts.update_user(user_id, password_hash=passwords.hash_password(password))
        db.accounts.end_sessions(user_id)
        db.audit.record(process_actor("reset-link"), "reset-password", "user", user_id, {}, version=version)
    flash(_("Your password is changed. Sign in with it now."))
    return redirect(url_for("accounts.login"))


def _send_reset(email, link):
    mail.send(current_app.config, email, _("Reset your Toronto Workforce Atlas password"),
              _("Use this link within an hour to choose a new password:\n\n%(link)s\n", link=link))


TOKEN_ID = "<int(max=9223372036854775807):token_id>"  # SQLite's largest integer; beyond it, 404


def _signed_in(_user, _obj):
    return True


@bp.route("/account/tokens", methods=["GET", "POST"])
@requires(_signed_in)
def tokens():
    """List your API tokens, and make one: shown on this answer only, never again."""
    problems, new_token, name = {}, None, ""
    if request.method == "POST":
        name, problem = token_rules.name_problem(request.form.get("name"))
        if problem:
            problems["name"] = problem
        else:
            new_token = issue_token(get_db(), g.user, name, user_actor(g.user), now())
    return render_template(
        "accounts/tokens.html", tokens=get_db().accounts.tokens(g.user["id"]), problems=problems,
        new_token=new_token, new_name=name if new_token else "", name=name if problems else "",
        api_url=public_url("api.openapi"), name_limit=token_rules.NAME_MAX_LENGTH,
    ), (400 if problems else 200)


@bp.route(f"/account/tokens/{TOKEN_ID}/revoke", methods=["POST"])
@requires(_signed_in)
def revoke_token(token_id):
    """Revoke one of your own tokens: requests carrying it are refused from now on."""
    db = get_db()
    with db.write():
        own = {token["id"]: token for token in db.accounts.tokens(g.user["id"])}
        revoked_at = now()
        revoked = db.accounts.revoke_token(token_id, g.user["id"], revoked_at)
        if revoked:
            db.audit.record(user_actor(g.user), "revoke", "api_token", token_id, {"revoked_at": ["", revoked_at]})
    if token_id not in own:
        abort(404, description=_("You have no API token with this number."))
    if revoked:
        flash(_("The token “%(name)s” is revoked. Requests that use it are refused from now on.",
                name=own[token_id]["name"]))
    else:
        flash(_("The token “%(name)s” was already revoked.", name=own[token_id]["name"]))
    return redirect(url_for("accounts.tokens"))
