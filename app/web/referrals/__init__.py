"""Closed-loop referrals: the pages, the API for partners' own systems, and what both share."""

from . import api, pages

PAGES = (pages.bp,)
APIS = (api.bp,)
