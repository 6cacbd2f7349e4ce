"""The report's own settings for a round, on its report page: the secretariat turns its league tables and
ranks on (with a note, printed above the report) and off; a refused note is shown beside the field and
nothing changes; a country's users neither see the switch nor reach it."""

from __future__ import annotations

from sqlalchemy import select


def _round(db, rid):
    from questionnaires.models import Round

    db.rollback()  # a fresh read: what the requests committed
    return db.get(Round, rid)


def test_the_secretariat_turns_league_tables_on_with_a_note_and_off_again(login_as, submitted_round, db):
    from portal.audit import AuditEntry

    rid = submitted_round()
    sec, _ = login_as("secretariat")
    page = sec.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert 'id="league-tables"' in page and f'action="/reports/rounds/{rid}/league"' in page
    r = sec.post_form(f"/reports/rounds/{rid}/league",
                      data={"league_tables": "1", "league_note": "Requested by the working party"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/reports/rounds/{rid}#league-tables")
    page = sec.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "League tables and ranks are shown to the countries of the round." in page
    assert _round(db, rid).league_tables is True

    c, _ = login_as("head_of_spoc", "NL")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "rank <strong>3 of 3</strong>" in page and "Requested by the working party" in page

    r = sec.post_form(f"/reports/rounds/{rid}/league", data={"league_tables": "0"})
    assert r.status_code == 302
    round_ = _round(db, rid)
    assert (round_.league_tables, round_.league_note) == (False, "")
    assert "rank <strong>" not in c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    events = [e.details["event"] for e in db.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "questionnaire_round", AuditEntry.object_id == str(rid)).order_by(AuditEntry.seq))]
    assert events[-2:] == ["league_tables_on", "league_tables_off"]


def test_turning_them_on_without_a_note_is_refused_beside_the_note(login_as, submitted_round, db):
    rid = submitted_round()
    sec, _ = login_as("secretariat")
    # a note longer than is kept is refused, not cut short in silence
    for note in ("", "   ", "Shown under RESTREINT UE", "x" * 1001):
        r = sec.post_form(f"/reports/rounds/{rid}/league", data={"league_tables": "1", "league_note": note})
        page = r.get_data(as_text=True)
        assert r.status_code == 422 and 'id="league_note-error"' in page, note
        beside = page[page.index('id="league_note-error"'):][:300]
        assert ("Say why the league tables are shown" in beside) == (not note.strip()), note
        assert _round(db, rid).league_tables is False


def test_the_questionnaire_round_page_links_to_the_setting_on_the_report(login_as, submitted_round):
    rid = submitted_round(league=True)
    sec, _ = login_as("secretariat")
    page = sec.get(f"/questionnaires/rounds/{rid}").get_data(as_text=True)
    assert "League tables and ranks in the report: on" in page
    assert f'href="/reports/rounds/{rid}#league-tables"' in page


def test_a_country_s_users_do_not_see_or_reach_the_switch(login_as, submitted_round, db):
    rid = submitted_round()
    for role in ("head_of_spoc", "respondent"):
        c, _ = login_as(role, "NL")  # NL is invited to the round and reads its report
        assert c.get(f"/reports/rounds/{rid}").status_code == 200
        assert 'id="league-tables"' not in c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
        r = c.post_form(f"/reports/rounds/{rid}/league", data={"league_tables": "1", "league_note": "Ours"})
        assert r.status_code == 404
    assert _round(db, rid).league_tables is False
