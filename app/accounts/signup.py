"""The rules of asking for an account and of approving one: pure functions, no Flask.

Joining a listed organization makes a member; naming a new one makes its first editor, and
approving that account creates the organization.
"""

from flask_babel import lazy_gettext as _

from ..catalog.validation import EMAIL_RE, clean_text, slugify
from ..db.audit import now
from .passwords import problem as password_problem


def requested_account(form, *, email_taken, organization_exists):
    """(account, problems) from a sign-up form; the account has no password hash yet.

    ``email_taken(email)`` and ``organization_exists(id)`` look the catalogue up.
    """
    problems = {}
    email = (form.get("email") or "").strip().lower()
    name, name_problem = clean_text(form.get("name"), 200)
    if name_problem:
        problems["name"] = _("write your name on one line, without control characters, in at most 200 characters")
    elif not name:
        problems["name"] = _("enter your name")
    if not EMAIL_RE.match(email) or len(email) > 200:
        problems["email"] = _("enter a valid email address")
    elif email_taken(email):
        problems["email"] = _("an account with this email already exists; sign in or reset your password")
    reason = password_problem(form.get("password") or "", email)
    if reason:
        problems["password"] = reason
    organization_id, role, new_organization = _organization_choice(form, organization_exists, problems)
    account = {
        "email": email, "name": name, "role": role, "organization_id": organization_id,
        "requested_organization": new_organization or None, "status": "pending", "session_version": 0,
        "created": now(),
    }
    return account, problems


def _organization_choice(form, organization_exists, problems):
    organization_id = (form.get("organization_id") or "").strip()
    new_organization, problem = clean_text(form.get("new_organization"), 200)
    if problem:
        problems["new_organization"] = _(
            "write the organization's name on one line, without control characters, in at most 200 characters"
        )
        return slugify(new_organization), "editor", new_organization
    if new_organization:
        organization_id = slugify(new_organization)
        if not organization_id:
            problems["new_organization"] = _("enter the organization's name")
        elif organization_exists(organization_id):
            problems["new_organization"] = _("this organization is already listed: choose it above to join it")
        return organization_id, "editor", new_organization
    if organization_id and organization_exists(organization_id):
        return organization_id, "member", None
    problems["organization_id"] = _("choose your organization, or name a new one")
    return organization_id, "member", None


def organization_to_create(account, organization_exists):
    """(id, name) of the organization approving this account creates, or None."""
    if account["requested_organization"] and not organization_exists(account["organization_id"]):
        return account["organization_id"], account["requested_organization"]
    return None
