"""Referral pages: an organization's inbox and outbox, sending, a referral's timeline and actions."""

from flask import Blueprint

bp = Blueprint("referrals", __name__)


@bp.route("/referrals")
def inbox():
    return "", 404
