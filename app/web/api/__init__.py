"""The JSON API under /api for partners' own systems, and its OpenAPI description."""

from . import views

PAGES = ()
APIS = (views.bp,)
