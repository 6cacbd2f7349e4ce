"""How the search across cases reads its matches (issue 17, point 3; issue 24, item 1).

The page shows the newest 50 matching cases of the user's SPOC and their count up to a cap ("more than
1,000" beyond it). A word a 40th of the cases hold is held by 250,000 cases at 10M: gathering them all
from the full-text index before the LIMIT (a GIN bitmap, FTS5's doclist read into a set) made such a
search grow with the SPOC (7.44x on PostgreSQL 10k -> 10M, 3.68x on SQLite 10k -> 1M). Here:

- SQLite: FTS5 gives its matches in rowid order, newest first on demand, one at a time: the matches are
  read newest first and each joined to its case by its id, so the page stops at 51 matches and the count
  at cap + 1, whatever the word's frequency (at worst, when few of the matches are the SPOC's or pass the
  filters, every match is read once, as the set did).
- PostgreSQL: GIN has no order, so a word the statistics (`pg_stats.most_common_elems`, kept by ANALYZE)
  say is frequent is looked for in the SPOC's documents walked newest first by their key, at most WALK of
  them, until cap + 1 matches are found; if fewer are (the word is frequent elsewhere, or the filters
  narrow), the index path answers. The estimate only chooses the path: both give the same page and count.
- PostgreSQL, one word and no filter but the SPOC (the common search): the table of the documents' words
  (migration 0045, kept by triggers from the tsvector), its key (country, word, case id) read newest
  first for the page (51 entries) and for the count (at most cap + 1 entries), index-only: the same
  work at 10k as at 10M for a word thousands of cases hold (the walk above tested 41k documents at 1M
  for such a word, the index path read 1,001 documents from the heap at 100k).
"""

from __future__ import annotations

import re

from sqlalchemy import Integer, any_, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from casemgmt.models import Case, CaseSearchDoc

WALK = 60_000  # the most documents walked newest first for a frequent word (PostgreSQL)
FREQUENT_SHARE = 1 / 50  # a word at least this share of documents hold: cap + 1 matches expected within WALK
FREQUENT_FACTOR = 4  # ... and, by the statistics, more than 4 x cap cases hold it in all

FTS = table("case_search_fts", column("rowid", Integer))
WORDS = table("case_search_words", column("country_code"), column("word"), column("case_id", Integer))
_PLAIN_WORD = re.compile(r"[a-z0-9]+")  # what PostgreSQL's parser keeps as it is: one token, one lexeme


# ------------------------------------------------------------------------------------ SQLite
def sqlite_ids(conds: list, query):
    """SQLite: the select of the matching ids, FTS5's matches first (read newest first when ordered by
    FTS.c.rowid descending, as the page does), each joined to its case by the primary key."""
    match = text("case_search_fts MATCH :search_q").bindparams(bindparam("search_q", query.fts5()))
    return select(FTS.c.rowid).select_from(Case).join(FTS, FTS.c.rowid == Case.id).where(match, *conds)


# ------------------------------------------------------------------------------------ PostgreSQL
def pg_match(query, document: str = "case_search_docs.document"):
    """PostgreSQL: the search document holds the words (read with the GIN index or row by row). The words
    are written into the statement (escaped as a literal), not bound: a statement prepared for a name six
    cases hold is never the plan for a word thousands hold (psycopg prepares a statement run five times,
    and a generic plan of `document @@ $1` walked every case by id: 100-180 ms at 100k)."""
    return text(f"{document} @@ to_tsquery('simple', :search_q)").bindparams(
        bindparam("search_q", query.tsquery(), literal_execute=True))


def pg_walk_select(conds: list, query, country: str):
    """PostgreSQL: the SPOC's documents walked newest first by their key (the case's id), each checked
    against the words and its case against the filters (2,000 documents for a page of a word 2.5 % of
    cases hold, at any size); joined to every case and sorted, the matches took 264 ms at 100k."""
    return (select(CaseSearchDoc.case_id).join(Case, Case.id == CaseSearchDoc.case_id)
            .where(*conds, CaseSearchDoc.country_code == country, pg_match(query)))


def pg_one_word(query) -> str | None:
    """The one word the box asks for, when the words table answers exactly what the tsvector would: a
    single word (no alternative spelling, phrase or identifier) of letters a-z and digits, which
    to_tsquery reads as that one lexeme (other scripts' letters depend on the server's locale)."""
    if query.identifiers or len(query.groups) != 1 or len(query.groups[0]) != 1 or len(query.groups[0][0]) != 1:
        return None
    word = query.groups[0][0][0]
    return word if _PLAIN_WORD.fullmatch(word) else None


def pg_word_page(session: Session, word: str, country: str, after: int | None, limit: int,
                 cap: int) -> tuple[list[int], int]:
    """PostgreSQL: the ids of the SPOC's cases holding `word`, newest first after `after` (limit + 1 of
    them), and how many cases hold it (up to cap + 1): two index-only scans of the words' key."""
    holding = select(WORDS.c.case_id).where(WORDS.c.country_code == country, WORDS.c.word == word)
    count = session.scalar(select(func.count()).select_from(holding.limit(cap + 1).subquery())) or 0
    page = holding.where(WORDS.c.case_id < after) if after else holding
    return list(session.scalars(page.order_by(WORDS.c.case_id.desc()).limit(limit + 1))), count


def _statistics(session: Session) -> tuple[dict[str, float], float]:
    """The search documents' most common words with the share of documents holding each, and the number
    of documents, as ANALYZE last saw them (empty before the first ANALYZE)."""
    row = session.execute(text(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
        "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
        "AND s.tablename = 'case_search_docs' AND s.attname = 'document' "
        "WHERE c.oid = to_regclass('case_search_docs')")).first()
    if not row or not row[0] or not row[1]:
        return {}, 0.0
    return dict(zip(row[0], row[1], strict=False)), float(row[2] or 0)  # the freqs end with 3 more


def estimated_share(query, shares: dict[str, float]) -> float:
    """The share of documents the words' statistics say match `query` (0 for words not among the most
    common): every group (the least common), any of its alternatives (their sum), every word of a phrase."""
    def phrase(words) -> float:
        return min(shares.get(w, 0.0) for w in words)

    groups = [min(1.0, sum(phrase(p) for p in g)) for g in query.groups]
    text_part = min(groups) if groups else 0.0
    return min(1.0, text_part + sum(shares.get(i, 0.0) for i in query.identifiers))


def pg_frequent(session: Session, query, cap: int) -> bool:
    """Whether the statistics say so many documents hold the words that the walk newest first is the
    cheaper path. Only a choice of path: both paths give the same answer."""
    shares, documents = _statistics(session)
    share = estimated_share(query, shares) if shares else 0.0
    return share >= FREQUENT_SHARE and share * documents > FREQUENT_FACTOR * cap


def pg_walk(session: Session, conds: list, query, country: str, cap: int) -> list[int] | None:
    """The first cap + 1 matching ids newest first among the SPOC's newest WALK documents, or None when
    fewer are found there (then only the index knows the count)."""
    walk = (select(CaseSearchDoc.case_id.label("case_id"), literal_column("case_search_docs.document").label("document"))
            .where(CaseSearchDoc.country_code == country).order_by(CaseSearchDoc.case_id.desc())
            .limit(WALK).subquery("walk"))
    found = select(walk.c.case_id).where(pg_match(query, "walk.document"))
    if len(conds) > 1:  # the filters beyond the country (the first condition)
        found = found.join(Case, Case.id == walk.c.case_id).where(*conds)
    ids = list(session.scalars(found.order_by(walk.c.case_id.desc()).limit(cap + 1)))
    return ids if len(ids) > cap else None


def _pg_matches(session: Session, query, country: str, cap: int) -> list[int]:
    """PostgreSQL: the ids of the SPOC's cases whose document holds the words, up to cap + 1 of them
    (the GIN index's bitmap, then at most cap + 1 rows read)."""
    return list(session.scalars(select(CaseSearchDoc.case_id).where(
        CaseSearchDoc.country_code == country, pg_match(query)).limit(cap + 1)))


def pg_matching(session: Session, conds: list, query, country: str, cap: int):
    """PostgreSQL, the index path: (every matching id newest first, None, None) when fewer cases hold the
    words than the count goes to; else (None, the select of the matching ids, their count if known)."""
    matched = _pg_matches(session, query, country, cap)
    if len(matched) > cap:
        return None, pg_walk_select(conds, query, country), (len(matched) if len(conds) == 1 else None)
    if len(conds) == 1 or not matched:  # the country alone: a document is its case's country's
        return sorted(matched, reverse=True), None, None
    # the filters over those few cases by their ids: given the words instead, the planner, expecting
    # 1,500 cases for a phone number one case holds, read every case (156 ms at 100k)
    return list(session.scalars(select(Case.id).where(
        *conds, Case.id == any_(bindparam("search_ids", matched, type_=ARRAY(Integer)))).order_by(
        Case.id.desc()))), None, None
