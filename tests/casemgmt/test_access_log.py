"""LED Art. 25 logging: every kind of processing leaves an entry; the DPO reads and exports
their SPOC's log; the chain detects an edited or deleted row."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select, update

from casemgmt.services import dedupe, outgoing, retention, workflow
from portal import audit
from portal.audit import AuditEntry


def entries(db, number):
    db.rollback()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.object_id == number).order_by(AuditEntry.seq)))


def test_each_kind_of_processing_is_logged(app, intake, work, officer, login_as, db, uploads):
    case_id, number, _ = intake("BE", officer)
    other_id, _, _ = intake("BE", officer)
    client, user = login_as("officer", "BE")
    client.get(f"/cases/{number}")
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=False, urgency_ground=None,
                                                 information_access="direct"))
    work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
    auth = work(case_id, lambda s, c: outgoing.add_authority(s, "BE", "Local police").id)
    work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=auth, summary="names",
                                                    handling_code="H0", justification="local check"))
    work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="found", handling_code="H0",
                                                   justification="Art. 5 request"))
    work(case_id, lambda s, c: dedupe.link_cases(s, c, s.get(type(c), other_id), officer))
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    work(case_id, lambda s, c: retention.erase(s, c, officer, "no longer needed", uploads.folder))
    log = entries(db, number)
    kinds = [e.action for e in log]
    for action in ("collection", "consultation", "alteration", "combination", "disclosure", "erasure"):
        assert action in kinds, action
    consult = next(e for e in log if e.action == "consultation")
    assert consult.actor_email == user.email and consult.country_code == "BE"
    disclosures = [e for e in log if e.action == "disclosure"]
    assert [(d.recipients, d.justification) for d in disclosures] == [
        (["Local police"], "local check"), (["SPOC DE"], "Art. 5 request")]
    with app.extensions["spoc_db"].read_session() as s:
        assert audit.verify(s) == []


def test_closed_case_asks_for_a_justification_first(intake, work, officer, login_as, db):
    case_id, number, _ = intake("BE", officer)
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    client, _ = login_as("officer", "BE")
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "is closed" in page and "Kowalski" not in page
    assert not [e for e in entries(db, number) if e.action == "consultation"]
    r = client.post_form(f"/cases/{number}/open", {"justification": ""})
    assert r.status_code == 422 and 'id="justification-error"' in r.get_data(as_text=True)
    r = client.post_form(f"/cases/{number}/open", {"justification": "Prosecutor's question of 3 May"})
    assert r.status_code == 302
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "KOWALSKI" in page
    consults = [e for e in entries(db, number) if e.action == "consultation"]
    assert [c.justification for c in consults] == ["Prosecutor's question of 3 May"]


def test_opening_an_attachment_is_a_consultation(intake, work, officer, login_as, db, uploads):
    from casemgmt.services.intake import attach_file

    case_id, number, _ = intake("BE", officer)
    att = work(case_id, lambda s, c: attach_file(s, c, b"%PDF-1.4 report", "report.pdf", officer, uploads,
                                                         scan_confirmed=True).id)
    client, _ = login_as("officer", "BE")
    r = client.get(f"/cases/{number}/attachments/{att}")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 report"
    what = [e.details["what"] for e in entries(db, number) if e.action == "consultation"]
    assert what == [f"attachment #{att} opened"]  # by reference: a file name may name a person
    nl, _ = login_as("officer", "NL")
    assert nl.get(f"/cases/{number}/attachments/{att}").status_code == 404


def test_dpo_reads_and_exports_the_log_of_their_spoc_only(intake, login_as, officer):
    _, be_number, _ = intake("BE", officer)
    _, nl_number, _ = intake("NL")
    dpo, _ = login_as("dpo", "BE")
    page = dpo.get("/cases/access-log").get_data(as_text=True)
    assert be_number in page and nl_number not in page
    filtered = dpo.get("/cases/access-log?action=consultation").get_data(as_text=True)
    assert be_number not in filtered
    r = dpo.get("/cases/access-log.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["seq", "when (UTC)", "user", "action"]
    assert {row[4] for row in rows[1:]} == {be_number}
    nl_dpo, _ = login_as("dpo", "NL")
    assert be_number not in nl_dpo.get("/cases/access-log").get_data(as_text=True)
    officer_client, _ = login_as("officer", "BE")
    assert officer_client.get("/cases/access-log").status_code == 404


def test_chain_detects_an_edited_entry(app, intake, officer):
    intake("BE", officer)
    database = app.extensions["spoc_db"]
    with database.read_session() as s:
        assert audit.verify(s) == []
    with database.unit_of_work() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(justification="forged"))
    with database.read_session() as s:
        assert any("changed" in p for p in audit.verify(s))


def test_case_page_shows_the_latest_log_entries_and_links_to_the_whole_log(intake, login_as):
    """Every opening is an entry: a case opened often keeps a page of constant size, with the count
    and (for those who may read the access log) a link to the whole log of the case."""
    _, number, _ = intake("BE")
    officer, _ = login_as("officer", "BE")
    for _ in range(30):
        assert officer.get(f"/cases/{number}").status_code == 200
    page = officer.get(f"/cases/{number}").get_data(as_text=True)
    log = page[page.index('id="log-h"'):]
    log = log[:log.index("</table>")]
    assert log.count("<tr><td") == 25  # the latest 25 of 33: the intake and its cross-check, 31 openings
    assert "The latest 25 of 33 entries" in log and "access-log" not in log  # an officer may not read the log
    supervisor, _ = login_as("supervisor", "BE")
    page = supervisor.get(f"/cases/{number}").get_data(as_text=True)
    assert f'href="/cases/access-log?case={number}"' in page
    assert number in supervisor.get(f"/cases/access-log?case={number}").get_data(as_text=True)


def test_repeated_consultations_are_one_line_on_the_page_and_every_entry_in_the_export(api, make_user, login_as, db):
    """Issue 19, item 11: the access log groups repeated consultations of one case by one user within a
    few minutes (every entry stays in the chain and the export), and links the case."""
    from tests.casemgmt.conftest import make_payload

    number = api(make_user("officer", "BE")).post("/api/v1/cases/intake", json=make_payload()).get_json()[
        "registration_number"]
    officer, _ = login_as("officer", "BE")
    for _ in range(3):
        assert officer.get(f"/cases/{number}").status_code == 200
    dpo, _ = login_as("dpo", "BE")
    page = dpo.get("/cases/access-log").get_data(as_text=True)
    assert "× 3" in page and "case page opened (3 times)" in page
    assert f'href="/cases/{number}"' in page
    # a group within one minute shows one time, not "14:57 CET to 14:57 CET"
    when = re.search(r'class="log-grouped"><td>[^<]*</td>\s*<td class="nowrap">([^<]*)</td>', page).group(1)
    start_end = re.fullmatch(r".* (\d\d:\d\d \S+) to (\d\d:\d\d \S+)", when)
    assert start_end is None or start_end.group(1) != start_end.group(2), when
    db.rollback()
    from sqlalchemy import func, select

    from portal.audit import AuditEntry

    # every consultation stays an entry of its own (the chain and the CSV export read them one by one)
    assert db.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.object_id == number, AuditEntry.details["what"].as_string() == "case page opened")) == 3


def test_the_log_names_case_states_by_their_labels(intake, work, officer, login_as):
    """Issue 19, item 11: no internal code on a page; the stored entry keeps its words, the page its labels."""
    case_id, number, _ = intake("BE", officer)
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=False, urgency_ground=None,
                                                 information_access="direct"))
    work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
    supervisor, _ = login_as("supervisor", "BE")
    for url in (f"/cases/{number}", f"/cases/access-log?case={number}"):
        page = supervisor.get(url).get_data(as_text=True)
        assert "status Evaluated → Cross-checked" in page, url
        assert "cross_checked" not in page, url
