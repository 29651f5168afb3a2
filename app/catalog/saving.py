"""Saving one listing from a form or the API: the same write whichever door it came through."""

from .. import search


def save_listing(app, db, actor, record, changes, base_version, action):
    """Write the listing and its audit entry together, then let the index catch up.

    Raises VersionConflict when the listing is no longer at ``base_version``; nothing is
    written then. A save that changes nothing writes nothing.
    """
    if not changes:
        return
    with db.write():
        version = db.catalog.save_program(record, expected_version=base_version)
        db.audit.record(actor, action, "program", record["id"], changes, version=version)
        db.rename_organization(record["organization_id"], record["organization"], actor)
    search.after_commit(app, db)
