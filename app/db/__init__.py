"""The only code that talks to SQLite: a connection, migrations, and one module per aggregate.

``Database`` bundles them for one process or request: ``db.catalog``, ``db.accounts``,
``db.audit``, ``db.outbox`` and ``db.referrals`` share its connection, so one ``db.write()`` covers a change and
its audit entry and index work together.
"""

from ..accounts import resets
from . import migrations
from .accounts import Accounts
from .audit import AuditLog
from .catalog import Catalog, VersionConflict
from .connection import Connection
from .outbox import IndexOutbox
from .referrals import Referrals

__all__ = ["Database", "VersionConflict", "migrations", "open_database"]


class Database:
    def __init__(self, path, busy_timeout_ms=5000):
        self.connection = Connection(path, busy_timeout_ms)
        self.catalog = Catalog(self.connection)
        self.accounts = Accounts(self.connection)
        self.audit = AuditLog(self.connection)
        self.outbox = IndexOutbox(self.connection)
        self.referrals = Referrals(self.connection, self.audit)

    @property
    def path(self):
        return self.connection.path

    def write(self, busy_timeout_ms=None):
        return self.connection.write(busy_timeout_ms)

    def read(self):
        return self.connection.read()

    def migrate(self):
        return migrations.migrate(self.connection)

    def schema_version(self):
        return migrations.version(self.connection.db)

    def check_schema(self):
        migrations.check(self.connection.db)

    def rename_organization(self, organization_id, name, actor, expected_version=None):
        """Rename an organization on itself and all its listings, each change in the audit log.

        Call inside ``write()``. Does nothing when the name is already this one.
        """
        current = self.catalog.get_organization(organization_id)
        if current is None or current["name"] == name:
            return
        version, renamed = self.catalog.rename_organization(organization_id, name, expected_version)
        self.audit.record(actor, "rename", "organization", organization_id, {"name": [current["name"], name]}, version)
        for program_id, old, program_version in renamed:
            self.audit.record(actor, "rename", "program", program_id, {"organization": [old, name]}, program_version)

    def issue_reset(self, user, actor, now):
        """A new one-hour password-reset token for ``user``, stored as its digest with an audit
        entry; returned so it can be sent or shown once."""
        token = resets.new_token()
        with self.write():
            self.accounts.add_reset(resets.digest(token), user["id"], now + resets.LIFETIME_SECONDS)
            self.audit.record(actor, "reset-link", "user", user["id"], {})
        return token

    def backup(self, destination):
        self.connection.backup(destination)

    def close(self):
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_database(config):
    """The database an app's settings name (connected on first use)."""
    return Database(config["DATABASE"], config["ATLAS_BUSY_TIMEOUT_MS"])
