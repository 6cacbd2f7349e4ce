"""A set of states as SQL: rendered with its values written out, never as bound parameters.

SQLite uses a partial index only when the query's terms match the index's WHERE literally, and
portal.db.Prepared takes no expanding (IN) parameters; so a state set renders as
`status IN ('received', 'evaluated')`, the same text as the indexes' WHERE (states_sql)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import literal_column


def _quoted(states: Iterable) -> list[str]:
    out = []
    for state in states:
        value = getattr(state, "value", state)
        if not value.replace("_", "").isalnum():  # states are identifiers: nothing to escape
            raise ValueError(f"not a state: {value!r}")
        out.append(f"'{value}'")
    return out


def states_sql(column: str, states: Iterable) -> str:
    return f"{column} IN ({', '.join(_quoted(states))})"


def in_states(column, states: Iterable):
    return column.in_([literal_column(q) for q in _quoted(states)])
