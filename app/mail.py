"""Email, when a mail server is set: a referral notification says only that something changed
and where to look, so a message read over a shoulder or forwarded by mistake reveals nothing."""

import logging
import smtplib
import threading
from email.message import EmailMessage

from flask_babel import gettext as _

log = logging.getLogger(__name__)
_pending = []
_lock = threading.Lock()


def send(config, to, subject, body):
    """Send one plain-text message; False (and a log line without the address) when no server
    is set or it refused. Never raises: a mail server being down must not undo a referral."""
    if not config.get("ATLAS_SMTP_HOST"):
        return False
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["ATLAS_MAIL_FROM"]
    message["To"] = to
    message.set_content(body)
    try:
        with smtplib.SMTP(config["ATLAS_SMTP_HOST"], config["ATLAS_SMTP_PORT"], timeout=20) as server:
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("A notification email could not be sent: %s", type(error).__name__)
        return False
    return True


def referral_notice(config, people, link):
    """Tell each person (dicts with email) that a referral changed, from a background thread:
    a slow or unreachable mail server must not keep a caseworker waiting on the page. Returns
    the thread, or None when no mail server is set."""
    if not config.get("ATLAS_SMTP_HOST") or not people:
        return None
    subject = _("A referral changed in the Toronto Workforce Atlas")
    body = _("Something changed on a referral your organization sent or received.\n\n"
             "Sign in to see it: %(link)s\n", link=link)
    addresses = sorted({person["email"] for person in people})
    thread = threading.Thread(target=_deliver, args=(dict(config), addresses, subject, body),
                              name="atlas-mail", daemon=True)
    with _lock:
        _pending[:] = [t for t in _pending if t.is_alive()] + [thread]
    thread.start()
    return thread


def _deliver(config, addresses, subject, body):
    for address in addresses:
        send(config, address, subject, body)


def wait_for_delivery(timeout=30):
    """Wait for messages being sent in the background (a command about to exit; tests)."""
    with _lock:
        threads = list(_pending)
    for thread in threads:
        thread.join(timeout)
