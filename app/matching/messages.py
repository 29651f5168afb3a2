"""Every sentence the matching engine can say, as a whole template with named parameters.

A reason, caution or exclusion is a ``Note``: the topic it is about (the profile field or score
part, so a page can group or mark it), one complete template and its parameters. A translator
sees whole sentences ("client is %(age)d; the minimum age is %(minimum)d"), never fragments
glued together, and word order stays theirs. Templates use the ``%(name)s`` form that gettext
and flask-babel use, and are declared here once, wrapped in ``_N`` so that
``pybabel extract -k _N`` finds them. Vocabulary labels arrive as parameters: they are data and
are translated with the vocabulary, not here.
"""

from typing import NamedTuple


def _N(template):
    """Marks a template for extraction into the gettext catalogue; returns it unchanged."""
    return template


def identity(text):
    return text


def shared(build):
    """``note(key)`` built once per distinct key: the programs of one request share a handful
    of sentences, and sharing them keeps a request's allocations small."""
    cache = {}

    def note(key):
        found = cache.get(key)
        if found is None:
            found = cache[key] = build(key)
        return found

    return note


class Note(NamedTuple):
    topic: str
    template: str
    params: dict = {}

    def render(self, translate=identity):
        """The sentence in the reader's language: ``translate`` maps a template to its
        translation (flask-babel's ``gettext`` does; the default keeps English)."""
        return translate(self.template) % self.params

    @property
    def text(self):
        return self.render()


# Why a program is excluded.
ENDED = _N("has ended")
ENDED_IN = _N("ended in %(year)s")
NOT_A_PROGRAM = {
    "funder": _N("not a program people join (a funder)"),
    "network": _N("not a program people join (a network)"),
    "research": _N("not a program people join (a research body)"),
    "intermediary": _N("not a program people join (an intermediary)"),
}
NOT_A_PROGRAM_OTHER = _N("not a program people join (%(kind)s)")
NO_CAPACITY = _N("no capacity")
TOO_YOUNG = _N("client is %(age)d; the minimum age is %(minimum)d")
TOO_OLD = _N("client is %(age)d; the maximum age is %(maximum)d")
WOMEN_ONLY = _N("women only; client is a man")
ONLY_FOR = _N("only for %(group)s")
ONLY_FOR_AGE = _N("only for %(group)s; client is %(age)d")
ONLY_FOR_SUPPORT = _N("only for %(group)s; client receives %(support)s")
ONLY_FOR_NO_SUPPORT = _N("only for %(group)s; client receives no income support")
ONLY_FOR_FRENCH = _N("only for %(group)s; French is not among the client's languages")
SUPPORT_ONLY = _N("%(supports)s recipients only; client receives %(support)s")
SUPPORT_ONLY_NONE = _N("%(supports)s recipients only; client receives no income support")
STATUS_NOT_ACCEPTED = _N("accepts %(accepted)s; client's status is %(status)s")
TORONTO_ONLY = _N("Toronto residents only; client's location is outside Toronto")
IN_PERSON_ONLY = _N("in person only; client can only take part online")
ONLINE_ONLY = _N("online only; client can only take part in person")

# What the client's profile left open, said once for all the programs it concerns.
AGE_NOT_GIVEN = _N("publishes an age range; client's age not given")
AGE_NOT_PUBLISHED = _N("age limits not published")
GROUP_NOT_KNOWN = _N("only for %(group)s; not known whether the client belongs")
YOUTH_NO_RANGE = _N("only for %(group)s, with no published maximum age; client is %(age)d")
WOMEN_NON_BINARY = _N("women only; ask whether it welcomes non-binary people")
SUPPORT_NOT_GIVEN = _N("only for people receiving certain income support; client's income support not given")
STATUS_NOT_GIVEN = _N("accepts only some immigration statuses; client's status not given")
LOCATION_NOT_GIVEN = _N("has a residency rule; client's location not given")
RESIDENCY_UNDECIDED = _N("has a residency rule; client's location is outside Toronto")
MODE_NOT_PUBLISHED = _N("delivery mode not published")
LANGUAGES_NOT_PUBLISHED = _N("languages not published")
INTAKE_NOT_PUBLISHED = _N("intake dates not published")
LOCATION_NOT_PUBLISHED = _N("location not published")
HOURS_NOT_PUBLISHED = _N("hours (full-time or part-time) not published")

# Cautions: what to check before referring to a program the client can join.
AGES_FROM_TO = _N("ages %(minimum)d to %(maximum)d; client's age not given")
AGES_FROM = _N("ages %(minimum)d and over; client's age not given")
AGES_UP_TO = _N("ages up to %(maximum)d; client's age not given")
CHECK_GROUP = _N("only for %(group)s; check that the client belongs")
CHECK_YOUTH = _N("only for %(group)s, with no published maximum age; check that the client qualifies")
CHECK_SUPPORT = _N("%(supports)s recipients only; check the client's income support")
CHECK_STATUS = _N("accepts %(accepted)s; check the client's immigration status")
CHECK_RESIDENCY = _N("%(places)s; check where the client lives")
PARTLY_IN_PERSON = _N("partly in person")
IN_PERSON_CAUTION = _N("in person only")
ONLINE_CAUTION = _N("online only")
WAITLIST = _N("waitlist")
RECHECK = _N("listing needs re-checking")
INTAKE_PASSED = _N("the published intake date (%(date)s) has passed")
INTAKE_LATE = _N("next intake in %(days)d days, later than the client can start")
DEADLINE_PASSED = _N("the application deadline (%(date)s) has passed")
PAUSED = _N("paused: not taking people for now")
UNCONFIRMED = _N("not confirmed to be running")
ENDS_ON = _N("time-limited; ends on %(date)s")
FAR_SITE = _N("nearest site %(km).1f km away")
WARDS_ELSEWHERE = _N("serves only these wards: %(wards)s")
NOT_IN_LANGUAGES = _N("not offered in the client's languages")
OTHER_STREAMS = _N("lists only %(streams)s")

# Reasons: why a program suits the client.
SERVES_GROUP = _N("serves %(group)s")
SERVES_GROUP_AGED = _N("serves %(group)s %(minimum)d-%(maximum)d (client is %(age)d)")
SERVES_GROUP_FROM = _N("serves %(group)s %(minimum)d and over (client is %(age)d)")
SERVES_GROUP_UP_TO = _N("serves %(group)s up to %(maximum)d (client is %(age)d)")
SERVES_GROUP_CLIENT_AGE = _N("serves %(group)s (client is %(age)d)")
ALL_JOB_SEEKERS = _N("open to all job seekers")
SECTOR = _N("for work in %(sector)s")
ANY_SECTOR = _N("general employment help, any sector")
OFFERS = _N("offers %(intervention)s")
OFFERS_STAGE = _N("offers %(stage)s services")
STREAM = _N("serves %(stream)s clients")
NEAR_SITE = _N("site %(km).1f km away")
CITY_WIDE = _N("serves all of Toronto")
SERVES_WARD = _N("serves ward %(ward)s")
ONLINE = _N("offered online")
LANGUAGE = _N("%(language)s available")
CONTINUOUS = _N("continuous intake")
INTAKE_TODAY = _N("next intake today")
INTAKE_TOMORROW = _N("next intake tomorrow")
INTAKE_IN = _N("next intake in %(days)d days")
AGENCY_REFERRALS = _N("accepts agency referrals")
TAKING_PEOPLE = _N("taking people now")
MODE_AS_WISHED = _N("%(mode)s, as the client prefers")
NOTHING_EXCLUDES = _N("no published rule excludes the client")
