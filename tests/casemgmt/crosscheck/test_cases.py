"""The cross-check of cases: at intake, hits with reasons in the case, decisions, links, tenancy, log."""

from __future__ import annotations

from sqlalchemy import func, select

from casemgmt.crosscheck import services
from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun, IndexedSubject
from casemgmt.models import Case, CaseLink, Person
from portal.audit import AuditEntry

EARLIER = [{"kind": "person", "surname": "Щербаков", "given_names": "Дмитрий", "date_of_birth": "1975-03-04",
            "nationality": "UA", "documents": [{"type": "passport", "number": "EK 123456", "country": "UA"}]}]
LATER = [{"kind": "person", "surname": "Schtscherbakow", "given_names": "Dmitri", "date_of_birth": "1975-03-04",
          "nationality": "UA"}]


def two_cases(intake, officer, country="BE", later=LATER):
    first = intake(country, officer, subject="Stolen vehicle ring", body="Who is he?", entities=EARLIER)
    second = intake(country, officer, subject="Fraud with cards", body="Anything on this man?", entities=later,
                    counterpart_country="FR")
    return first, second


def test_a_be_officer_sees_the_earlier_case_about_the_same_person_spelt_differently(intake, login_as, db):
    client, officer = login_as("officer", "BE")
    (first_id, first_no, _), (second_id, second_no, _) = two_cases(intake, officer)
    run = db.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == second_id))
    assert run.status == "done" and run.trigger == "intake" and run.hits == 1
    page = client.get(f"/cases/{second_no}/crosscheck").get_data(as_text=True)
    assert "strong hit" in page and first_no in page
    assert "names agree 99%" in page and "schtscherbakow" in page  # Dmitri ~ Dmitriy
    assert "same date of birth 1975-03-04" in page
    assert "not reviewed yet" in page
    # the earlier case's own run found nothing then (it was first)
    assert db.scalar(select(CrossCheckRun.hits).where(CrossCheckRun.case_id == first_id)) == 0


def test_every_run_is_logged_as_a_combination(intake, officer, db):
    (_, _, _), (_, second_no, _) = two_cases(intake, officer)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.object_id == second_no, AuditEntry.action == "combination"))
    assert entry is not None and "cross-check (intake)" in entry.details["what"] and entry.details["hits"] == 1


def test_decisions_survive_reruns_and_a_confirmed_hit_links_the_cases(intake, login_as, db, app):
    client, officer = login_as("officer", "BE")
    (first_id, first_no, _), (second_id, second_no, _) = two_cases(intake, officer)
    hit = db.scalar(select(CrossCheckHit).where(CrossCheckHit.case_id == second_id))
    response = client.post_form(f"/cases/{second_no}/crosscheck/hits/{hit.id}", {"decision": "confirmed",
                                                                                   "note": "same passport photo"})
    assert response.status_code == 302
    db.rollback()
    links = db.scalars(select(CaseLink.other_id).where(CaseLink.case_id == second_id)).all()
    assert links == [first_id]
    assert client.post_form(f"/cases/{second_no}/crosscheck/run").status_code == 302
    db.rollback()
    again = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == second_id)).all()
    assert [(h.id, h.status, h.decision_note, h.current) for h in again] == [
        (hit.id, "confirmed", "same passport photo", True)]
    assert db.scalar(select(func.count()).select_from(CrossCheckRun).where(CrossCheckRun.case_id == second_id)) == 2


def test_a_bad_decision_changes_nothing(intake, login_as, db):
    client, officer = login_as("officer", "BE")
    _, (second_id, second_no, _) = two_cases(intake, officer)
    hit = db.scalar(select(CrossCheckHit).where(CrossCheckHit.case_id == second_id))
    response = client.post_form(f"/cases/{second_no}/crosscheck/hits/{hit.id}", {"decision": "maybe"},
                                follow_redirects=True)
    assert "Choose confirmed, rejected or unreviewed." in response.get_data(as_text=True)
    db.rollback()
    assert db.get(CrossCheckHit, hit.id).status == "unreviewed"
    assert client.post_form(f"/cases/{second_no}/crosscheck/hits/999999", {"decision": "rejected"}).status_code == 404


def test_a_spoc_sees_only_its_own_cases(intake, make_user, db, login_as):
    be_officer = make_user("officer", "BE")
    nl_officer = make_user("officer", "NL")
    intake("BE", be_officer, subject="BE case", body="BE", entities=EARLIER)
    nl_id, nl_no, _ = intake("NL", nl_officer, subject="NL case", body="NL", entities=LATER)
    assert db.scalar(select(CrossCheckRun.hits).where(CrossCheckRun.case_id == nl_id)) == 0
    client, _ = login_as("officer", "BE")
    assert client.get(f"/cases/{nl_no}/crosscheck").status_code == 404


def test_identifiers_of_another_case_are_hits_too(intake, officer, db):
    first = intake("BE", officer, subject="Phone", body="Whose phone?", entities=[
        {"kind": "phone", "number": "+32 2 555 12 34"}, {"kind": "vehicle", "plate": "1-ABC-234", "country": "BE"}])
    second = intake("BE", officer, subject="Car", body="Whose car?", entities=[
        {"kind": "phone", "number": "02/555.12.34"}, {"kind": "vehicle", "plate": "1abc234", "country": "BE"}])
    hits = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == second[0])).all()
    assert sorted(h.reasons[0] for h in hits) == ["same number plate 1ABC234 (BE)", "same phone number +3225551234"]
    assert {h.matched_case_id for h in hits} == {first[0]}


def test_big_cases_wait_for_run_pending_and_erased_entities_leave_the_index(app, intake, officer, db, monkeypatch):
    from casemgmt.crosscheck import refresh

    monkeypatch.setattr(services, "INLINE_MAX_ENTITIES", 0)
    first, second = two_cases(intake, officer)
    run = db.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == second[0]))
    assert run.status == "pending"
    result = app.test_cli_runner().invoke(args=["crosscheck", "run-pending"])
    assert "2 pending cross-check(s) run." in result.output
    db.rollback()
    assert db.get(CrossCheckRun, run.id).status == "done"
    assert db.scalar(select(func.count()).select_from(CrossCheckHit).where(CrossCheckHit.case_id == second[0])) == 1
    with app.extensions["spoc_db"].unit_of_work() as s:
        for person in s.scalars(select(Person).where(Person.case_id == first[0])):
            for doc in person.documents:
                s.delete(doc)
            s.delete(person)
        # a writer that removes entities says so, explicitly (no session listener does it behind it)
        refresh.entities_changed(s, s.get(Case, first[0]), officer, trigger="edit")
    db.rollback()
    assert db.scalar(select(func.count()).select_from(IndexedSubject).where(IndexedSubject.case_id == first[0])) == 0


def test_unreviewed_strong_hits_are_what_blocks_dissemination(intake, officer, app):
    _, second = two_cases(intake, officer)
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = s.get(Case, second[0])
        (hit,) = services.unreviewed_strong_hits(s, case)
        services.decide_hit(s, case, hit.id, "rejected", officer, "another man")
        assert services.unreviewed_strong_hits(s, case) == []


def test_the_case_page_panel_summarises_the_hits(intake, officer, app):
    from flask import render_template

    _, second = two_cases(intake, officer)
    with app.test_request_context():
        from portal.db import get_session

        html = render_template("crosscheck/_case_panel.html", case=get_session().get(Case, second[0]))
    assert "1 hit, 1 strong" in html and "1 strong not reviewed yet" in html
    assert f"/cases/{second[1]}/crosscheck" in html


def test_a_big_case_is_finished_in_the_background_after_the_commit(app, intake, officer, db, monkeypatch):
    import time

    from casemgmt.crosscheck import refresh

    monkeypatch.setattr(services, "INLINE_MAX_ENTITIES", 0)
    monkeypatch.setitem(refresh.BACKGROUND, "enabled", True)
    with app.app_context():  # the commit enqueues job crosscheck.finish on the app's queue (immediate in tests)
        _, second = two_cases(intake, officer)
    for _ in range(100):
        db.rollback()
        if db.scalar(select(CrossCheckRun.status).where(CrossCheckRun.case_id == second[0])) == "done":
            break
        time.sleep(0.05)
    assert db.scalar(select(CrossCheckRun.hits).where(CrossCheckRun.case_id == second[0])) == 1


def test_the_case_page_shows_the_panel_and_dissemination_asks_to_confirm_unreviewed_hits(intake, login_as, app, db):
    from casemgmt.models import CaseStatus
    from casemgmt.services import outgoing

    client, officer = login_as("officer", "BE")
    _, (second_id, second_no, _) = two_cases(intake, officer)
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.get(Case, second_id).status = CaseStatus.CROSS_CHECKED
        authority = outgoing.add_authority(s, "BE", "Federal judicial police").id
    page = client.get(f"/cases/{second_no}").get_data(as_text=True)
    assert 'id="xc-panel"' in page and "1 strong not reviewed yet" in page
    form = {"ds-authority_id": str(authority), "ds-summary": "identity of the person", "ds-handling_code": "H0",
            "ds-justification": "ongoing investigation"}
    r = client.post_form(f"/cases/{second_no}/disseminate", form)
    assert r.status_code == 422 and "not reviewed yet" in r.get_data(as_text=True)
    assert outgoing.disseminations(db, db.get(Case, second_id)) == []
    r = client.post_form(f"/cases/{second_no}/disseminate", {**form, "ds-confirm_hits": "y"})
    assert r.status_code == 302
    db.rollback()
    assert len(outgoing.disseminations(db, db.get(Case, second_id))) == 1


def test_no_session_listener_does_the_cross_check_behind_the_writers():
    """Issue 16, point 10: the cross-check is an explicit call from intake, entity changes, import and
    erasure; no module of the case domain listens on SQLAlchemy sessions."""
    from pathlib import Path

    import casemgmt

    root = Path(casemgmt.__file__).parent
    listening = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "event.listen" in p.read_text(encoding="utf-8")]
    assert listening == []
    writers = {"services/intake.py", "services/entities.py", "services/dedupe.py"}
    assert all("entities_changed(" in (root / w).read_text(encoding="utf-8") for w in writers)


def test_the_hit_reads_the_same_whatever_language_its_cases_were_registered_in(intake, officer, db, app):
    """The subjects' texts are stored (the index, the hits) and read later by officers of every language,
    so they do not take the language of the page that registered the case: a French officer's case is
    kept as "born 1975-03-04", as an English one's (the entity's own label stays in the page's language)."""
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("fr"):
        (first_id, _, _), (second_id, _, _) = two_cases(intake, officer)
        person = db.scalar(select(Person).where(Person.case_id == second_id))
        assert "naissance" in person.label  # the page's language, where the page shows it
    hit = db.scalar(select(CrossCheckHit).where(CrossCheckHit.case_id == second_id))
    assert hit.query_display == "SCHTSCHERBAKOW, Dmitri · born 1975-03-04 · UA"
    assert hit.matched_display.endswith("· born 1975-03-04 · UA")
    displays = db.scalars(select(IndexedSubject.display).where(IndexedSubject.case_id.in_([first_id, second_id]))).all()
    assert sorted(displays) == ["SCHTSCHERBAKOW, Dmitri · born 1975-03-04 · UA", "passport EK 123456 (UA)",
                                "ЩЕРБАКОВ, Дмитрий · born 1975-03-04 · UA"]
