"""Search across cases (issue 17, point 3): what an officer finds, and what they never find."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from casemgmt.models import Case
from casemgmt.services import CaseError, retention, workflow
from casemgmt.services import search as service
from casemgmt.services.search_criteria import read_criteria
from portal.audit import AuditEntry


def _find(db, user, **params):
    criteria, errors = read_criteria(params)
    assert not errors, errors
    page = service.search(db, user, criteria, log=False)
    return [r.registration_number for r in page.rows], page


def test_words_of_subjects_bodies_and_notes_are_found(intake, work, officer, db):
    _, first, _ = intake("BE", officer, subject="Stolen excavator", body="A yellow excavator left the quarry.")
    second_id, second, _ = intake("BE", officer, subject="Check of a person", body="Nothing special.")
    work(second_id, lambda s, c: workflow.add_note(s, c, officer, "The brother drives a Kässbohrer truck"))
    db.rollback()
    assert _find(db, officer, q="excavator")[0] == [first]
    assert _find(db, officer, q="EXCAVATOR quarry")[0] == [first]
    assert _find(db, officer, q="excavator brother")[0] == []  # every word must be there
    assert _find(db, officer, q="kassbohrer")[0] == [second]  # accents do not matter
    assert _find(db, officer, q='"yellow excavator"')[0] == [first]
    assert _find(db, officer, q='"excavator yellow"')[0] == []


def test_references_of_every_channel_are_found(intake, officer, db):
    _, number, _ = intake("BE", officer, channel="SIRENE", channel_reason="urgency",
                          channel_reason_text="No SIENA access", external_reference="SIR/2026/00042-BE")
    db.rollback()
    assert _find(db, officer, q="SIR/2026/00042-BE")[0] == [number]
    assert _find(db, officer, q="sir 2026 00042 be")[0] == [number]
    assert _find(db, officer, q=number)[0] == [number]


def test_a_reference_quoted_in_a_message_is_found(intake, officer, db):
    _, number, _ = intake("BE", officer, body="Further to your SIENA/2025/777-DE of last week.")
    intake("BE", officer, body="Further to SIENA/2025/778-DE.")
    db.rollback()
    assert _find(db, officer, q="SIENA/2025/777-DE")[0] == [number]


def test_names_are_found_in_any_spelling_and_script(intake, officer, db):
    person = {"kind": "person", "surname": "Иванов", "given_names": "Пётр", "date_of_birth": "1975-02-01"}
    _, ivanov, _ = intake("BE", officer, entities=[person], body="See the person.")
    _, mueller, _ = intake("BE", officer, entities=[{"kind": "person", "surname": "Müller", "given_names": "Jörg"}])
    db.rollback()
    assert _find(db, officer, q="Ivanov")[0] == [ivanov]
    assert _find(db, officer, q="Иванов")[0] == [ivanov]
    assert _find(db, officer, q="Mueller")[0] == [mueller]
    assert _find(db, officer, q="Müller Jörg")[0] == [mueller]


def test_words_of_another_script_in_a_message_are_found_in_latin(intake, officer, db):
    _, number, _ = intake("BE", officer, entities=[], body="Петр Иванов was seen again.")
    db.rollback()
    assert _find(db, officer, q="Ivanov")[0] == [number]
    assert _find(db, officer, q="иванов")[0] == [number]


def test_identifiers_are_found_as_the_crosscheck_normalises_them(intake, officer, db):
    entities = [{"kind": "document", "type": "passport", "number": "C01X-00T47", "country": "DE"},
                {"kind": "phone", "number": "+32 470 12 34 56"},
                {"kind": "email", "address": "J.Doe@Example.org"},
                {"kind": "vehicle", "plate": "B-MW 1234", "country": "DE"},
                {"kind": "bank_account", "iban": "DE89 3704 0044 0532 0130 00"}]
    _, number, _ = intake("BE", officer, entities=entities)
    intake("BE", officer)
    db.rollback()
    for q in ("C01X00T47", "c01x 00t47", "0470 12 34 56", "+32470123456", "j.doe@example.org", "BMW1234",
              "DE89370400440532013000", "de89 3704 0044 0532 0130 00"):
        assert _find(db, officer, q=q)[0] == [number], q


def test_filters_narrow_the_results(intake, work, officer, make_user, db):
    a_id, a, _ = intake("BE", officer, subject="Fraud ring", urgent=True, urgency_ground="life_or_physical_integrity",
                     information_access="direct")
    _, b, _ = intake("BE", officer, subject="Fraud ring", counterpart_country="FR")
    _, c, _ = intake("BE", officer, subject="Fraud ring", channel="INTERPOL", channel_reason="urgency",
                     channel_reason_text="fast", received_at="2025-03-01T10:00:00+00:00")
    work(a_id, lambda s, case: workflow.assign(s, case, officer, officer))
    db.rollback()
    assert set(_find(db, officer, q="fraud")[0]) == {a, b, c}
    assert _find(db, officer, q="fraud", urgent="1")[0] == [a]
    assert _find(db, officer, q="fraud", counterpart="fr")[0] == [b]
    assert _find(db, officer, q="fraud", channel="INTERPOL")[0] == [c]
    assert _find(db, officer, q="fraud", to="2025-12-31")[0] == [c]
    assert set(_find(db, officer, q="fraud", **{"from": "2026-01-01"})[0]) == {a, b}
    assert _find(db, officer, q="fraud", assignee="me")[0] == [a]
    assert a not in _find(db, officer, q="fraud", assignee="none")[0]
    assert set(_find(db, officer, state="open")[0]) == {a, b, c}  # filters alone, no words
    frameworks = dict(db.execute(select(Case.registration_number, Case.legal_framework)).all())
    assert frameworks[c] != frameworks[a]  # INTERPOL's own framework
    assert _find(db, officer, q="fraud", framework=frameworks[c])[0] == [c]


def test_overdue_filter(intake, officer, db):
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).replace(microsecond=0).isoformat()
    _, late, _ = intake("BE", officer, subject="Late one", received_at=old)
    intake("BE", officer, subject="Late one")
    db.rollback()
    assert _find(db, officer, q="late", overdue="1")[0] == [late]


def test_another_countrys_case_never_appears(intake, officer, make_user, db):
    nl_officer = make_user("officer", "NL")
    _, be_case, _ = intake("BE", officer, subject="Shared suspect Zwartkop")
    _, nl_case, _ = intake("NL", nl_officer, subject="Shared suspect Zwartkop")
    db.rollback()
    assert _find(db, officer, q="zwartkop")[0] == [be_case]
    assert _find(db, nl_officer, q="zwartkop")[0] == [nl_case]
    assert _find(db, officer)[0] == [be_case]


def test_keyset_pages_and_count(intake, officer, db):
    numbers = [intake("BE", officer, subject="Pagination probe")[1] for _ in range(5)]
    db.rollback()
    c, _ = read_criteria({"q": "pagination"})
    first = service.search(db, officer, c, limit=2, log=False)
    assert first.count == 5 and not first.capped
    second = service.search(db, officer, c, limit=2, after=first.next_after, log=False)
    third = service.search(db, officer, c, limit=2, after=second.next_after, log=False)
    seen = [r.registration_number for p in (first, second, third) for r in p.rows]
    assert seen == list(reversed(numbers)) and third.next_after is None


@pytest.mark.parametrize("cap", [1000, 3])  # 3: the word is one that more cases hold than the count goes to
def test_a_word_more_cases_hold_than_counted_pages_newest_first(intake, officer, db, monkeypatch, cap):
    """More matches than the count goes to: still every match once, newest first, page after page,
    and the filters still narrow (PostgreSQL then walks the documents newest first)."""
    monkeypatch.setattr(service, "COUNT_CAP", cap)
    numbers = [intake("BE", officer, subject="Frequent probe", urgent=i % 2 == 0,
                      urgency_ground="life_or_physical_integrity" if i % 2 == 0 else None,
                      information_access="direct")[1] for i in range(6)]
    intake("BE", officer, subject="Something else")
    db.rollback()
    c, _ = read_criteria({"q": "probe"})
    pages = [service.search(db, officer, c, limit=4, log=False)]
    pages.append(service.search(db, officer, c, limit=4, after=pages[0].next_after, log=False))
    assert [r.registration_number for p in pages for r in p.rows] == list(reversed(numbers))
    assert pages[1].next_after is None
    assert (pages[0].count, pages[0].capped, pages[0].count_text) == ((3, True, "more than 3") if cap == 3
                                                                       else (6, False, "6"))
    urgent, page = _find(db, officer, q="probe", urgent="1")
    assert urgent == list(reversed(numbers[::2]))
    assert (page.count, page.capped) == (3, False)


def test_bad_parameters_are_named():
    _, errors = read_criteria({"channel": "PIGEON", "from": "yesterday", "counterpart": "BEL",
                                       "state": "sleepy", "assignee": "bob", "urgent": "maybe"})
    assert set(errors) == {"channel", "from", "counterpart", "state", "assignee", "urgent"}


def test_every_search_is_a_logged_consultation_with_its_terms(intake, officer, db):
    intake("BE", officer, subject="Logged search")
    db.rollback()
    c, _ = read_criteria({"q": "logged", "urgent": "1"})
    service.search(db, officer, c)
    db.commit()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.object_type == "case_search").order_by(AuditEntry.seq.desc()))
    assert entry.action == "consultation" and entry.actor_email == officer.email and entry.country_code == "BE"
    assert entry.details["terms"] == {"q": "logged", "urgent": "1"}
    assert "q=logged" in entry.details["what"]


def test_an_erased_case_is_no_longer_found_by_its_text(app, intake, work, officer, db, uploads):
    case_id, number, _ = intake("BE", officer, subject="Quarrelsome Zbigniew",
                                entities=[{"kind": "person", "surname": "Wrzeszcz", "given_names": "Zbigniew"}],
                                body="Zbigniew Wrzeszcz was seen in Ghent.")
    work(case_id, lambda s, c: workflow.add_note(s, c, officer, "Wrzeszcz called back"))
    db.rollback()
    assert _find(db, officer, q="wrzeszcz")[0] == [number]
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    work(case_id, lambda s, c: retention.erase(s, c, officer, "No longer needed", uploads.folder))
    db.rollback()
    for q in ("wrzeszcz", "zbigniew", "ghent", "quarrelsome"):
        assert _find(db, officer, q=q)[0] == [], q
    assert _find(db, officer, q=number)[0] == [number]  # the skeleton keeps its number
    # and the words are gone from the index's own storage, not only from its answers
    with app.extensions["spoc_db"].unit_of_work() as s:
        service.purge_erased(s)
    db.rollback()
    assert "wrzeszcz" not in service.index_storage_text(db)


def test_saved_searches_are_the_users_own(intake, officer, make_user, db):
    colleague = make_user("officer", "BE")
    c, _ = read_criteria({"q": "fraud", "urgent": "1"})
    saved = service.save_search(db, officer, "Urgent fraud", c)
    db.commit()
    assert [s.name for s in service.saved_searches(db, officer)] == ["Urgent fraud"]
    assert service.saved_searches(db, colleague) == []
    from portal import policy

    assert policy.can_use_saved_search(officer, saved) and not policy.can_use_saved_search(colleague, saved)
    with pytest.raises(CaseError):
        service.save_search(db, officer, " ", c)


def test_search_reads_the_full_text_index_not_the_cases(db):
    """The plan of a search by words: the FTS5 index first, each case found by its id."""
    if db.bind.dialect.name != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL's is measured by bench/search.py")
    from casemgmt.services.search import search
    from casemgmt.services.search_criteria import Criteria
    from tests.casemgmt.query_plans import plan_of_cases_query

    class Actor:
        id, country_code = 1, "BE"

    # the page's ids, as the search page asks for them (the first statement it runs on the cases)
    _, plan = plan_of_cases_query(db, lambda: search(db, Actor, Criteria(q="excavator"), log=False))
    assert "VIRTUAL TABLE INDEX" in plan and "SCAN cases" not in plan.replace("SCAN cases USING", ""), plan
