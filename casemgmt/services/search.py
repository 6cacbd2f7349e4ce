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
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casemgmt.models import (
    Case,
    CaseSearchDoc,
    SavedSearch,
)
from casemgmt.services import CaseError
from casemgmt.services import search_paths as paths
from casemgmt.services.inbox import ROW_COLUMNS, InboxEntry, status_filter
from casemgmt.services.search_criteria import Criteria, TextQuery, parse_query
from casemgmt.services.search_index import (  # noqa: F401 - the index's writers, called as search.<name>
    _is_reference,
    _latin,
    _phone_word,
    compact,
    document_parts,
    document_text,
    forget_case,
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

PAGE = 50
COUNT_CAP = 1000
AREA = "casemgmt"

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


def _page_ids(session: Session, conds: list, query: TextQuery, country: str, after: int | None, limit: int):
    """The page's ids (limit + 1 of them: one more says there is a next page; a list, or the select of them
    that the rows' statement reads), the count (None: still to be counted) and the select of the matching
    ids (None: the count is known). How the matches are read: casemgmt.services.search_paths."""
    if query and session.get_bind().dialect.name == "postgresql":
        if len(conds) == 1 and (word := paths.pg_one_word(query)):  # no filter but the SPOC
            page, count = paths.pg_word_page(session, word, country, after, limit, COUNT_CAP)
            return page, count, None
        walked = (paths.pg_walk(session, conds, query, country, COUNT_CAP)
                  if paths.pg_frequent(session, query, COUNT_CAP) else None)
        if walked is not None:  # a frequent word: more than COUNT_CAP among the newest documents
            if not after and len(walked) > limit:
                return walked[:limit + 1], len(walked), None
            found, ids, count = None, paths.pg_walk_select(conds, query, country), len(walked)
        else:
            found, ids, count = paths.pg_matching(session, conds, query, country, COUNT_CAP)
        if found is not None:
            return [i for i in found if not after or i < after][:limit + 1], len(found), None
        key = CaseSearchDoc.case_id
    elif query:  # SQLite: FTS5's matches newest first, each joined to its case
        ids, key, count = paths.sqlite_ids(conds, query), paths.FTS.c.rowid, None
    else:
        ids, key, count = select(Case.id).where(*conds), Case.id, None
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
    listing = (select(*ROW_COLUMNS, assignee_name, unreviewed_new_strong())
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
