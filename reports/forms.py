"""The reports' forms: the report's own settings for a round (its league tables and ranks)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from portal.forms import UnclassifiedForm


class LeagueTablesForm(UnclassifiedForm):
    """League tables and ranks in the round's network view: on with a note (why, and for whom), or off.
    The note's rule (required to turn them on) is the service's: reports.services.set_league_tables."""

    league_tables = BooleanField(_l("Show league tables and ranks to the countries"),
                                 false_values=(False, "false", "", "0", "off"))
    league_note = TextAreaField(_l("Note (why, and for whom; printed above the report)"),
                                validators=[Length(max=1000)], render_kw={"maxlength": 1000})  # as stored
