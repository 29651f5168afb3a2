"""Search: Whoosh schema, indexing, query parsing and facets, kept in step with the store.

The calls the rest of the application makes: ``sync`` after every write, ``search`` to answer
a query, ``rebuild`` and ``check`` to recreate or verify the derived index, ``ensure`` at
start-up.
"""

import threading

from ..geo import places
from ..geo.postcodes import district
from . import engine
from .index import SearchIndex
from .snapshot import SegmentCache, Snapshot

EXTENSION = "atlas.search"


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
            whoosh_index = self.index.open()
            key = (self.index.target(), whoosh_index.latest_generation())
            if key != self._key:
                snapshot = Snapshot(whoosh_index.searcher(), self._cache, self.index.words)
                self._snapshot, self._key = snapshot, key
            return self._snapshot

    def synonyms(self, vocabularies):
        if self._synonyms is None:
            self._synonyms = engine.synonym_table(vocabularies)
        return self._synonyms


def with_places(program, names=None):
    """The program plus where its sites are: wards and neighbourhoods for the facets, and the
    names of their districts and neighbourhoods, so a search for "Scarborough" finds them.
    """
    sites = program.get("sites", [])
    wards = sorted({s["ward"] for s in sites if s.get("ward")})
    neighbourhoods = sorted({s["neighbourhood"] for s in sites if s.get("neighbourhood")})
    names = names or {}
    places = {district(site.get("postal_code")) for site in sites}
    places |= {names.get(code) for code in neighbourhoods}
    return dict(program, wards=wards, neighbourhoods=neighbourhoods, places=sorted(p for p in places if p))


def _neighbourhood_names(app):
    boundaries = places.load(app.instance_path)
    return boundaries.neighbourhood_names() if boundaries else {}


def rebuild(app, store, progress=None):
    """Rebuild the whole index from the database; returns the number of programs indexed."""
    vocabularies = app.extensions["atlas.vocabularies"]
    names = _neighbourhood_names(app)
    programs = (with_places(p, names) for p in store.all_programs())
    return search_index(app).index.rebuild(programs, vocabularies, progress, store.count_programs())


def ensure(app, store):
    """Rebuild the index when it is missing or unreadable (one process at a time)."""
    index = search_index(app).index
    if index.usable():
        return False
    with index.rebuild_lock():
        if index.usable():
            return False
        rebuild(app, store)
        return True


def sync(app, store, program_ids):
    """Bring these programs' documents in line with the database (removing deleted ones)."""
    if not program_ids:
        return

    names = _neighbourhood_names(app)

    def load():
        programs, removed = [], []
        for program_id in program_ids:
            program = store.get_program(program_id)
            if program is None:
                removed.append(program_id)
            else:
                programs.append(with_places(program, names))
        return programs, removed

    search_index(app).index.update(load, app.extensions["atlas.vocabularies"])


def check(app, store):
    names = _neighbourhood_names(app)
    programs = (with_places(p, names) for p in store.all_programs())
    return search_index(app).index.check(programs, app.extensions["atlas.vocabularies"])


def search(app, request):
    """Run a SearchRequest; returns an engine.SearchResult."""
    handle = search_index(app)
    synonyms = handle.synonyms(app.extensions["atlas.vocabularies"])
    return engine.run(handle.snapshot(), request, synonyms)
