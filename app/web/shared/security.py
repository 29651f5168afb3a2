"""Security headers on every response, with a fresh script nonce for each page."""

import secrets
from urllib.parse import urlsplit

from flask import current_app, g


def csp_nonce():
    """The nonce that lets this response's own inline scripts (maps) run, and nothing else."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy():
    scripts = "'self'" + (f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else "")
    images = "'self' data:"
    tiles = current_app.config.get("ATLAS_MAP_TILES", "")
    if tiles and tiles != "none":
        images += " " + tile_origin(tiles)
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src {images}; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; "
        "form-action 'self'"
    )


def tile_origin(template):
    """The origin map tiles come from, as a CSP source ({s} subdomains become a wildcard)."""
    parts = urlsplit(template)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def add_headers(response):
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def register(app):
    app.after_request(add_headers)
    app.add_template_global(csp_nonce)
