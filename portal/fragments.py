"""Rendered HTML fragments kept by what they are made of (issue 24: the answering page renders each of
its ~160 questions, the case page its fifteen action forms, on every request).

A fragment's key is everything its HTML is made of: the caller builds it from the very values the
template reads (the data, the page's language and time zone, the user's rights), so a change of any
of them is another key and renders afresh; nothing is invalidated, nothing can be stale. A key starts
with the country whose data the fragment shows, so no fragment of one country's data can be served
for another's page. Fragments live in this process only, at most `FRAGMENT_CACHE_MB` megabytes of
text (the least recently used go first; 0 switches the cache off).

The request's CSRF token is not part of a fragment: it is kept as a placeholder and the current
request's token is put back on every use. A fragment may have holes of its own for what differs at every
use (the inbox's rows, the address the navigation bar's language switch comes back to): `hole(name)` is
the mark to render in its place, and `get(…, fill={mark: html})` puts the use's part in.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, current_app, g
from markupsafe import Markup

_PLACEHOLDER = "\x00csrf-token\x00"  # cannot occur in rendered HTML (a NUL character)


def hole(name: str) -> Markup:
    """A mark to render where a kept fragment's per-use part goes (`FragmentCache.get`'s `fill`): not text a page
    can hold (NUL characters), unknown outside this process; call it once, at import."""
    return Markup(f"\x00{name}-{secrets.token_hex(8)}\x00")  # noqa: S704 - our mark


def frozen(value) -> Hashable:
    """A value for a key: lists, dicts and sets (JSON columns, answers) as their sorted JSON text."""
    if isinstance(value, list | dict | set | tuple):
        return json.dumps(sorted(value) if isinstance(value, set) else value, sort_keys=True, default=str)
    return value


def _current_token() -> str | None:
    from flask_wtf.csrf import generate_csrf

    return generate_csrf()


class FragmentCache:
    def __init__(self, chars: int) -> None:
        self.chars = chars  # the most text kept, in characters
        self.size = 0
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple, render: Callable[[], str], fill: dict[str, str] | None = None) -> Markup:
        """The fragment of key, rendered by render() when it is not kept (key: the country first), each of its
        holes (`hole`) filled with the HTML `fill` gives for it."""
        if self.chars <= 0:
            return _filled(str(render()), fill)
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
                self.hits += 1
        if html is None:
            self.misses += 1
            html = str(render())
            token = g.get("csrf_token")  # Flask-WTF's token of this request, when the fragment used it
            if token:
                html = html.replace(token, _PLACEHOLDER)
            with self._lock:
                old = self._items.pop(key, None)
                self.size += len(html) - len(old or "")
                self._items[key] = html
                while self.size > self.chars and self._items:
                    self.size -= len(self._items.popitem(last=False)[1])
        if _PLACEHOLDER in html:
            html = html.replace(_PLACEHOLDER, _current_token())
        return _filled(html, fill)

    def holds(self, text: str) -> bool:
        """Whether any kept fragment contains `text` (the erasure's test asks it of a person's name)."""
        with self._lock:
            return any(text in html for html in self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


def _filled(html: str, fill: dict[str, str] | None) -> Markup:
    for mark, part in (fill or {}).items():
        html = html.replace(mark, str(part), 1)
    return Markup(html)  # noqa: S704 - rendered by a template, escaped there; the parts are HTML of our own


def fragments(app: Flask | None = None) -> FragmentCache:
    return (app or current_app).extensions["spoc_fragments"]


def init_app(app: Flask) -> None:
    app.extensions["spoc_fragments"] = FragmentCache(int(float(app.config.get("FRAGMENT_CACHE_MB", 64)) * 1_000_000))
