"""The report's own settings for a round: its league tables and ranks (issue 19 item 3). They are stored on
the round (`Round.league_tables`, `Round.league_note`); the rule is the report's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import audit
from portal.errors import RuleError
from questionnaires.models import Round


class ReportError(RuleError):
    """A report setting refused; `field` names the form field it is about."""


def set_league_tables(session: Session, round_: Round, on: bool, note: str, actor) -> None:
    """League tables and ranks in the round's network view: off by default; turning them on needs a note
    (why, and for whom), shown above the report."""
    from portal.markings import classified_refusal

    note = " ".join((note or "").split())[:1000]
    if on and not note:
        raise ReportError("Say why the league tables are shown (the note is printed above the report).",
                          "league_note")
    if refused := classified_refusal(note):
        raise ReportError(refused[0], "league_note", **refused[1])
    round_.league_tables, round_.league_note = on, note if on else ""
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_round", object_id=str(round_.id),
                 details={"event": "league_tables_on" if on else "league_tables_off", "note": round_.league_note})
