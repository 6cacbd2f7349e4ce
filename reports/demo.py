"""Demo data of the reports: the earlier demo round's league tables turned on, with a note (after the
questionnaires' demo loader, which opens the rounds)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session


def load_demo(session: Session, users: dict) -> None:
    """Turn on the league tables of the earlier demo round, unless they are on already."""
    from questionnaires.demo import EARLIER_TITLE
    from questionnaires.models import Round
    from reports.services import set_league_tables

    earlier = session.scalar(select(Round).where(Round.title == EARLIER_TITLE))
    if earlier is None or earlier.league_tables:
        return
    set_league_tables(session, earlier, True, "Requested by the working party for its 2025 stock-taking.",
                      users.get("secretariat@demo.invalid"))
