"""Read a client's needs profile from a form or query string, every field checked.

The page and the API read the same parameters. A bad value never stops the others: the page
shows each mistake beside its field and matches on what could be read; the API answers 400
naming the first bad parameter, as the search does.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...geo.codes import WARDS
from ...matching import ClientProfile
from .params import BadParameter, parse_near, single

MAX_AGE = 120
MAX_START_DAYS = 366
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
GENDERS = {"woman": _l("Woman"), "man": _l("Man"), "non-binary": _l("Non-binary or another gender")}
HOURS = {"full-time": _l("Full-time"), "part-time": _l("Part-time")}
NO_INCOME_SUPPORT = "none"
YES_NO = {"": False, "0": False, "false": False, "1": True, "on": True, "true": True}
# What each parameter is called on the form, and so in the messages that name it.
LABELS = {
    "age": _l("Age"), "gender": _l("Gender, as the client describes it"), "near": _l("Home postal code"),
    "ward": _l("or ward"), "language": _l("Preferred language"), "income_support": _l("Income support"),
    "immigration_status": _l("Immigration status"), "stream": _l("Employment Ontario client stream"),
    "stage": _l("Where they are on the path to work"), "mode": _l("How they can take part"),
    "mode_required": _l("Only this way"), "start_within_days": _l("Can start within (days)"), "hours": _l("Hours"),
    "population": _l("The client is (tick every one that applies)"), "sector": _l("Industries of interest"),
    "intervention": _l("What they need"), "limit": _l("Number of results"),
}
# Parameter -> (vocabulary, repeatable): the profile's fields drawn from the controlled lists.
TERMS = {
    "population": ("populations", True),
    "sector": ("sectors", True),
    "intervention": ("interventions", True),
    "language": ("languages", True),
    "stage": ("stages", False),
    "stream": ("streams", False),
    "immigration_status": ("immigration_statuses", False),
    "mode": ("delivery_mode", False),
}
PARAMETERS = ("age", "gender", "income_support", "near", "ward", "start_within_days", "hours", "mode_required",
              *TERMS)


def described(args):
    """Whether any part of a profile was given: an empty form shows the form, not results."""
    return any((value or "").strip() for name in PARAMETERS for value in args.getlist(name))


def parse_profile(args, vocabularies, ward_at):
    """(ClientProfile of every valid field, {parameter: message} for the others)."""
    errors = {}
    fields = {}
    for name, reader in _readers(vocabularies, ward_at).items():
        try:
            fields.update(reader(args))
        except BadParameter as error:
            errors[error.parameter] = error.message
    return ClientProfile(**fields), errors


def parse_limit(args):
    value = (single(args, "limit") or "").strip()
    if not value:
        return DEFAULT_LIMIT
    if not _digits(value) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadParameter("limit", _("use a whole number from 1 to %(most)d", most=MAX_LIMIT))
    return int(value)


def _readers(vocabularies, ward_at):
    readers = {
        "age": lambda args: {"age": _number(args, "age", MAX_AGE)},
        "start_within_days": lambda args: {"start_within_days": _number(args, "start_within_days", MAX_START_DAYS)},
        "gender": lambda args: {"gender": _choice(args, "gender", GENDERS)},
        "hours": lambda args: {"hours": _choice(args, "hours", HOURS)},
        "income_support": lambda args: {"income_support": _income_support(args, vocabularies)},
        "near": lambda args: _place(args, ward_at),
        "ward": _ward,
        "mode_required": lambda args: {"mode_required": _yes(args, "mode_required")},
    }
    for name, (vocabulary, repeatable) in TERMS.items():
        readers[name] = _term_reader(name, vocabularies[vocabulary], repeatable)
    return readers


def _term_reader(name, vocabulary, repeatable):
    field = {"population": "populations", "sector": "sectors", "intervention": "interventions",
             "language": "languages"}.get(name, name)

    def read(args):
        values = [v.strip() for v in args.getlist(name) if v.strip()]
        for value in values:
            if value not in vocabulary:
                raise BadParameter(name, vocabulary.refusal(value, f'"{value[:40]}"'))
        if repeatable:
            return {field: tuple(values) if field == "languages" else frozenset(values)}
        if len(values) > 1:
            raise BadParameter(name, _("choose one value"))
        return {field: values[0] if values else None}

    return read


def _number(args, name, highest):
    value = (single(args, name) or "").strip()
    if not value:
        return None
    if not _digits(value) or int(value) > highest:
        raise BadParameter(name, _('"%(value)s" is not a whole number from 0 to %(most)d', value=value[:20], most=highest))
    return int(value)


def _digits(value):
    """ASCII digits only: "²" and "①" pass str.isdigit but are not numbers anyone typed."""
    return value.isascii() and value.isdigit()


def _choice(args, name, choices):
    value = (single(args, name) or "").strip()
    if not value:
        return None
    if value not in choices:
        raise BadParameter(name, _('"%(value)s" is not one of: %(choices)s', value=value[:40], choices=", ".join(choices)))
    return value


def _yes(args, name):
    """A checkbox's value: ticked (1, on, true) or not (empty, 0, false); anything else is named."""
    value = (single(args, name) or "").strip()
    if value not in YES_NO:
        raise BadParameter(name, _("Give %(name)s as 1 or 0.", name=name))
    return YES_NO[value]


def _income_support(args, vocabularies):
    value = (single(args, "income_support") or "").strip()
    if not value or value == NO_INCOME_SUPPORT:
        return value or None
    if value not in vocabularies["income_supports"]:
        raise BadParameter("income_support", vocabularies["income_supports"].refusal(value, f'"{value[:40]}"'))
    return value


def _ward(args):
    """The client's ward, for a caseworker who knows it rather than the postal code; a postal
    code, when given too, decides (its ward is derived from it)."""
    value = (single(args, "ward") or "").strip()
    if not value:
        return {}
    if not WARDS.is_code(value.zfill(WARDS.digits)):
        raise BadParameter("ward", _('"%(value)s" is not a ward number (%(span)s)', value=value[:20], span=WARDS.span()))
    return {} if (single(args, "near") or "").strip() else {"ward": value.zfill(WARDS.digits)}


def _place(args, ward_at):
    near = parse_near(single(args, "near"))
    if near is None:
        return {}
    return {"location": near.point, "ward": ward_at(*near.point)}
