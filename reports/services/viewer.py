"""Whose report it is: the viewer a user is for a round (highlighted country, whose own words, league tables)."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.models import ResponseStatus, Round


@dataclass(frozen=True)
class Viewer:
    """Whose report: `country` is highlighted (and sees its own maturity index and position);
    `free_text_from`: the countries whose own words are shown (None: every country's); `league` False: the
    network view without league tables and ranks."""

    country: str | None = None
    free_text_from: frozenset[str] | None = None
    league: bool = True

    @property
    def all_free_text(self) -> bool:
        return self.free_text_from is None


def consenting_countries(round_: Round) -> set[str]:
    """The countries whose submitted response agrees to share their own words with the other countries
    (their codes only: not every response of the round loaded)."""
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from questionnaires.models import Response

    session = object_session(round_)
    if session is None:
        return {r.country_code for r in round_.responses
                if r.status == ResponseStatus.SUBMITTED and r.share_free_text}
    return set(session.scalars(select(Response.country_code).where(
        Response.round_id == round_.id, Response.status == ResponseStatus.SUBMITTED,
        Response.share_free_text.is_(True))))


def viewer_of(user, round_: Round) -> Viewer:
    """The viewer `user` is for the round's report (portal.policy decides whose free text they read and
    whether they see league tables); the pages, the downloads and the API all ask here, so they show the same."""
    from portal import policy

    return Viewer(country=getattr(user, "country_code", None) or None,
                  free_text_from=policy.free_text_countries(user, round_, lambda: consenting_countries(round_)),
                  league=policy.sees_league_tables(user, round_))

