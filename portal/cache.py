"""A short-lived cache of what every page of a SPOC shows beside its main content (the duty badge,
the requests to chase, the people one may assign to), kept per application process.

These side panels cost as much as the inbox itself and change rarely. Each entry belongs to one
country and lives `SIDE_PANEL_SECONDS` (10 by default; 0 switches the cache off). Any change a
user of a SPOC makes through this process (a POST, PUT, PATCH or DELETE, page or API) drops that
SPOC's entries when the response leaves, so the user who acted sees the change at once; another
process of the same deployment shows it after at most `SIDE_PANEL_SECONDS`. Nothing that decides
who may see what is cached: a key always starts with the country, and callers ask policy first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app, g, request
from flask_login import current_user

T = TypeVar("T")
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SidePanelCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._entries: dict[tuple, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, country_code: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of (country, key), or compute() when it is absent or older than the TTL."""
        if self.seconds <= 0:
            return compute()
        full = (country_code, key)
        now = time.monotonic()
        hit = self._entries.get(full)
        if hit is not None and now - hit[0] < self.seconds:
            return hit[1]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._entries[full] = (now, value)
        return value

    def drop(self, country_code: str) -> None:
        """Forget every entry of a SPOC (after a change made by one of its users)."""
        with self._lock:
            for full in [k for k in self._entries if k[0] == country_code]:
                del self._entries[full]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def side_panels(app: Flask | None = None) -> SidePanelCache:
    return (app or current_app).extensions["spoc_side_panels"]


def init_app(app: Flask) -> None:
    app.extensions["spoc_side_panels"] = SidePanelCache(float(app.config.get("SIDE_PANEL_SECONDS", 10)))

    @app.after_request
    def _drop_after_a_change(response):
        if request.method in _WRITES:
            user = g.get("api_user") or current_user._get_current_object()  # the API's token, or the page's login
            country = getattr(user, "country_code", None) if getattr(user, "is_authenticated", False) else None
            if country:
                side_panels(app).drop(country)
        return response
