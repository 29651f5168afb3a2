"""How the concurrent-edit test and the integrity benchmark count lost edits. A benchmark once
printed one lost edit of 2,263 with a history that matched exactly: the same value had been
saved twice (two rounds of the same editor), and the older save stood for the newer one."""

from types import SimpleNamespace

from ..support.editors import verify


def audit(entries):
    """A database stub holding one listing's audit history (newest first, as it returns it) and
    its final record."""
    def history(entity, listing):
        return [{"action": "edit", "version": version, "changes": {name: [None, value]}}
                for version, name, value in sorted(entries, reverse=True)]

    final = {}
    for _version, name, value in sorted(entries):
        final[name] = value
    return SimpleNamespace(audit=SimpleNamespace(history=history),
                           catalog=SimpleNamespace(get_program=lambda listing: {"description": "", "eligibility": "",
                                                                               "fee": "", "seats": 0, **final}))


def test_the_same_value_saved_twice_is_not_counted_as_a_lost_edit():
    saves = [(1, "description", "ed edit 1"), (2, "description", "other edit 1"), (3, "description", "ed edit 1")]
    acknowledged = [("L", name, value) for _version, name, value in saves]
    assert verify(audit(saves), ["L"], acknowledged) == (0, 0)


def test_an_acknowledged_edit_the_record_lost_is_counted():
    saves = [(1, "description", "first"), (2, "description", "second")]
    db = audit(saves)
    db.catalog.get_program = lambda listing: {"description": "first", "eligibility": "", "fee": "", "seats": 0}
    assert verify(db, ["L"], [("L", "description", "first"), ("L", "description", "second")]) == (1, 0)


def test_an_acknowledged_edit_missing_from_the_history_is_a_mismatch_even_when_repeated():
    saves = [(1, "fee", "free")]
    assert verify(audit(saves), ["L"], [("L", "fee", "free"), ("L", "fee", "free")]) == (0, 1)
