"""The report's own settings for a round, set by the secretariat on the round's report page: its league tables
and ranks (issue 19 item 3)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.errors import show_beside_field
from reports import services
from reports.forms import LeagueTablesForm
from reports.views import bp, load_round
from reports.views.rounds import round_page


@bp.route("/rounds/<int:round_id>/league", methods=["POST"])
@login_required
def league_tables(round_id: int):
    """Turn the league tables and ranks of the round's network view on (with a note) or off."""
    round_ = load_round(round_id)
    policy.ensure(policy.can_set_league_tables(current_user))
    session = get_session()
    form = LeagueTablesForm()
    if form.validate_on_submit():
        try:
            services.set_league_tables(session, round_, bool(form.league_tables.data), form.league_note.data or "",
                                       current_user)
        except services.ReportError as exc:
            show_beside_field(form, exc, fields={None: "league_note"})
        else:
            session.commit()
            flash("League tables and ranks are shown to the countries of the round." if round_.league_tables
                  else "League tables and ranks are off: the countries see the network view.", "success")
            return redirect(url_for(".round_report", round_id=round_id) + "#league-tables")
    session.rollback()
    return round_page(round_, form), 422
