"""Opportunities: proposal by a Head of SPOC or the core group, assessment, decision with history, conversion."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.training.models import Activity, Opportunity
from tests.portal.training.conftest import TODAY


def _propose(client, **over):
    data = {"title": "CEPOL webinar on SIENA mobile", "topic_id": "", "description": "Three webinars by CEPOL.",
            "target_audience": "Operators", "estimated_cost": "1500"}
    data.update(over)
    return client.post_form("/training/opportunities/new", data)


def _assess(client, opp_id, **over):
    data = {"relevance": "4", "target_audience": "Operators and supervisors", "estimated_cost": "1800",
            "assessment": "Relevant to most SPOCs; cheap online format.", "decision": "approved"}
    data.update(over)
    return client.post_form(f"/training/opportunities/{opp_id}/assess", data)


def test_a_head_of_spoc_proposes_and_the_core_group_decides_with_history(login_as, db):
    head, _ = login_as("head_of_spoc", "BE")
    assert _propose(head).status_code == 302
    db.rollback()
    opp = db.scalar(select(Opportunity))
    assert (opp.country_code, opp.proposer_kind, opp.status) == ("BE", "country", "proposed")
    core, _ = login_as("trainer", "NL")
    assert _assess(core, opp.id, decision="parked", assessment="Wait for next year's CEPOL catalogue.").status_code == 302
    assert _assess(core, opp.id).status_code == 302
    db.rollback()
    opp = db.get(Opportunity, opp.id)
    assert (opp.status, opp.relevance, str(opp.estimated_cost)) == ("approved", 4, "1800.00")
    assert [(e.from_status, e.to_status) for e in opp.events] == [(None, "proposed"), ("proposed", "parked"),
                                                                   ("parked", "approved")]
    page = head.get(f"/training/opportunities/{opp.id}").get_data(as_text=True)
    assert "Wait for next year" in page and "Approved" in page
    assert "Core group assessment" not in page  # a Head of SPOC reads, does not assess
    assert _assess(head, opp.id, decision="rejected").status_code == 404


def test_an_assessment_needs_relevance_and_written_reasons(login_as, db):
    core, _ = login_as("trainer", "BE")
    _propose(core)
    db.rollback()
    opp = db.scalar(select(Opportunity))
    assert opp.proposer_kind == "core_group" and opp.country_code is None
    r = _assess(core, opp.id, relevance="")
    assert r.status_code == 422 and 'id="relevance-error"' in r.get_data(as_text=True)
    r = _assess(core, opp.id, assessment="ok")
    assert r.status_code == 422 and "Write the assessment" in r.get_data(as_text=True)
    db.rollback()
    assert db.get(Opportunity, opp.id).status == "proposed"


def test_proposals_are_seen_by_their_country_only(login_as, db):
    be, _ = login_as("head_of_spoc", "BE")
    _propose(be, title="Belgian idea")
    nl, _ = login_as("head_of_spoc", "NL")
    _propose(nl, title="Dutch idea")
    db.rollback()
    be_opp = db.scalar(select(Opportunity).where(Opportunity.country_code == "BE"))
    listing = nl.get("/training/opportunities").get_data(as_text=True)
    assert "Dutch idea" in listing and "Belgian idea" not in listing
    assert nl.get(f"/training/opportunities/{be_opp.id}").status_code == 404
    core, _ = login_as("trainer", "NL")
    listing = core.get("/training/opportunities").get_data(as_text=True)
    assert "Dutch idea" in listing and "Belgian idea" in listing


def test_an_approved_opportunity_becomes_an_activity(login_as, db):
    core, _ = login_as("trainer", "BE")
    _propose(core, title="Exchange programme", target_audience="Shift leaders")
    db.rollback()
    opp = db.scalar(select(Opportunity))
    assert core.get(f"/training/activities/new?opportunity={opp.id}").status_code == 200
    start = TODAY + dt.timedelta(days=60)
    form = {"title": "Exchange programme", "format": "exchange", "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=4)).isoformat(), "place": "Den Haag", "capacity": "8",
            "status": "planned", "opportunity": str(opp.id), "language": "en"}
    r = core.post_form(f"/training/activities/new?opportunity={opp.id}", form)
    assert r.status_code == 422 and "Only an approved opportunity" in r.get_data(as_text=True)
    _assess(core, opp.id, target_audience="Shift leaders")
    page = core.get(f"/training/opportunities/{opp.id}").get_data(as_text=True)
    assert "Turn into an activity" in page
    prefilled = core.get(f"/training/activities/new?opportunity={opp.id}").get_data(as_text=True)
    assert 'value="Exchange programme"' in prefilled and "Shift leaders" in prefilled
    r = core.post_form(f"/training/activities/new?opportunity={opp.id}", form)
    assert r.status_code == 302
    db.rollback()
    activity = db.scalar(select(Activity))
    assert activity.opportunity_id == opp.id
    opp = db.get(Opportunity, opp.id)
    assert "Turned into training activity" in opp.events[-1].note
    page = core.get(f"/training/opportunities/{opp.id}").get_data(as_text=True)
    assert "became the activity" in page and "Core group assessment" not in page
    # only once
    r = core.post_form(f"/training/activities/new?opportunity={opp.id}", form)
    assert r.status_code == 422 and "already an activity" in r.get_data(as_text=True)


def test_other_roles_cannot_propose(login_as):
    c, _ = login_as("officer", "BE")
    assert c.get("/training/opportunities").status_code == 404
    assert _propose(c).status_code == 404
