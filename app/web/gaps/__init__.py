"""The convenor dashboard (/gaps, /api/gaps): figures, their page, their CSV files."""

from . import views

PAGES = (views.bp,)
