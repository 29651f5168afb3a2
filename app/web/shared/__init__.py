"""What every page shares: request parameters, forms, errors, sign-in and CSRF, security
headers, static assets, the health check and the helpers templates use."""

from . import auth, body_limit, errors, health, json_body, security, static_assets, template_helpers


def register(app):
    """Plumbing that must run before a job's own request handling (see ``app.web.register``)."""
    json_body.register(app)
    app.register_blueprint(health.bp)
    template_helpers.register(app)
    body_limit.register(app)
    static_assets.register(app)
    auth.register(app)


def register_last(app):
    """Error pages and security headers, which apply to every response, the API's included."""
    errors.register(app)
    security.register(app)
