"""The core group and the trainer pool: proposal, expertise from the managed list, search and filters."""

from __future__ import annotations

from sqlalchemy import select

from portal.training.models import CoreGroupProfile, Trainer
from tests.portal.training.conftest import topic_id


def _propose(client, db, **over):
    siena = topic_id(db, "siena")
    data = {"name": "Marie Lambert", "email": "marie@police.be", "organisation": "Federal Police",
            "country_code": "BE", "topics": [str(siena)], "languages": "fr, nl, en",
            "availability": "Two weeks a year", "bio": "Ten years at the SPOC."}
    data.update(over)
    return client.post_form("/training/trainers/new", data)


def test_a_head_of_spoc_proposes_a_trainer_of_their_country(login_as, db):
    head, _ = login_as("head_of_spoc", "BE")
    r = _propose(head, db)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    db.rollback()
    t = db.scalar(select(Trainer))
    assert (t.name, t.country_code, t.proposed_by_kind, t.languages) == ("Marie Lambert", "BE", "country", "fr, nl, en")
    assert [x.key for x in t.topics] == ["siena"]
    r = _propose(head, db, name="Other", country_code="NL")
    assert r.status_code == 422 and "own country" in r.get_data(as_text=True)


def test_trainer_proposal_is_validated(login_as, db):
    core, _ = login_as("trainer", "NL")
    r = _propose(core, db, topics=[])
    assert r.status_code == 422 and 'id="topics-error"' in r.get_data(as_text=True)
    r = _propose(core, db, languages="french")
    assert r.status_code == 422 and "two-letter language codes" in r.get_data(as_text=True)
    r = _propose(core, db, email="nope")
    assert r.status_code == 422 and 'id="email-error"' in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(Trainer)) is None
    assert _propose(core, db, country_code="DE").status_code == 302
    db.rollback()
    assert db.scalar(select(Trainer)).proposed_by_kind == "core_group"


def test_the_pool_is_searchable_and_filterable(login_as, make_trainer, db):
    make_trainer("Marie Lambert", "BE", ("siena", "data_protection"), "fr, en", organisation="Federal Police")
    make_trainer("Thomas Müller", "DE", ("sis_sirene",), "de, en", organisation="BKA")
    make_trainer("Sanne Bakker", "NL", ("siena",), "nl, de")
    make_trainer("Retired Person", "NL", ("siena",), "nl", active=False)
    c, _ = login_as("head_of_spoc", "BE")

    def names(query):
        page = c.get("/training/trainers" + query).get_data(as_text=True)
        return [n for n in ("Marie Lambert", "Thomas Müller", "Sanne Bakker", "Retired Person") if n in page]

    assert names("") == ["Marie Lambert", "Thomas Müller", "Sanne Bakker"]
    assert names("?q=bka") == ["Thomas Müller"]
    assert names("?q=data+protection") == ["Marie Lambert"]
    assert names("?language=de") == ["Thomas Müller", "Sanne Bakker"]
    assert names("?language=n") == []
    assert names("?country=NL") == ["Sanne Bakker"]
    assert names("?country=NL&inactive=1") == ["Sanne Bakker", "Retired Person"]
    sis = topic_id(db, "sis_sirene")
    assert names(f"?topic={sis}") == ["Thomas Müller"]


def test_the_pool_is_not_for_every_role(login_as):
    for role in ("officer", "respondent", "dpo"):
        c, _ = login_as(role, "BE")
        assert c.get("/training/trainers").status_code == 404
        assert c.get("/training/core-group").status_code == 404


def test_core_group_members_their_countries_and_expertise(login_as, make_user, db):
    member = make_user("trainer", "LT")
    make_user("head_of_spoc", "LT")
    sec, _ = login_as("secretariat")
    page = sec.get("/training/core-group").get_data(as_text=True)
    assert member.email in page and "LT" in page and "not given yet" in page
    ids = [str(topic_id(db, "analysis")), str(topic_id(db, "cross_check"))]
    r = sec.post_form(f"/training/core-group/{member.id}", {"topics": ids, "note": "Analyst, 12 years."})
    assert r.status_code == 302
    page = sec.get("/training/core-group").get_data(as_text=True)
    assert "Analysis of information" in page and "Cross-checking" in page and "Analyst, 12 years." in page
    db.rollback()
    assert sorted(t.key for t in db.get(CoreGroupProfile, member.id).topics) == ["analysis", "cross_check"]
    # members edit their own expertise, not a colleague's
    me, me_user = login_as("trainer", "BE")
    assert me.get(f"/training/core-group/{member.id}").status_code == 404
    assert me.get(f"/training/core-group/{me_user.id}").status_code == 200
    # a user without the trainer role is no member
    head = make_user("head_of_spoc", "BE")
    assert sec.get(f"/training/core-group/{head.id}").status_code == 404
