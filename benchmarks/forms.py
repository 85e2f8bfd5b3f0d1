"""The fields of a page's POST form, read from its HTML as a browser would submit them
(hidden inputs such as the CSRF token and the line's version included): shared by the
benchmark and the load test, which record updates through the real form."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_contains: str):
        super().__init__()
        self.action_contains = action_contains
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.inside = method == "post" and self.action_contains in (attrs.get("action") or "")
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file"}:
                self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def post_form_fields(html: str, action_contains: str = "") -> dict[str, str]:
    """The named fields of the POST form(s) whose action contains `action_contains` (an
    empty action, the page itself, matches ""): inputs, checked boxes, text areas."""
    reader = _FormReader(action_contains)
    reader.feed(html)
    return reader.fields
