"""Search across cases, a frequent word (issue 24, item 1): whichever path reads the matches (the walk
newest first or the full-text index), the page and its count are the same, exact and the SPOC's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from casemgmt.models import Case
from casemgmt.services import search as service
from casemgmt.services import search_paths as paths
from casemgmt.services.search_criteria import read_criteria

CAP = 3  # the count's cap, small: "more than 3" stands for "more than 1,000"


@pytest.fixture
def folder(intake, officer, make_user, db):
    """BE: 8 cases with 'probe' (every other one urgent), 2 with 'scarce'; NL: 6 with 'probe' and
    'skewed', BE one with 'skewed'. Newest first: the expected answers, by registration number."""
    nl_officer = make_user("officer", "NL")
    probe, urgent = [], []
    for i in range(8):
        _, number, _ = intake("BE", officer, subject=f"Probe {i}", urgent=i % 2 == 0,
                              urgency_ground="life_or_physical_integrity" if i % 2 == 0 else None,
                              information_access="direct")
        probe.append(number)
        if i % 2 == 0:
            urgent.append(number)
    scarce = [intake("BE", officer, subject="Scarce word")[1] for _ in range(2)]
    skewed_be = intake("BE", officer, subject="Skewed probe")[1]
    for _ in range(6):
        intake("NL", nl_officer, subject="Skewed probe")
    db.rollback()
    return {"probe": [skewed_be, *reversed(probe)], "urgent": list(reversed(urgent)), "scarce": list(reversed(scarce)),
            "skewed": [skewed_be]}


def _pages(db, user, limit=2, **params):
    """Every page's numbers and the first page's count text."""
    c, errors = read_criteria(params)
    assert not errors
    pages = [service.search(db, user, c, limit=limit, log=False)]
    while pages[-1].next_after:
        pages.append(service.search(db, user, c, limit=limit, after=pages[-1].next_after, log=False))
    return [r.registration_number for p in pages for r in p.rows], pages[0].count_text


def _expected(numbers):
    return numbers, (f"more than {CAP}" if len(numbers) > CAP else str(len(numbers)))


@pytest.mark.parametrize("walk", [60_000, 2])  # 2: the walk stops before CAP + 1 matches, the index answers
@pytest.mark.parametrize("frequent", [True, False])  # what the statistics say (PostgreSQL's choice of path)
def test_every_path_gives_the_same_exact_pages_and_count(folder, officer, db, monkeypatch, frequent, walk):
    monkeypatch.setattr(service, "COUNT_CAP", CAP)
    monkeypatch.setattr(paths, "WALK", walk)
    monkeypatch.setattr(paths, "pg_frequent", lambda session, query, cap: frequent)
    assert _pages(db, officer, q="probe") == _expected(folder["probe"])
    assert _pages(db, officer, q="probe", limit=50) == _expected(folder["probe"])  # a page beyond the cap
    assert _pages(db, officer, q="probe", urgent="1") == _expected(folder["urgent"])  # with a filter
    assert _pages(db, officer, q="scarce") == _expected(folder["scarce"])  # a rare word
    assert _pages(db, officer, q="skewed") == _expected(folder["skewed"])  # frequent in another SPOC only
    assert _pages(db, officer, q="skewed probe") == _expected(folder["skewed"])


def test_the_estimate_of_a_words_share():
    shares = {"heroin": 0.025, "red": 0.5, "car": 0.1, "1234": 0.001}
    assert paths.estimated_share(service.parse_query('heroin "red car"', "BE"), shares) == pytest.approx(0.025)
    assert paths.estimated_share(service.parse_query("heroin 1234", "BE"), shares) == pytest.approx(0.001)
    assert paths.estimated_share(service.parse_query("red car", "BE"), shares) == pytest.approx(0.1)
    assert paths.estimated_share(service.parse_query('"red car"', "BE"), shares) == pytest.approx(0.1)
    assert paths.estimated_share(service.parse_query("zwartkop", "BE"), shares) == 0


def test_postgresql_statistics_choose_the_walk_for_a_frequent_word_only(folder, db, monkeypatch):
    if db.bind.dialect.name != "postgresql":
        pytest.skip("pg_stats: PostgreSQL's statistics")
    db.execute(text("ANALYZE case_search_docs"))
    assert db.scalar(select(Case.id).limit(1))
    monkeypatch.setattr(paths, "FREQUENT_FACTOR", 0)  # a handful of documents stand for many
    assert paths.pg_frequent(db, service.parse_query("probe", "BE"), CAP)
    assert not paths.pg_frequent(db, service.parse_query("zwartkop", "BE"), CAP)
