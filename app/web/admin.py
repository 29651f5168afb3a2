"""Administration: approve people and the organizations they request; disable accounts."""

from flask import Blueprint, abort, redirect, render_template, request, url_for

from ..accounts.permissions import ROLES, may_administer
from .auth import requires
from .context import get_store

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@requires(lambda user, _: may_administer(user))
def dashboard():
    """Accounts waiting for approval, and everyone else."""
    store = get_store()
    return render_template("admin/dashboard.html", pending=store.users("pending"),
                           users=[u for u in store.users() if u["status"] != "pending"], roles=ROLES)


def _user(user_id):
    return get_store().get_user(user_id)


@bp.route("/users/<int:user_id>/approve", methods=["POST"])
@requires(lambda user, _: may_administer(user), load=_user)
def approve(account, user_id):
    """Approve an account with a role; creates the organization it requested."""
    role = request.form.get("role") or account["role"]
    if role not in ROLES:
        abort(400, description=f'"{role[:20]}" is not a role')
    store = get_store()
    with store.write():
        if account["requested_organization"] and not store.get_organization(account["organization_id"]):
            store.add_organization(account["organization_id"], account["requested_organization"])
        store.update_user(user_id, status="active", role=role)
    return redirect(url_for("admin.dashboard"))


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@requires(lambda user, _: may_administer(user), load=_user)
def disable(account, user_id):
    """Disable an account; its sessions end at once."""
    store = get_store()
    with store.write():
        store.update_user(user_id, status="disabled")
        store.end_sessions(user_id)
    return redirect(url_for("admin.dashboard"))
