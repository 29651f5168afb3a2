"""Finding programs: the home page, search and browse, a program, the directory, the map."""

from . import maps, pages

PAGES = (pages.bp, maps.bp)
