"""Search across a SPOC's cases (issue 17, point 3).

One search box and filters. The box finds words of the subjects, message bodies and notes,
references on every channel, names through the cross-check's transliteration (Иванов, Ivanov
and Iwanow; Müller and Mueller meet) and identifiers as the cross-check normalises them
(document numbers and plates reduced to A-Z0-9, phones in E.164, e-mails, IBANs). The filters
are the case's channel, counterpart, legal framework, state, assignee, urgency, overdue and the
date of receipt.

Each case has one search document (models.CaseSearchDoc) read by the database's own full-text
index: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL; a search never reads the cases of the
SPOC one by one. The document is written here, by `reindex_case`, which the services that write a
case's text call explicitly (intake, messages, notes, entities, erasure). Results come newest
case first in keyset pages, with their count (counted up to COUNT_CAP). Every search is a
consultation in the SPOC's LED Art. 25 log, with its terms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import Integer, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from casemgmt.models import (
    Case,
    CaseSearchDoc,
    CaseStatus,
    Channel,
    LegalFramework,
    SavedSearch,
)
from casemgmt.services import CaseError
from casemgmt.services.inbox import InboxEntry, status_filter
from casemgmt.services.search_index import (  # noqa: F401 - the index's writers, called as search.<name>
    _is_reference,
    _latin,
    _phone_word,
    compact,
    document_parts,
    document_text,
    forget_case,
    index_new_case,
    index_new_cases,
    index_storage_text,
    name_spellings,
    purge_erased,
    reindex_all,
    reindex_case,
    reindex_case_id,
    text_words,
    with_number,
    words,
    write_new_documents,
)
from portal import audit
from portal.audit import AuditAction
from portal.enums import N_

PAGE = 50
COUNT_CAP = 1000
MAX_TERMS = 12
MAX_QUERY = 300
AREA = "casemgmt"

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


# ------------------------------------------------------------------------------------ the search
@dataclass
class SearchPage:
    rows: list[InboxEntry]
    count: int
    capped: bool  # more than COUNT_CAP cases match: `count` says COUNT_CAP
    next_after: int | None
    criteria: Criteria = field(default_factory=Criteria)

    @property
    def count_text(self) -> str:
        return f"more than {COUNT_CAP}" if self.capped else str(self.count)


def _fts_match(query: TextQuery):
    """SQLite: the ids of the cases whose document matches, off the FTS5 index alone."""
    return text("SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH :search_q").bindparams(
        bindparam("search_q", query.fts5())).columns(rowid=Integer)


def _conditions(session: Session, actor, c: Criteria, now: dt.datetime) -> list:
    conds = [Case.country_code == actor.country_code]
    if c.channel:
        conds.append(Case.channel == c.channel)
    if c.counterpart:
        conds.append(Case.counterpart_country == c.counterpart)
    if c.framework:
        conds.append(Case.legal_framework == c.framework)
    if c.state and c.state != "all":
        conds.append(status_filter(c.state))
    if c.assignee == "me":
        conds.append(Case.assignee_id == actor.id)
    elif c.assignee == "none":
        conds.append(Case.assignee_id.is_(None))
    elif c.assignee:
        conds.append(Case.assignee_id == int(c.assignee))
    if c.urgent:
        conds.append(Case.urgent.is_(True))
    if c.overdue:
        conds += [status_filter("open"), Case.legal_clock.is_(True), Case.replied_at.is_(None),
                  Case.paused_since.is_(None), Case.due_at < now]
    if c.start:
        conds.append(Case.received_at >= dt.datetime.combine(c.start, dt.time(), dt.UTC))
    if c.end:
        conds.append(Case.received_at < dt.datetime.combine(c.end + dt.timedelta(days=1), dt.time(), dt.UTC))
    return conds


def _pg_match(query: TextQuery):
    """PostgreSQL: the search document holds the words (read with the GIN index or row by row). The words
    are written into the statement (escaped as a literal), not bound: a statement prepared for a name six
    cases hold is never the plan for a word thousands hold (psycopg prepares a statement run five times,
    and a generic plan of `document @@ $1` walked every case by id: 100-180 ms at 100k)."""
    return text("case_search_docs.document @@ to_tsquery('simple', :search_q)").bindparams(
        bindparam("search_q", query.tsquery(), literal_execute=True))


def _pg_matches(session: Session, query: TextQuery, country: str) -> list[int]:
    """PostgreSQL: the ids of the SPOC's cases whose document holds the words, up to COUNT_CAP + 1 of them
    (the GIN index's bitmap, then at most COUNT_CAP + 1 rows read)."""
    return list(session.scalars(select(CaseSearchDoc.case_id).where(
        CaseSearchDoc.country_code == country, _pg_match(query)).limit(COUNT_CAP + 1)))


def _pg_matching(session: Session, conds: list, query: TextQuery, country: str):
    """PostgreSQL: (every matching id newest first, None, None) when fewer cases hold the words than the
    count goes to; else (None, the select of the matching ids, their count if known)."""
    matched = _pg_matches(session, query, country)
    if len(matched) > COUNT_CAP:
        # the documents walked newest first by their key (the case's id), each checked against the words,
        # until a page is full (2,000 rows for a word 2.5 % of cases hold, at any size); joined to every
        # case and sorted, the matches took 264 ms at 100k
        ids = (select(CaseSearchDoc.case_id).join(Case, Case.id == CaseSearchDoc.case_id)
               .where(*conds, CaseSearchDoc.country_code == country, _pg_match(query)))
        return None, ids, (len(matched) if len(conds) == 1 else None)
    if len(conds) == 1 or not matched:  # the country alone: a document is its case's country's
        return sorted(matched, reverse=True), None, None
    # the filters over those few cases by their ids: given the words instead, the planner, expecting
    # 1,500 cases for a phone number one case holds, read every case (156 ms at 100k)
    return list(session.scalars(select(Case.id).where(
        *conds, Case.id == any_(bindparam("search_ids", matched, type_=ARRAY(Integer)))).order_by(
        Case.id.desc()))), None, None


def _page_ids(session: Session, conds: list, query: TextQuery, country: str, after: int | None, limit: int):
    """The page's ids (limit + 1 of them: one more says there is a next page; a list, or the select of them
    that the rows' statement reads), the count (None: still to be counted) and the select of the matching
    ids (None: the count is known)."""
    if query and session.get_bind().dialect.name == "postgresql":
        found, ids, count = _pg_matching(session, conds, query, country)
        if found is not None:
            return [i for i in found if not after or i < after][:limit + 1], len(found), None
        key = CaseSearchDoc.case_id
    else:
        ids = select(Case.id).where(*conds)
        if query:
            ids = ids.where(Case.id.in_(_fts_match(query)))
        key, count = Case.id, None
    page = (ids.where(key < after) if after else ids).order_by(key.desc()).limit(limit + 1).correlate(None)
    if session.get_bind().dialect.name == "sqlite":
        page = list(session.scalars(page))  # SQLite: the ids first; PostgreSQL: in the rows' statement
    return page, count, ids


def search(session: Session, actor, c: Criteria, *, after: int | None = None, limit: int = PAGE,
           now: dt.datetime | None = None, log: bool = True, via: str = "search page") -> SearchPage:
    """The user's SPOC's cases matching `c`, newest first; `after` the last id of the previous page.
    Logged as a consultation with its terms (LED Art. 25) unless `log` is False (the caller logs)."""
    from sqlalchemy import case as when

    from casemgmt.crosscheck.rerun import unreviewed_new_strong
    from casemgmt.services.inbox import _ROW_COLUMNS
    from portal.accounts.models import User
    from portal.db import utcnow

    now = now or utcnow()
    conds = _conditions(session, actor, c, now)
    query = parse_query(c.q, actor.country_code)
    if c.q and not query:
        raise CaseError("Type words, a reference or an identifier to search for.", "q")
    # the page's ids first (matched, filtered, newest first), then what its 50 rows show
    page_ids, count, ids = _page_ids(session, conds, query, actor.country_code, after, limit)
    assignee_name = when((User.name != "", User.name), else_=User.email)
    listing = (select(*_ROW_COLUMNS, assignee_name, unreviewed_new_strong())
               .outerjoin(User, User.id == Case.assignee_id).where(Case.id.in_(page_ids)))
    rows = ([InboxEntry._make(r) for r in session.execute(listing.order_by(Case.id.desc()))]
            if not isinstance(page_ids, list) or page_ids else [])
    more, rows = len(rows) > limit, rows[:limit]
    if count is None:
        count = session.scalar(select(func.count()).select_from(ids.limit(COUNT_CAP + 1).subquery())) or 0
    page = SearchPage(rows, min(count, COUNT_CAP), count > COUNT_CAP, rows[-1].id if more and rows else None, c)
    if log:
        record_search(session, actor, c, page, via=via)
    return page


def record_search(session: Session, actor, c: Criteria, page: SearchPage, *, via: str) -> None:
    """The search in the SPOC's LED Art. 25 log: a consultation, with its terms and what it showed."""
    audit.record(session, actor=actor, area=AREA, action=AuditAction.CONSULTATION, object_type="case_search",
                 object_id="search", country_code=actor.country_code,
                 details={"what": f"search across cases ({via}): {c.terms()}", "terms": c.params(),
                          "found": page.count_text, "shown": [r.registration_number for r in page.rows]})


# ------------------------------------------------------------------------------------ saved searches
def save_search(session: Session, actor, name: str, c: Criteria) -> SavedSearch:
    name = (name or "").strip()
    if not name:
        raise CaseError("Give the search a name.", "name")
    if len(name) > 120:
        raise CaseError("At most 120 characters.", "name")
    if c.empty:
        raise CaseError("Search for something before saving the search.", "q")
    saved = SavedSearch(country_code=actor.country_code, user_id=actor.id, name=name, params=c.params())
    session.add(saved)
    session.flush()
    return saved


def saved_searches(session: Session, actor) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(
        SavedSearch.user_id == actor.id, SavedSearch.country_code == actor.country_code).order_by(SavedSearch.name)))


def saved_search(session: Session, search_id: int) -> SavedSearch | None:
    """A saved search by id (whose it is, portal.policy.can_use_saved_search decides)."""
    return session.get(SavedSearch, search_id)


def delete_search(session: Session, saved: SavedSearch) -> None:
    session.delete(saved)
    session.flush()
