"""Search: Whoosh schema, indexing, query parsing and facets, kept in step with the store.

The index is fed only from what the database committed: every change to a program leaves a
row in the database's index outbox (written by triggers, in the change's own transaction), and
``catch_up`` applies whatever the index has not seen yet. It runs after every save, at start-up,
after a rebuild and from a periodic check, so a crash or a kill at any point heals by itself.

The calls the rest of the application makes: ``after_commit`` after every write, ``search`` to
answer a query, ``rebuild`` and ``check`` to recreate or verify the derived index, ``ensure``
and ``catch_up`` at start-up, ``lag`` for health checks.
"""

import logging
import threading

from whoosh.index import EmptyIndexError, LockError

from ..catalog import reach
from ..geo import places
from ..geo.postcodes import district
from . import engine
from .explain import matched
from .index import WRITE_TIMEOUT_SECONDS, SearchIndex
from .schema import build_schema
from .snapshot import SegmentCache, Snapshot

EXTENSION = "atlas.search"
AFTER_COMMIT_TIMEOUT_SECONDS = 5  # a save waits this long for a busy index, then leaves it to the next catch-up
log = logging.getLogger(__name__)


class IndexUnavailable(RuntimeError):
    """The index cannot be opened now (missing while it is rebuilt, or unreadable)."""


def search_index(app):
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = _Handle(SearchIndex(app.instance_path))
    return app.extensions[EXTENSION]


class _Handle:
    """A process's index, and the snapshot of the index generation it last saw."""

    def __init__(self, index):
        self.index = index
        self._cache = SegmentCache()
        self._snapshot = None
        self._key = None
        self._synonyms = None
        self._lock = threading.Lock()

    def snapshot(self):
        """The current snapshot, replaced when a write or a rebuild changed the index."""
        with self._lock:
            try:
                whoosh_index = self.index.open()
                key = (self.index.target(), whoosh_index.latest_generation())
            except (OSError, EmptyIndexError) as error:
                raise IndexUnavailable(str(error)) from error
            if key != self._key:
                snapshot = Snapshot(whoosh_index.searcher(), self._cache, self.index.words)
                self._snapshot, self._key = snapshot, key
            return self._snapshot

    def synonyms(self, vocabularies):
        if self._synonyms is None:
            self._synonyms = engine.synonym_table(vocabularies)
        return self._synonyms


def with_places(program, places_known=None):
    """The program plus where it is and whom it serves, for the facets: the wards and
    neighbourhoods of its sites, those it serves, how it reaches people without a site
    (city-wide, online), and the names of its districts and neighbourhoods, so a search for
    "Scarborough" finds them. ``places_known`` comes from ``place_context``.
    """
    known = places_known or {}
    ward_of = known.get("neighbourhood_wards") or {}
    names = known.get("neighbourhood_names") or {}
    sites = program.get("sites", [])
    neighbourhoods = reach.site_neighbourhoods(program)
    place_names = {district(site.get("postal_code")) for site in sites}
    place_names |= {names.get(code) for code in neighbourhoods}
    return dict(
        program,
        wards=reach.site_wards(program),
        neighbourhoods=neighbourhoods,
        wards_served=reach.wards_served(program, ward_of),
        neighbourhoods_served=reach.neighbourhoods_served(program, ward_of),
        reach=reach.reach_tokens(program),
        places=sorted(p for p in place_names if p),
    )


def place_context(app):
    """What indexing needs from the boundaries, read once per rebuild or catch-up."""
    boundaries = places.load(app.instance_path)
    if boundaries is None:
        return {}
    return {"neighbourhood_names": boundaries.neighbourhood_names(),
            "neighbourhood_wards": boundaries.neighbourhood_wards()}


def rebuild(app, db, progress=None):
    """Rebuild the whole index from the database, then apply what was committed meanwhile.

    Returns the number of programs indexed. Programs are read in one snapshot together with
    the outbox position, so a save committed during the rebuild is applied right after the swap.
    """
    with search_index(app).index.rebuild_lock():
        count, position = _rebuild(app, db, progress)
    with db.write():
        db.outbox.prune(position)
    return count


def _rebuild(app, db, progress=None):
    known = place_context(app)
    with db.read():
        position = db.outbox.latest()
        programs = db.catalog.all_programs()
    count = search_index(app).index.rebuild(
        (with_places(p, known) for p in programs), app.extensions["atlas.vocabularies"], progress,
        len(programs), position,
    )
    catch_up(app, db)
    return count, position


def ensure(app, db):
    """Rebuild the index when it is missing, unreadable, from before outbox positions, built
    from another database (a backup restored in place: its positions start again lower), or
    built by a release whose index had other fields (a new facet would find nothing)."""
    index = search_index(app).index
    if _trustworthy(index, db):
        return False
    with index.rebuild_lock():
        if _trustworthy(index, db):
            return False
        _rebuild(app, db)
    return True


def _trustworthy(index, db):
    return (index.usable() and index.applied() <= db.outbox.sequence()
            and set(index.open().schema.names()) == set(build_schema().names()))


def catch_up(app, db, timeout=None):
    """Apply every change the database committed that the index has not seen; returns how many.

    Cheap when there is nothing to do: one indexed query and one small file read.
    """
    index = search_index(app).index
    if db.outbox.latest() <= (index.applied() or 0):
        return 0
    known = place_context(app)

    def load(applied):
        with db.read():
            position, program_ids = db.outbox.pending(applied)
            found = {p["id"]: p for batch in _batches(program_ids) for p in db.catalog.get_programs(batch)}
        programs = [with_places(found[i], known) for i in program_ids if i in found]
        return programs, [i for i in program_ids if i not in found], position

    return index.update(load, app.extensions["atlas.vocabularies"],
                        timeout=WRITE_TIMEOUT_SECONDS if timeout is None else timeout)


def after_commit(app, db, timeout=None):
    """Bring the index up to date after a save; returns how many programs it applied.

    Nothing the index does fails the save: the change is committed and in the outbox, and the
    next catch-up (the worker's periodic check, or its next start) applies it.
    """
    try:
        return catch_up(app, db, timeout=AFTER_COMMIT_TIMEOUT_SECONDS if timeout is None else timeout)
    except LockError:
        log.warning("The search index was busy; the change will be indexed by the next catch-up.")
    except Exception:  # noqa: BLE001 - a lost or damaged index is repaired by the periodic check
        log.exception("The search index could not apply the change now; the next catch-up will.")
    return 0


def prune(app, db):
    """Forget outbox rows the index applied long ago, so the outbox stays small."""
    applied = search_index(app).index.applied()
    if applied:
        with db.write():
            db.outbox.prune(applied)


def _batches(ids, size=500):
    """Ids a few hundred at a time: one SQL statement takes a limited number of parameters."""
    return (ids[start:start + size] for start in range(0, len(ids), size))


def lag(app, db):
    """Programs changed in the database that the index has not applied yet."""
    return db.outbox.count_after(search_index(app).index.applied() or 0)


def check(app, db):
    known = place_context(app)
    programs = (with_places(p, known) for p in db.catalog.all_programs())
    return search_index(app).index.check(programs, app.extensions["atlas.vocabularies"])


def search(app, request):
    """Run a SearchRequest; returns an engine.SearchResult."""
    handle = search_index(app)
    synonyms = handle.synonyms(app.extensions["atlas.vocabularies"])
    return engine.run(handle.snapshot(), request, synonyms)


def explain(app, request, programs):
    """{program id: [what it matched]} for one page of results."""
    vocabularies = app.extensions["atlas.vocabularies"]
    table = search_index(app).synonyms(vocabularies)
    return {program["id"]: matched(program, request, table, vocabularies) for program in programs}
