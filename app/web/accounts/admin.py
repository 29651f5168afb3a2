"""Administration: approve people and the organizations they request; disable accounts.

Every account change is checked by the permission rules (nobody demotes or disables
themselves, the last administrator stays) and recorded in the audit log.
"""

import time
from dataclasses import dataclass

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...accounts.permissions import ROLES, account_change_problem, may_administer
from ...accounts.signup import organization_to_create
from ...db.audit import user_actor
from ..shared.auth import requires
from ..shared.context import get_db, public_url
from ..shared.formatting import local_time
from ..shared.forms import SummaryEntry, form_version

bp = Blueprint("admin", __name__, url_prefix="/admin")
USER_ID = "<int(max=9223372036854775807):user_id>"  # SQLite's largest integer; beyond it, 404
ROLE_LABELS = {"member": _l("Member"), "editor": _l("Editor"), "convenor": _l("Convenor"),
               "admin": _l("Administrator")}
STATUS_LABELS = {"pending": _l("Waiting for approval"), "active": _l("Active"), "disabled": _l("Disabled")}


def _administrators(user, _obj):
    return may_administer(user)


@bp.route("/")
@requires(_administrators)
def dashboard():
    """Accounts waiting for approval first, then everyone else."""
    return _dashboard()


def _dashboard(problems=None, status=200):
    """The page, with ``problems`` ({account id: message}) beside the requests they concern."""
    problems = problems or {}
    accounts = get_db().accounts
    pending = [_request(account, problems.get(account["id"], "")) for account in accounts.users("pending")]
    users = [u for u in accounts.users() if u["status"] != "pending"]
    summary = [SummaryEntry(waiting.role_id, waiting.problem) for waiting in pending if waiting.problem]
    return render_template(
        "admin/dashboard.html", pending=pending, users=users, summary=summary,
        roles=[(role, ROLE_LABELS[role]) for role in ROLES], role_labels=ROLE_LABELS, status_labels=STATUS_LABELS,
    ), status


@dataclass(frozen=True)
class Request:
    """An account waiting for approval, as the administrator needs to judge it."""

    id: int
    version: int
    name: str
    email: str
    organization: str
    requested: str
    problem: str = ""

    @property
    def role_id(self):
        return f"role-{self.id}"


def _request(account, problem):
    return Request(account["id"], account["version"], account["name"] or account["email"], account["email"],
                   _organization_named(account), local_time(account.get("created")) or _("Not recorded"), problem)


def _organization_named(account):
    """The organization the person asks to join, by name; a new one says so."""
    if account.get("requested_organization"):
        return _("%(name)s (new)", name=account["requested_organization"])
    found = get_db().catalog.get_organization(account["organization_id"]) if account.get("organization_id") else None
    return found["name"] if found else _("Not stated")


def _account(user_id):
    """The account, or 404: looked up only once the visitor is known to be an administrator."""
    account = get_db().accounts.get_user(user_id)
    if account is None:
        abort(404)
    return account


@bp.route(f"/users/{USER_ID}/approve", methods=["POST"])
@requires(_administrators)
def approve(user_id):
    """Approve a waiting account with a role; creates the organization it requested."""
    account = _account(user_id)
    role = request.form.get("role") or ""
    if not role:
        return _dashboard({user_id: _("Choose a role for %(name)s before approving the account.",
                                      name=account["name"] or account["email"])}, 400)
    if role not in ROLES:
        abort(400, description=_("“%(role)s” is not a role.", role=role[:20]))
    _change(user_id, form_version(request.form), role, "active", expected_status=("pending",))
    return redirect(url_for("admin.dashboard"))


@bp.route(f"/users/{USER_ID}/disable", methods=["POST"])
@requires(_administrators)
def disable(user_id):
    """Disable an account; its sessions end at once."""
    account = _account(user_id)
    _change(user_id, form_version(request.form), account["role"], "disabled", expected_status=("pending", "active"))
    return redirect(url_for("admin.dashboard"))


def _change(user_id, base_version, role, status, expected_status):
    """Give an account a role and status, if it is still as the administrator saw it."""
    db = get_db()
    with db.write():
        account = _account(user_id)
        if account["version"] != base_version:
            abort(409, description=_("Someone changed this account since you opened the page. "
                                     "Reload the page to see it as it is now."))
        problem = account_change_problem(g.user, account, role, status, db.accounts.count_active_admins())
        if problem:
            abort(409, description=problem)
        if account["status"] not in expected_status:
            abort(409, description=_("This account is already %(status)s.", status=account["status"]))
        catalog = db.catalog
        created = organization_to_create(account, lambda i: catalog.get_organization(i) is not None)
        if created and status == "active":
            catalog.add_organization(*created)
            db.audit.record(user_actor(g.user), "create", "organization", created[0], {"name": ["", created[1]]}, 1)
        changes = {name: [account[name], value] for name, value in (("role", role), ("status", status))
                   if account[name] != value}
        if not changes:
            return
        version = db.accounts.update_user(account["id"], role=role, status=status)
        if status != "active":
            db.accounts.end_sessions(account["id"])
        db.audit.record(user_actor(g.user), "approve" if status == "active" else "disable", "user",
                        account["id"], changes, version=version)


@bp.route(f"/users/{USER_ID}/reset-link", methods=["POST"])
@requires(_administrators)
def reset_link(user_id):
    """Make a one-hour password-reset link for a person, shown once to the administrator."""
    account = _account(user_id)
    if account["status"] != "active":
        abort(409, description=_("Only an active account can reset its password."))
    token = get_db().issue_reset(account, user_actor(g.user), time.time())
    link = public_url("accounts.reset_password", token=token)
    return render_template("admin/reset_link.html", account=account, link=link)
