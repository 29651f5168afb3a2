"""Read an HTML form the way a browser submits it: what a person editing a page sends back.

Used by tests and benchmarks that act as editors: they load a form, change one field, and post
every field as loaded, exactly as a browser would from a tab opened a while ago.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, False, []
        self._textarea = self._select = None
        self._selected = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.action in (attrs.get("action") or "")
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name"):
            self._input(attrs)
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self._select, self._selected = attrs.get("name"), None
        elif tag == "option" and self._select and (self._selected is None or "selected" in attrs):
            self._selected = attrs.get("value", "")  # the first option, unless one is selected

    def _input(self, attrs):
        kind = (attrs.get("type") or "text").lower()
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        if kind not in ("submit", "button", "reset", "image", "file"):
            self.fields.append((attrs["name"], attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._selected or ""))
            self._select = None


def form_fields(html, action):
    """[(name, value)] the form whose action contains ``action`` would submit, in page order."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields


def with_value(fields, name, value):
    """The same submission with one field set (added when the form had no such field)."""
    changed = [(n, value if n == name else v) for n, v in fields]
    return changed if any(n == name for n, _ in fields) else changed + [(name, value)]


def value_of(fields, name):
    return next((v for n, v in fields if n == name), None)
