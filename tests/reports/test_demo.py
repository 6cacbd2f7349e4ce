"""The reports' demo data: the earlier demo round's league tables are on, with a note (once)."""

from __future__ import annotations

from sqlalchemy import select


def test_the_earlier_demo_round_has_its_league_tables_on_with_a_note(app, db):
    from questionnaires.demo import CURRENT_TITLE, EARLIER_TITLE
    from questionnaires.demo import load_demo as load_rounds
    from questionnaires.models import Round
    from reports.demo import load_demo

    for _ in range(2):  # idempotent
        with app.extensions["spoc_db"].unit_of_work() as session:
            load_rounds(session, {})
            load_demo(session, {})
    db.rollback()
    rounds = {r.title: r for r in db.scalars(select(Round))}
    assert rounds[EARLIER_TITLE].league_tables and "working party" in rounds[EARLIER_TITLE].league_note
    assert not rounds[CURRENT_TITLE].league_tables
