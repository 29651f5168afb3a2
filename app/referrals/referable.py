"""Which programs can receive a referral through the atlas."""

from flask_babel import gettext as _

from ..catalog.listing import effective_status

SELF_REFERRAL_ONLY = "self-referral"


def referable_problem(program, today):
    """Why nobody can refer to this program through the atlas, or None."""
    if program.get("referral_method") == SELF_REFERRAL_ONLY:
        return _("This program takes applications from people themselves, not referrals from agencies: "
                 "give the client its details instead.")
    if effective_status(program, today) == "ended":
        return _("This program has ended.")
    if program.get("listing_type") not in (None, "", "program"):
        return _("Only programs people can join receive referrals.")
    return None


def referable(programs, today):
    """The programs that take referrals through the atlas now."""
    return [program for program in programs if not referable_problem(program, today)]
