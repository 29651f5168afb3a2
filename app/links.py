"""Absolute links to give people: in an email, a printed reset link, a page to pass on.

Built from ``ATLAS_BASE_URL``, never from a header a client could set, and without needing a
request, so periodic work and commands make the same links as pages do.
"""

from flask import has_request_context, request

FALLBACK_BASE = "http://127.0.0.1:5000"


def public_url(app, endpoint, **values):
    """The site's address for ``endpoint``: ``ATLAS_BASE_URL`` when set; otherwise the address
    a page was asked at (a site without a configured address), or the development server's."""
    base = app.config["ATLAS_BASE_URL"] or (request.host_url if has_request_context() else FALLBACK_BASE)
    path = app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path
