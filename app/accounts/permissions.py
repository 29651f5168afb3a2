"""Who may do what: pure functions over a user dict (or None for a visitor) and an object.

Every rule needs an active account; an organization's editors act only on that organization.
"""

from flask_babel import lazy_gettext as _

ROLES = ("member", "editor", "convenor", "admin")
# Fields only an administrator may change on a listing: who owns it and how it was verified.
OWNERSHIP_FIELDS = ("id", "organization", "organization_id", "verification", "last_verified")


def active(user):
    return bool(user) and user.get("status") == "active"


def is_admin(user):
    return active(user) and user["role"] == "admin"


def may_administer(user):
    """Approve organizations and users, disable accounts."""
    return is_admin(user)


def _acts_for(user, organization_id):
    """An administrator, or an active editor of that organization."""
    if is_admin(user):
        return True
    return (
        active(user)
        and user["role"] == "editor"
        and organization_id is not None
        and user.get("organization_id") == organization_id
    )


def may_edit_program(user, program):
    return _acts_for(user, program.get("organization_id") if program else None)


def may_edit_organization(user, organization):
    return _acts_for(user, organization.get("id") if organization else None)


def may_view_history(user, program):
    return may_edit_program(user, program) or (active(user) and user["role"] == "convenor")


def editable_fields(user, field_names):
    """The listing fields this user's edit form offers."""
    if is_admin(user):
        return [name for name in field_names if name != "id"]
    return [name for name in field_names if name not in OWNERSHIP_FIELDS]


def may_sign_in(user):
    return active(user)


def account_change_problem(actor, account, role, status, active_admins):
    """Why an administrator may not give ``account`` this role and status, or None.

    Nobody changes their own role or disables themselves (another administrator must), and
    the last active administrator cannot be demoted or disabled: the site would have no one
    left to approve accounts.
    """
    if not is_admin(actor):
        return _("Only an administrator may change accounts.")
    removes_admin = is_admin(account) and (role != "admin" or status != "active")
    if account["id"] == actor["id"] and (role != account["role"] or status != account["status"]):
        return _("You cannot change your own role or disable yourself; ask another administrator.")
    if removes_admin and active_admins <= 1:
        return _("This is the only active administrator; make another administrator first.")
    return None


def may_see_gaps(user):
    """The dashboard's aggregate figures: convenors and administrators (or everyone, by a setting)."""
    return active(user) and user["role"] in ("convenor", "admin")


REFERRING_ROLES = ("member", "editor")


def may_send_referrals(user):
    """Members and editors of an organization refer clients; convenors and administrators see
    only aggregate figures, never a client's referral."""
    return active(user) and user["role"] in REFERRING_ROLES and bool(user.get("organization_id"))


def referral_sides(user, referral):
    """The sides ("sender", "receiver") this user acts for on a referral: empty for anyone
    outside the two organizations, who must not learn the referral exists."""
    if not may_send_referrals(user) or not referral:
        return frozenset()
    sides = set()
    if referral["sender_org"] == user["organization_id"]:
        sides.add("sender")
    if referral["receiver_org"] == user["organization_id"]:
        sides.add("receiver")
    return frozenset(sides)
