"""Reading what a sender, or a program answering, submits: the page and the API share it.

Each reader returns the values it could read and ``{field: message}`` for the others, so a page
shows every mistake beside its field and the API names the first one.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ...referrals import consent, lifecycle, privacy
from ..shared.profile_params import LABELS, PARAMETERS, TERMS, parse_profile

# What each field is called on the form, and so in the error summary that names it.
FIELD_LABELS = {
    "client_ref": _l("Your reference for the client"), "note": _l("A note for the program"),
    "override_reason": _l("Why refer anyway?"), "consent": _l("Consent"),
    "consent_given_on": _l("Date they agreed"), "consent_method": _l("How they agreed"),
    "share_progress": _l("Progress reports"), "status": _l("Status"), "reason": _l("Reason"),
    "reason_text": _l("Say what the reason is"), "outcome": _l("Outcome"), "outcome_text": _l("Say what the outcome is"),
    "fit_rating": _l("How well the program fit the client"), "fit_comment": _l("Comment"),
    "appropriate": _l("Was the referral appropriate?"), "appropriate_comment": _l("Comment"),
    "confirm": _l("The client withdrew consent"),
}
FIT_RATINGS = (1, 2, 3, 4, 5)


def needs_from(args, vocabularies, ward_at):
    """(needs, {parameter: message}): the needs profile kept with a referral, the matching
    form's fields checked as matching checks them (so it holds only vocabulary slugs, numbers
    and choices, never free text), the home postal code cut to its district (the first three
    characters): enough to place the client, not to find their street."""
    needs = {}
    for name in PARAMETERS:
        values = [value.strip() for value in args.getlist(name) if (value or "").strip()]
        if name == "near" and values:
            values = [values[0].replace(" ", "").upper()[:3]]
        if values:
            needs[name] = values[:40]
    _profile, errors = parse_profile(needs_args(needs), vocabularies, ward_at)
    return {name: values for name, values in needs.items() if name not in errors}, errors


def needs_args(needs):
    return MultiDict([(name, value) for name, values in (needs or {}).items() for value in values])


def needs_summary(needs, vocabularies):
    """[(label, text)] for showing a stored needs profile in words."""
    summary = []
    for name, values in (needs or {}).items():
        if name not in LABELS:
            continue
        if name in TERMS:
            vocabulary = vocabularies.get(TERMS[name][0])
            values = [vocabulary.label(value) if vocabulary and value in vocabulary else value for value in values]
        label = _("Ward") if name == "ward" else LABELS[name]
        summary.append((label, ", ".join(str(value) for value in values)))
    return summary


def warnings_for(program, exclusion_rules, receivers, translate):
    """What the sender should know before sending; the second value says whether sending needs
    a reason (the client fails one of the program's own rules)."""
    warnings = []
    if program.get("capacity_status") == "full":
        warnings.append(_("The program says it is full."))
    elif program.get("capacity_status") == "waitlist":
        warnings.append(_("The program says it has a waiting list."))
    if not program.get("referral_method"):
        warnings.append(_("The program has not said whether it takes referrals from agencies."))
    if not receivers:
        warnings.append(_("Nobody from this organization uses the atlas yet: the referral will wait until "
                          "someone from it joins, and it will be cancelled if nobody answers in time."))
    rules = [rule.render(translate) for rule in exclusion_rules]
    for rule in rules:
        warnings.append(_("From the client's needs: %(rule)s", rule=rule))
    return warnings, bool(rules)


def read_new_referral(data, needs, program, user, today, needs_reason, parent_id=None):
    """(referral record, errors) from a form or an API body flattened to the form's names."""
    errors = {}
    client_ref = (data.get("client_ref") or "").strip()
    note = (data.get("note") or "").strip()
    override = (data.get("override_reason") or "").strip()
    for field, problem in (("client_ref", privacy.client_ref_problem(client_ref)),
                           ("note", privacy.note_problem(note))):
        if problem:
            errors[field] = str(problem)
    if needs_reason and not override:
        errors["override_reason"] = _("The client's needs fail one of this program's rules: say why you are "
                                      "referring anyway.")
    elif override and (len(override) > lifecycle.TEXT_LIMIT or privacy.identity_problem(override)):
        errors["override_reason"] = str(privacy.note_problem(override) or
                                        _("Keep this under %(limit)d characters.", limit=lifecycle.TEXT_LIMIT))
    given, consent_errors = consent.parse(
        _truthy(data.get("consent")), data.get("consent_given_on"), data.get("consent_method"),
        _yes_no(data.get("share_progress")), today)
    errors.update({field: str(message) for field, message in consent_errors.items()})
    if errors:
        return None, errors
    return {
        "program_id": program["id"], "receiver_org": program["organization_id"],
        "sender_org": user["organization_id"], "sender_user_id": user["id"], "parent_id": parent_id,
        "client_ref": client_ref, "needs": needs, "note": note or None, "override_reason": override or None,
        "consent_given_on": given.given_on.isoformat(), "consent_method": given.method,
        "share_progress": int(given.share_progress),
    }, {}


def read_fit(data):
    """(fit rating or None, comment, errors) from the sender's feedback."""
    raw = data.get("fit_rating")
    raw = "" if raw is None else str(raw).strip()
    comment = (data.get("fit_comment") or data.get("comment") or "").strip()
    errors = {}
    rating = None
    if raw:
        if raw.isascii() and raw.isdigit() and int(raw) in FIT_RATINGS:
            rating = int(raw)
        else:
            errors["fit_rating"] = _("Rate the fit with a whole number from 1 to 5.")
    problem = privacy.note_problem(comment)
    if problem:
        errors["fit_comment"] = str(problem)
    return rating, comment, errors


def read_appropriate(data):
    value = _yes_no(data.get("appropriate"))
    comment = (data.get("appropriate_comment") or data.get("comment") or "").strip()
    errors = {}
    if data.get("appropriate") not in (None, "") and value is None:
        errors["appropriate"] = _("Answer yes or no.")
    problem = privacy.note_problem(comment)
    if problem:
        errors["appropriate_comment"] = str(problem)
    return value, comment, errors


def profile_of(needs, vocabularies, ward_at):
    profile, _errors = parse_profile(needs_args(needs), vocabularies, ward_at)
    return profile


def _truthy(value):
    return value is True or str(value or "").strip().lower() in ("1", "yes", "true", "on")


def _yes_no(value):
    if value is True or value is False:
        return value
    text = str(value or "").strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    return None
