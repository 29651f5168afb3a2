"""Every setting the application reads, declared once as data.

Settings come from the environment (``ATLAS_*`` variables) over these defaults; a test or
``create_app(test_config)`` overrides both. The README documents each one, and a test keeps
the two in step.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    cast: type = str


SETTINGS = (
    Setting(
        "ATLAS_INSTANCE_PATH",
        str(PROJECT_ROOT / "instance"),
        "Folder holding the SQLite database, the search index and downloaded geodata.",
    ),
    Setting(
        "ATLAS_DATA_PATH",
        str(PROJECT_ROOT / "data"),
        "Folder holding programs.csv, sites.csv and the vocabulary files loaded by init-db.",
    ),
    Setting(
        "ATLAS_SECRET_KEY",
        "",
        "Key that signs session cookies. Set the same value for every worker in production; "
        "when empty, a key is created once in the instance folder and shared by all workers.",
    ),
    Setting(
        "ATLAS_BUSY_TIMEOUT_MS",
        5000,
        "How long a write waits for another worker's write to finish before giving up.",
        int,
    ),
    Setting(
        "ATLAS_IMPORT_MAX_BYTES",
        20 * 1024 * 1024,
        "Largest CSV file import-programs accepts.",
        int,
    ),
    Setting(
        "ATLAS_STALE_AFTER_DAYS",
        365,
        "A listing last verified longer ago than this is shown as stale.",
        int,
    ),
    Setting(
        "ATLAS_GEO_MIRROR",
        "",
        "Folder holding an offline copy of the boundary and profile files; fetch-geodata copies "
        "from it instead of downloading. The Makefile sets it to ../shared/geo when that exists.",
    ),
    Setting(
        "ATLAS_CKAN_URL",
        "https://ckan0.cf.opendata.inter.prod-toronto.ca",
        "The City of Toronto open-data portal (CKAN) that fetch-geodata downloads from.",
    ),
    Setting(
        "ATLAS_FSA_URL",
        "https://www12.statcan.gc.ca/census-recensement/2021/geo/sip-pis/boundary-limites/files-fichiers/lfsa000b21a_e.zip",
        "Statistics Canada's 2021 Forward Sortation Area boundary file (zipped shapefile).",
    ),
    Setting(
        "ATLAS_MAP_TILES",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Map tile URL template; set to 'none' to draw maps from the boundaries alone (offline).",
    ),
    Setting(
        "ATLAS_MAP_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "Attribution shown for the map tiles.",
    ),
    Setting(
        "ATLAS_HTTPS",
        0,
        "Set to 1 when the site is served over HTTPS: session cookies are then marked Secure and "
        "responses carry Strict-Transport-Security.",
        int,
    ),
    Setting(
        "ATLAS_SMTP_HOST",
        "",
        "Mail server for password-reset messages; when empty, no email is sent and an administrator "
        "makes reset links.",
    ),
    Setting("ATLAS_SMTP_PORT", 25, "Mail server port.", int),
    Setting(
        "ATLAS_BASE_URL",
        "",
        "The site's public address (https://atlas.example.org), used in links sent by email "
        "(password resets, referral notifications) or printed by reset-link; when empty, links use "
        "the address the request came to, and work without a request (reset-link, the referral "
        "deadlines) uses http://127.0.0.1:5000.",
    ),
    Setting("ATLAS_MAIL_FROM", "atlas@localhost", "Sender address of password-reset messages."),
    Setting(
        "ATLAS_LOGIN_LIMIT_ACCOUNT",
        5,
        "Failed sign-ins allowed per account in 15 minutes before further attempts get 429.",
        int,
    ),
    Setting(
        "ATLAS_LOGIN_LIMIT_ADDRESS",
        20,
        "Failed sign-ins allowed per network address in 15 minutes before further attempts get 429.",
        int,
    ),
    Setting(
        "ATLAS_PER_PAGE",
        20,
        "Programs shown on one page of the list.",
        int,
    ),
    Setting(
        "ATLAS_LOG_LEVEL",
        "INFO",
        "Least severe log messages written (DEBUG, INFO, WARNING, ERROR); INFO includes one line "
        "per request.",
    ),
    Setting(
        "ATLAS_TRUSTED_PROXIES",
        0,
        "Reverse proxies in front of the app whose X-Forwarded-For, -Proto and -Host headers are "
        "believed; 0 believes none. Sign-in limits per address need the client's own address.",
        int,
    ),
    Setting(
        "ATLAS_INDEX_CHECK_SECONDS",
        10,
        "How often each server worker applies database changes the search index has missed "
        "(and rebuilds a missing index); 0 turns the check off.",
        float,
    ),
    Setting(
        "ATLAS_PUBLIC_GAPS",
        0,
        "Set to 1 to show the convenor dashboard's aggregate figures (/gaps, /api/gaps) to everyone; "
        "by default only signed-in convenors and administrators see them.",
        int,
    ),
    Setting(
        "ATLAS_REFERRAL_OVERDUE_DAYS",
        2,
        "Business days a new referral may wait unopened by the receiving program before both sides "
        "see it flagged overdue and the receiver is reminded once.",
        int,
    ),
    Setting(
        "ATLAS_REFERRAL_EXPIRE_DAYS",
        10,
        "Business days a referral may stay 'requested' before it is cancelled with the reason "
        "'no response', so the sender can refer elsewhere.",
        int,
    ),
    Setting(
        "ATLAS_REFERRAL_RETENTION_DAYS",
        365,
        "Days after a referral is closed before purge-referrals removes its client reference, note "
        "and needs profile. Ontario's MFIPPA Regulation 823 (s. 5) has an institution keep personal "
        "information it used for at least one year after use, so this should not be shorter.",
        int,
    ),
    Setting(
        "ATLAS_STATS_MIN_REFERRALS",
        5,
        "Referrals a program must have received in the last 12 months before its response time and "
        "acceptance rate are shown.",
        int,
    ),
)


def from_environment(environ=None):
    """Return the settings as a dict, environment values cast to each setting's type."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        values[setting.name] = setting.default if raw in (None, "") else setting.cast(raw)
    return values
