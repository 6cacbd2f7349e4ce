"""The activity report: a page and a DOCX read back, with the sections other domains register."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from portal.db import utcnow
from portal.funding import services as funding
from portal.meetings.models import Invitation, Meeting
from portal.meetings.services import actions, activity_report


def _held_meeting(app, make_meeting, secretariat):
    mid = make_meeting(days_ahead=-20, deadline_days=1, countries=["BE", "NL"], send=True, items=2)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        meeting = s.get(Meeting, mid)
        meeting.status = "held"
        for inv in s.query(Invitation).filter_by(meeting_id=mid):
            inv.attendance = "attended" if inv.country_code == "BE" else "excused"
        actor = s.merge(secretariat)
        actions.create_action(s, actor, title="Late action", owner="country:NL",
                              due_on=utcnow().date() - dt.timedelta(days=5), meeting=meeting)
        done = actions.create_action(s, actor, title="Done action", owner="country:BE", due_on=None, meeting=meeting)
        actions.update_action(s, done, actor, status="done", comment="ok")
        budget = funding.ensure_budget(s, "meeting", mid, meeting.starts_at.year)
        funding.set_funding(s, budget, actor, funding_source="ISF", isf_rate="50")
        funding.add_cost(s, budget, actor, category="venue", kind="actual", amount="2000")
    return mid


def test_report_page_and_docx(app, login_as, make_meeting, secretariat, db):
    _held_meeting(app, make_meeting, secretariat)
    client, _ = login_as("secretariat")
    today = utcnow().date()
    start, end = (today - dt.timedelta(days=60)).isoformat(), today.isoformat()
    page = client.get(f"/meetings/report?start={start}&end={end}").get_data(as_text=True)
    assert "Meetings of the Heads of SPOC network held in the period: 1." in page
    assert "Opened in the period: 2. Closed in the period: 1. Overdue at the end of the period: 1." in page
    r = client.get(f"/meetings/report.docx?start={start}&end={end}")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(r.data))
    top = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(" ", 1)[0] for h in top] == [f"{n}." for n in range(1, len(top) + 1)]  # one numbering
    headings = [p.text.split(" ", 1)[1] for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ["Meetings", "Topics discussed", "Action points", "Spending"] == [
        h for h in headings if h in ("Meetings", "Topics discussed", "Action points", "Spending")]
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    attendance = tables["Country"]
    rows = {r.cells[0].text: r.cells[1].text for r in attendance.rows[1:]}
    assert rows == {"Belgium": "Attended", "Netherlands": "Excused"}
    topics = {r.cells[0].text: r.cells[1].text for r in tables["Topic"].rows[1:]}
    assert topics["Legal and practical obstacles to cross-border cooperation"] == "2"
    spending = tables["Meeting"].rows[-1]
    assert spending.cells[3].text == "€ 2 000.00" and spending.cells[5].text == "€ 1 000.00"
    overdue = [t for t in doc.tables if t.rows[0].cells[0].text == "Action"][0]
    assert [r.cells[0].text for r in overdue.rows[1:]] == ["Late action"]


def test_other_domains_add_sections(app, login_as):
    def trainings(session, start, end):
        return {"title": "Trainings held", "paragraphs": [f"Trainings from {start} to {end}."],
                "tables": [{"caption": "Trainings", "header": ["Title"], "rows": [["SIENA basics"]]}]}

    activity_report.register_section(trainings)
    try:
        client, _ = login_as("admin")
        r = client.get("/meetings/report.docx?start=2026-01-01&end=2026-06-30")
        doc = Document(io.BytesIO(r.data))
        assert "Trainings held" in [p.text.split(" ", 1)[1] for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert any(t.rows[1].cells[0].text == "SIENA basics" for t in doc.tables if len(t.rows) > 1)
    finally:
        activity_report.ACTIVITY_REPORT_SECTIONS.remove(trainings)


def test_bad_period_is_refused_beside_the_field(login_as):
    client, _ = login_as("secretariat")
    r = client.get("/meetings/report?start=2026-06-30&end=2026-01-01")
    assert r.status_code == 422 and 'id="end-error"' in r.get_data(as_text=True)
    assert client.get("/meetings/report.docx?start=x&end=y").status_code == 422


def test_only_the_secretariat_reads_the_report(login_as):
    client, _ = login_as("head_of_spoc", "BE")
    assert client.get("/meetings/report").status_code == 404
    assert client.get("/meetings/report.docx").status_code == 404


def test_cli_writes_the_docx(app, tmp_path):
    out = tmp_path / "report.docx"
    result = app.test_cli_runner().invoke(args=["meetings", "activity-report", "--start", "2026-01-01",
                                                "--end", "2026-12-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Activity report" in Document(str(out)).paragraphs[0].text


def test_an_action_is_not_overdue_before_its_due_date(app, make_meeting, secretariat, db):
    mid = _held_meeting(app, make_meeting, secretariat)
    today = utcnow().date()
    with app.extensions["spoc_db"].unit_of_work() as s:
        actions.create_action(s, s.merge(secretariat), title="Due next week", owner="country:BE",
                              due_on=today + dt.timedelta(days=7), meeting=s.get(Meeting, mid))
    # a period still running: what is overdue today, not what will be by its end
    running = activity_report.actions_section(db, today - dt.timedelta(days=60), today + dt.timedelta(days=30))
    assert [r[0] for r in running["tables"][1]["rows"]] == ["Late action"]
    assert "Overdue today: 1." in running["paragraphs"][0]
    assert running["tables"][1]["rows"][0][2] == f"{today - dt.timedelta(days=5):%d %b %Y}"  # the portal's format
