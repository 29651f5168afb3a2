"""When a closed referral's client details are removed.

Anonymising keeps what statistics need (dates, statuses, reasons from the list, the outcome, the
fit rating) and removes what could identify a client: the reference, the note, the needs profile
and every free-text comment. The period is a setting: Ontario's MFIPPA Regulation 823 (s. 5) has
an institution keep personal information it has used for at least one year after that use.
"""

import datetime as dt

# Columns blanked on the referral, and on its timeline events.
CLIENT_COLUMNS = ("client_ref", "needs", "note", "override_reason", "reason_text", "outcome_text",
                  "fit_comment", "appropriate_comment")
EVENT_COLUMNS = ("reason_text",)


def purge_cutoff(now, retention_days):
    """Referrals closed before this moment are due for anonymisation."""
    return now - dt.timedelta(days=retention_days)
