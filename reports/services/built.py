"""A round's report as a viewer may see it, built once and kept in a small in-process cache keyed by the
round's data fingerprint."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
from sqlalchemy.orm import Session

from questionnaires.models import Round
from reports.frame import tidy_frame, visible_to
from reports.report import Report, build_report, network_view
from reports.services.answers import earlier_rounds, fingerprint, submitted_answers
from reports.services.viewer import Viewer

_REPORTS: OrderedDict[tuple, tuple[Report, pd.DataFrame]] = OrderedDict()
_LOCK = threading.Lock()
_CAPACITY = 16


def round_report(session: Session, round_: Round, viewer: Viewer, lang: str = "en") -> tuple[Report, pd.DataFrame]:
    """(the report of the round as this viewer may see it, the tidy frame it was built from)."""
    earlier = earlier_rounds(session, round_)
    key = (round_.id, viewer, lang, fingerprint(session, [round_, *earlier]))
    with _LOCK:
        if key in _REPORTS:
            _REPORTS.move_to_end(key)
            return _REPORTS[key]
    current = submitted_answers(session, round_)
    frame = tidy_frame(current.definition, current.answers, round_id=round_.id, lang=lang)
    if viewer.free_text_from is not None:
        frame = visible_to(frame, current.definition, viewer.free_text_from)
    previous = []
    for r in earlier:
        data = submitted_answers(session, r)
        if data.answers:
            previous.append((r.title, data.definition, tidy_frame(data.definition, data.answers, r.id, lang)))
    report = build_report(current.definition, frame, title=current.definition.title.get(lang) or
                          current.definition.title["en"], subtitle=round_.title, previous=previous,
                          current_label=round_.title, highlight=viewer.country, lang=lang,
                          confirmed=current.confirmed if round_.prefilled else None)
    report.marking = round_.marking or ""
    if not viewer.league:
        network_view(report, viewer.country, round_.league_note)
    elif round_.league_tables:
        report.league_note = round_.league_note
    with _LOCK:
        _REPORTS[key] = (report, frame)
        while len(_REPORTS) > _CAPACITY:
            _REPORTS.popitem(last=False)
    return report, frame

