"""Overdue, defined once for everything with a deadline and a clock (a case, an exchange)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_
from sqlalchemy.ext.hybrid import hybrid_method


class HasDeadline:
    """A model with a deadline (`due_at`) and a `clock_running` hybrid property of its own: overdue at
    `now` when its clock runs and the deadline has passed, on an object and in a query alike."""

    @hybrid_method
    def overdue(self, now: dt.datetime) -> bool:
        """Its clock runs and its deadline has passed at `now`."""
        return bool(self.clock_running and self.due_at < now)

    @overdue.inplace.expression
    @classmethod
    def _overdue_sql(cls, now):
        return and_(cls.clock_running, cls.due_at < now)
