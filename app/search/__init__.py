"""Search: Whoosh schema, indexing, query parsing and facets, kept in step with the store.

The three calls the rest of the application makes: ``sync`` after every write, ``search`` to
answer a query, ``rebuild`` (and ``check``) to recreate or verify the derived index.
"""

from ..geo.postcodes import district
from . import engine, facets
from .index import SearchIndex

EXTENSION = "atlas.search"


def search_index(app):
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = _Handle(SearchIndex(app.instance_path))
    return app.extensions[EXTENSION]


class _Handle:
    """A process's index plus the facet data of the index generation it last saw."""

    def __init__(self, index):
        self.index = index
        self._facet_key = None
        self._facet_data = None
        self._synonyms = None

    def facet_data(self, searcher):
        key = (self.index.target(), searcher.reader().generation())
        if key != self._facet_key:
            self._facet_data = facets.load(searcher.reader())
            self._facet_key = key
        return self._facet_data

    def synonyms(self, vocabularies):
        if self._synonyms is None:
            self._synonyms = engine.synonym_table(vocabularies)
        return self._synonyms


def with_places(program):
    """The program plus the district names of its sites, so "Scarborough" finds them."""
    places = [district(site.get("postal_code")) for site in program.get("sites", [])]
    return dict(program, places=sorted({p for p in places if p}))


def rebuild(app, store, progress=None):
    """Rebuild the whole index from the database; returns the number of programs indexed."""
    vocabularies = app.extensions["atlas.vocabularies"]
    programs = (with_places(p) for p in store.all_programs())
    return search_index(app).index.rebuild(programs, vocabularies, progress)


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

    def load():
        programs, removed = [], []
        for program_id in program_ids:
            program = store.get_program(program_id)
            if program is None:
                removed.append(program_id)
            else:
                programs.append(with_places(program))
        return programs, removed

    search_index(app).index.update(load, app.extensions["atlas.vocabularies"])


def check(app, store):
    programs = (with_places(p) for p in store.all_programs())
    return search_index(app).index.check(programs, app.extensions["atlas.vocabularies"])


def search(app, request):
    """Run a SearchRequest; returns an engine.SearchResult."""
    handle = search_index(app)
    vocabularies = app.extensions["atlas.vocabularies"]
    with handle.index.open().searcher() as searcher:
        data = handle.facet_data(searcher)
        return engine.run(searcher, data, request, handle.synonyms(vocabularies))
