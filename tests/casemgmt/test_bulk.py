"""Bulk actions on a selection of the inbox (issue 17, point 6): assign, add to a retention review,
export the list; each case checked as the one-case action checks it, the others listed with the reason."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from casemgmt.models import Case
from portal.audit import AuditEntry
from tests.casemgmt.conftest import make_payload


@pytest.fixture
def three(api, make_user):
    be = api(make_user("officer", "BE"))
    numbers = []
    for i in range(3):
        r = be.post("/api/v1/cases/intake", json=make_payload(external_reference=f"SIENA-BULK-{i}",
                                                             subject=f"Bulk case {i}"))
        assert r.status_code == 201, r.get_json()
        numbers.append(r.get_json()["registration_number"])
    return numbers


def test_assign_a_selection_from_the_inbox(three, login_as, make_user, db):
    colleague = make_user("officer", "BE", email="colleague@be.invalid")
    client, _ = login_as("supervisor", "BE")
    page = client.get("/cases/").get_data(as_text=True)
    assert f'value="{three[0]}" form="bulk-form"' in page and "With the ticked cases" in page
    r = client.post_form("/cases/bulk", {"action": "assign", "assignee_id": str(colleague.id),
                                         "case": [three[0], three[2], "NL-2026-000001"]})
    assert r.status_code == 302
    db.rollback()
    assignees = dict(db.execute(select(Case.registration_number, Case.assignee_id)).all())
    assert (assignees[three[0]], assignees[three[1]], assignees[three[2]]) == (colleague.id, None, colleague.id)
    flashed = client.get("/cases/").get_data(as_text=True)
    assert "2 case(s) done" in flashed and "NL-2026-000001 (no such case in your SPOC)" in flashed


def test_nobody_outside_the_spoc_can_be_assigned_and_nothing_is_done_without_a_selection(three, login_as,
                                                                                        make_user, db):
    outsider = make_user("officer", "NL")
    client, _ = login_as("officer", "BE")
    client.post_form("/cases/bulk", {"action": "assign", "assignee_id": str(outsider.id), "case": three})
    assert "Choose whom to assign the cases to." in client.get("/cases/").get_data(as_text=True)
    client.post_form("/cases/bulk", {"action": "export"})
    assert "Tick at least one case." in client.get("/cases/").get_data(as_text=True)
    db.rollback()
    assert set(db.scalars(select(Case.assignee_id))) == {None}


def test_retention_review_takes_closed_cases_only(three, login_as, api, make_user, db):
    be = api(make_user("officer", "BE"))
    closed = be.post(f"/api/v1/cases/{three[1]}/exchanges/1/close", json={"outcome": "withdrawn"})
    assert closed.status_code == 200, closed.get_json()
    client, _ = login_as("officer", "BE")
    client.post_form("/cases/bulk", {"action": "retention", "case": [three[0], three[1]]})
    db.rollback()
    due = dict(db.execute(select(Case.registration_number, Case.review_due_at)).all())
    assert due[three[0]] is None
    assert "still open: close it first" in client.get("/cases/").get_data(as_text=True)
    assert three[1] in client.get("/cases/retention").get_data(as_text=True)


def test_export_the_selected_list_is_logged_per_case(three, login_as, db):
    client, _ = login_as("dpo", "BE")
    r = client.post_form("/cases/bulk", {"action": "export", "case": three[:2]})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][0] == "registration number" and [row[0] for row in rows[1:]] == three[:2]
    assert rows[1][1] == "Bulk case 0"
    db.rollback()
    logged = db.scalars(select(AuditEntry.object_id).where(
        AuditEntry.details["what"].as_string() == "listed in an export of the inbox")).all()
    assert sorted(logged) == sorted(three[:2])
    # a reader may export, not change
    client.post_form("/cases/bulk", {"action": "assign", "case": three[:1]})
    db.rollback()
    assert db.scalar(select(Case.assignee_id).where(Case.registration_number == three[0])) is None
