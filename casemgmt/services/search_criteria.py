"""What a search across a SPOC's cases asks (casemgmt.services.search): the box's words, phrases and
identifiers (parse_query) and the filters read from a page's or the API's parameters (read_criteria)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from casemgmt.models import CaseStatus, Channel, LegalFramework
from casemgmt.services.inbox import status_filter
from casemgmt.services.search_index import (
    _is_reference,
    _phone_word,
    compact,
    words,
)
from portal.enums import N_

MAX_TERMS = 12
MAX_QUERY = 300

# ------------------------------------------------------------------------------------ queries
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 ()./-]{5,}")


@dataclass(frozen=True)
class TextQuery:
    """What the box asks: groups of alternatives (each a phrase of words), all of which must be
    found, or any one of the identifiers the whole box reads as."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    identifiers: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.identifiers)

    def fts5(self) -> str:
        def phrase(p):
            return '"' + " ".join(p) + '"'

        parts = ["(" + " OR ".join(phrase(p) for p in group) + ")" for group in self.groups]
        text_part = " AND ".join(parts)
        ident = " OR ".join(phrase((i,)) for i in self.identifiers)
        if text_part and ident:
            return f"({text_part}) OR {ident}"
        return text_part or ident

    def tsquery(self) -> str:
        def phrase(p):
            return "(" + " <-> ".join(p) + ")" if len(p) > 1 else p[0]

        parts = ["(" + " | ".join(phrase(p) for p in group) + ")" for group in self.groups]
        text_part = " & ".join(parts)
        ident = " | ".join(self.identifiers)
        if text_part and ident:
            return f"({text_part}) | {ident}"
        return text_part or ident


def parse_query(q: str, country: str | None) -> TextQuery:
    """The box's text: words (each also in the cross-check's other spellings of it), "quoted
    phrases", and, for the whole box, the identifier it may be (document, plate, IBAN, phone)."""
    from casemgmt.crosscheck.normalise import token_spellings

    q = (q or "").strip()[:MAX_QUERY]
    groups: list[tuple[tuple[str, ...], ...]] = []
    for quoted, bare in _CHUNK.findall(q):
        chunk = words(quoted or bare)
        if not chunk:
            continue
        if quoted:
            groups.append((tuple(chunk),))
            continue
        if len(chunk) > 1:  # a reference or an identifier written with separators: one word in the index
            groups.append(((compact(bare),),) if _is_reference(bare) else (tuple(chunk),))
            continue
        word = chunk[0]
        alternatives = {word}
        if not word.isdigit():
            for spelt in token_spellings(word):
                w = words(spelt)
                if len(w) == 1:
                    alternatives.add(w[0])
        groups.append(tuple((a,) for a in sorted(alternatives)[:8]))
    groups = groups[:MAX_TERMS]
    identifiers: set[str] = set()
    if any(ch.isdigit() for ch in q):
        whole = compact(q)
        if len(whole) >= 4:
            identifiers.add(whole)
        if _PHONE_LIKE.fullmatch(q) and (phone := _phone_word(q, country)):
            identifiers.add(phone)
    # a one-word box is found by its words already
    if len(groups) == 1 and identifiers <= {p[0] for p in groups[0] if len(p) == 1}:
        identifiers.clear()
    return TextQuery(tuple(groups), tuple(sorted(identifiers)))


# ------------------------------------------------------------------------------------ filters
STATES = [("open", N_("Open")), ("action", N_("Needs our action")), ("waiting", N_("Waiting")),
          ("answered", N_("Answered")), ("all", N_("All")), ("merged", N_("Merged"))] + CaseStatus.choices()
# (shown through the `t` filter: the labels are looked up in the page's language)
FILTERS = ("q", "channel", "counterpart", "framework", "state", "assignee", "urgent", "overdue", "from", "to")


@dataclass
class Criteria:
    q: str = ""
    channel: str = ""
    counterpart: str = ""
    framework: str = ""
    state: str = ""
    assignee: str = ""  # "me", "none" or a user id
    urgent: bool = False
    overdue: bool = False
    start: dt.date | None = None
    end: dt.date | None = None

    def params(self) -> dict:
        """The search as the page's parameters (what a saved search keeps)."""
        out = {"q": self.q, "channel": self.channel, "counterpart": self.counterpart, "framework": self.framework,
               "state": self.state, "assignee": self.assignee, "urgent": "1" if self.urgent else "",
               "overdue": "1" if self.overdue else "",
               "from": self.start.isoformat() if self.start else "", "to": self.end.isoformat() if self.end else ""}
        return {k: v for k, v in out.items() if v}

    def terms(self) -> str:
        """The search in words, for the access log."""
        return "; ".join(f"{k}={v}" for k, v in self.params().items()) or "(no terms)"

    @property
    def empty(self) -> bool:
        return not self.params()


def _date(value: str, name: str, errors: dict) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = "a date as YYYY-MM-DD"
        return None


def read_criteria(args, session: Session | None = None, actor=None) -> tuple[Criteria, dict[str, str]]:
    """Criteria from a page's or the API's parameters; errors by parameter name."""
    errors: dict[str, str] = {}

    def get(name: str) -> str:
        value = args.get(name, "") or ""
        return str(value).strip()

    c = Criteria(q=get("q")[:MAX_QUERY])
    if (channel := get("channel").upper()) and channel not in {m.value for m in Channel}:
        errors["channel"] = "one of " + ", ".join(m.value for m in Channel)
    c.channel = channel
    counterpart = get("counterpart").upper()
    if counterpart and not re.fullmatch(r"[A-Z]{2}", counterpart):
        errors["counterpart"] = "a two-letter country code"
    c.counterpart = counterpart
    if (framework := get("framework")) and framework not in {m.value for m in LegalFramework}:
        errors["framework"] = "one of " + ", ".join(m.value for m in LegalFramework)
    c.framework = framework
    if (state := get("state")) and state != "all" and status_filter(state) is None:
        errors["state"] = "open, action, waiting, answered, merged, all or a workflow state"
    c.state = state
    assignee = get("assignee")
    if assignee and assignee not in ("me", "none") and not (assignee.isdigit() and len(assignee) < 10):
        errors["assignee"] = "me, none or a user's id"
    c.assignee = assignee
    for flag in ("urgent", "overdue"):
        value = get(flag).lower()
        if value not in ("", "1", "0", "true", "false", "on"):
            errors[flag] = "1 or 0"
        setattr(c, flag, value in ("1", "true", "on"))
    c.start = _date(get("from"), "from", errors)
    c.end = _date(get("to"), "to", errors)
    if c.start and c.end and c.end < c.start:
        errors["to"] = "on or after the start date"
    return c, errors
