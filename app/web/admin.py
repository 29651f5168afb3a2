"""Administration: approve people and the organizations they request; disable accounts.

Every account change is checked by the permission rules (nobody demotes or disables
themselves, the last administrator stays) and recorded in the audit log.
"""

import time

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts import resets
from ..accounts.permissions import ROLES, account_change_problem, may_administer
from ..accounts.signup import organization_to_create
from ..db.audit import user_actor
from .auth import requires
from .context import get_db

bp = Blueprint("admin", __name__, url_prefix="/admin")
USER_ID = "<int(max=9223372036854775807):user_id>"  # SQLite's largest integer; beyond it, 404


def _administrators(user, _obj):
    return may_administer(user)


@bp.route("/")
@requires(_administrators)
def dashboard():
    """Accounts waiting for approval, and everyone else."""
    accounts = get_db().accounts
    return render_template("admin/dashboard.html", pending=accounts.users("pending"),
                           users=[u for u in accounts.users() if u["status"] != "pending"], roles=ROLES)


def _account(user_id):
    """The account, or 404: looked up only once the visitor is known to be an administrator."""
    account = get_db().accounts.get_user(user_id)
    if account is None:
        abort(404)
    return account


@bp.route(f"/users/{USER_ID}/approve", methods=["POST"])
@requires(_administrators)
def approve(user_id):
    """Approve an account with a role (or change an active one's); creates the organization it requested."""
    account = _account(user_id)
    role = request.form.get("role") or account["role"]
    if role not in ROLES:
        abort(400, description=_("“%(role)s” is not a role.", role=role[:20]))
    _change(account, role, "active")
    return redirect(url_for("admin.dashboard"))


@bp.route(f"/users/{USER_ID}/disable", methods=["POST"])
@requires(_administrators)
def disable(user_id):
    """Disable an account; its sessions end at once."""
    account = _account(user_id)
    _change(account, account["role"], "disabled")
    return redirect(url_for("admin.dashboard"))


def _change(account, role, status):
    db = get_db()
    with db.write():
        problem = account_change_problem(g.user, account, role, status, db.accounts.count_active_admins())
        if problem:
            abort(409, description=problem)
        catalog = db.catalog
        created = organization_to_create(account, lambda i: catalog.get_organization(i) is not None)
        if created and status == "active":
            catalog.add_organization(*created)
            db.audit.record(user_actor(g.user), "create", "organization", created[0], {"name": ["", created[1]]}, 1)
        changes = {name: [account[name], value] for name, value in (("role", role), ("status", status))
                   if account[name] != value}
        if not changes:
            return
        db.accounts.update_user(account["id"], role=role, status=status)
        if status != "active":
            db.accounts.end_sessions(account["id"])
        db.audit.record(user_actor(g.user), "approve" if status == "active" else "disable", "user",
                        account["id"], changes, version=account["version"] + 1)


@bp.route(f"/users/{USER_ID}/reset-link", methods=["POST"])
@requires(_administrators)
def reset_link(user_id):
    """Make a one-hour password-reset link for a person, shown once to the administrator."""
    account = _account(user_id)
    if account["status"] != "active":
        abort(409, description=_("Only an active account can reset its password."))
    token = resets.issue(get_db(), account, user_actor(g.user), time.time())
    link = url_for("accounts.reset_password", token=token, _external=True)
    return render_template("admin/reset_link.html", account=account, link=link)
