"""What each domain contributes to the app as it is built, kept in `app.extensions["spoc_registry"]`:
its dashboard cards, navigation entries, demo data loaders and reminders.

A domain's `init_app(app)` adds them (`registry(app).add_nav(NavItem(...))`, ...); the foundation
reads them (the layout its navigation, the dashboard its cards, `spoc demo` its loaders, the worker
and `spoc send-reminders` the reminders). No domain imports portal.app or portal.cli, and each app
has its own registry (tests build several apps in one process).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

FREQUENCIES = ("5min", "day")


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    allowed: Callable  # fn(user) -> bool: a policy question

    def url(self) -> str:
        from flask import url_for

        return url_for(self.endpoint)


@dataclass
class Registry:
    cards: list[Callable] = field(default_factory=list)  # fn(user, session) -> list[dict]
    closing_cards: list[Callable] = field(default_factory=list)  # the providers added with last=True
    nav: list[NavItem] = field(default_factory=list)
    demo_loaders: list[Callable] = field(default_factory=list)  # fn(session, users: dict[str, User])
    # fn(session, config, now, days) -> list[str] (what it queued): its frequency, "5min" or "day"
    reminders: dict[Callable, str] = field(default_factory=dict)

    def add_card(self, provider: Callable, last: bool = False) -> None:
        """Cards show in the order their domains add them; those added `last` (the directory's) after all
        the others, whatever the order of the domains."""
        if provider in self.cards:
            return
        if last:
            self.closing_cards.append(provider)
            self.cards.append(provider)
        else:
            self.cards.insert(next((i for i, p in enumerate(self.cards) if p in self.closing_cards),
                                   len(self.cards)), provider)

    def add_nav(self, item: NavItem) -> None:
        if all(existing.endpoint != item.endpoint for existing in self.nav):
            self.nav.append(item)

    def add_demo_loader(self, loader: Callable) -> None:
        """Loaders run in registration order, after the users exist; each must be idempotent."""
        if loader not in self.demo_loaders:
            self.demo_loaders.append(loader)

    def add_reminder(self, reminder: Callable, every: str = "day") -> None:
        """`spoc send-reminders` runs them all at once; the worker runs those added with every="5min"
        every five minutes and the others daily (portal/jobs/schedule.py)."""
        if every not in FREQUENCIES:
            raise ValueError(f"unknown frequency {every!r}")
        self.reminders[reminder] = every

    def reminders_for(self, every: str) -> list[Callable]:
        return [r for r, frequency in self.reminders.items() if frequency == every]


T = TypeVar("T")


class TypeRegistry(Generic[T]):
    """Kinds of things that are code, not data (questionnaires' question types): a name maps to the
    object that handles every aspect of its kind. Process-wide, since the kinds are the same in every
    app; a domain fills its own at import, in a fixed order."""

    def __init__(self, what: str):
        self.what = what
        self._by_name: dict[str, T] = {}

    def add(self, name: str, handler: T) -> None:
        if name in self._by_name and self._by_name[name] is not handler:
            raise ValueError(f"{self.what} {name!r} is registered twice")
        self._by_name[name] = handler

    def get(self, name: str) -> T:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"unknown {self.what} {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def names(self) -> list[str]:
        return list(self._by_name)

    def items(self):
        return self._by_name.items()


def init_app(app) -> Registry:
    return app.extensions.setdefault("spoc_registry", Registry())


def registry(app=None, session=None) -> Registry:
    """The registry of `app`; default: the current app's, or outside an app context the one of the app
    whose database `session` belongs to (a script or test working in `database.unit_of_work()`)."""
    if app is None:
        from flask import current_app, has_app_context

        if not has_app_context() and session is not None and "spoc_registry" in session.info:
            return session.info["spoc_registry"]
        app = current_app
    return app.extensions["spoc_registry"]
