"""The web layer: one package per user job, and the plumbing every page shares.

``register`` is the one place that puts them on the application. A job's package may use the
shared plumbing and the core packages (catalog, matching, referrals, gaps...), never another
job's views; nothing outside ``app.web`` imports from it.
"""

from . import accounts, api, editing, gaps, match, programs, referrals, shared


def register(app):
    """Blueprints for every job, then the shared request plumbing, in the order it must run.

    The size check comes before the CSRF check (which reads the form), and static files'
    cache headers replace the no-store that signing in gives a response.
    """
    for job in (programs, match, referrals, gaps, accounts, editing):
        for blueprint in job.PAGES:
            app.register_blueprint(blueprint)
    shared.register(app)
    for job in (api, referrals):
        for blueprint in job.APIS:
            app.register_blueprint(blueprint)
    shared.register_last(app)
