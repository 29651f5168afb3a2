"""Saving one listing from a form or the API: the same write whichever door it came through."""

from .. import search


def save_listing(app, db, actor, record, changes, base_version, action):
    """Write the listing and its audit entry together, then let the index catch up.

    Returns the listing as this save wrote it, read in the same transaction: another save
    right after must not lend it its version. Raises VersionConflict when the listing is no
    longer at ``base_version``; nothing is written then. A save that changes nothing writes
    nothing and returns None.
    """
    if not changes:
        return None
    with db.write():
        version = db.catalog.save_program(record, expected_version=base_version)
        db.audit.record(actor, action, "program", record["id"], changes, version=version)
        db.rename_organization(record["organization_id"], record["organization"], actor)
        saved = db.catalog.get_program(record["id"])
    search.after_commit(app, db)
    return saved
