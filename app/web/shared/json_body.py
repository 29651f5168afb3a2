"""Reading JSON bodies: a body nested too deeply to parse is a bad request, not a crash.

Python's parser recurses once per level, so ``[`` repeated 100,000 times raises RecursionError,
which Flask does not treat as a parse error. Turned into ValueError here, it reaches Flask's
usual path: ``get_json(silent=True)`` gives None, and a strict read answers 400.
"""

from flask.json.provider import DefaultJSONProvider


class GuardedJSON(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply to read.") from None


def register(app):
    app.json = GuardedJSON(app)
