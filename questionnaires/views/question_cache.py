"""Each question of the answering page rendered once per what it shows (issue 24: the page rendered
~160 question macros on every opening). The key holds everything `_question.html`'s question_block
reads: the question (the version's id and content hash), the page's and the questionnaire's language,
the time zone, the round and country of the response, the answer's value, revision and who changed it
when, relevance, the secretariat's notes, the carried-over answer, whether the user may ask, the
choices offered and the calculated value. A question with an error or a conflict is rendered afresh.
"""

from __future__ import annotations

import json

from flask_babel import get_locale
from markupsafe import Markup

from portal.fragments import fragments
from portal.layout import user_zone
from questionnaires.question_types import question_type


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)  # 1, 1.0 and "1" are three keys


class QuestionBlocks:
    """question_blocks(question_block, q) in the template: the question's HTML, kept or rendered."""

    def __init__(self, *, version, response, lang: str, values: dict, errors: dict, conflicts: dict,
                 stored: dict, revisions: dict, relevant: dict, notes: dict, carried: dict, can_ask: bool,
                 offered: dict, calculated: dict):
        self.page = (response.country_code, "question", version.id, version.content_hash, response.round_id,
                     lang, str(get_locale()), str(user_zone()), bool(can_ask))
        self.values, self.errors, self.conflicts, self.stored = values, errors, conflicts, stored
        self.revisions, self.relevant, self.notes, self.carried = revisions, relevant, notes, carried
        self.offered, self.calculated = offered, calculated

    def key(self, q) -> tuple:
        ans = self.stored.get(q.id)
        meta = None
        if ans is not None and ans.value is not None:
            who = ans.updated_by
            meta = (who.name, who.email) if who else None, ans.updated_at.isoformat() if ans.updated_at else None
        return (*self.page, q.id, _json(self.values.get(q.id)), self.revisions.get(q.id, 0),
                bool(self.relevant[q.id]), tuple(self.notes.get(q.id, ())), self.carried.get(q.id), meta,
                tuple(sorted(map(str, self.offered.get(q.id, ())))) if q.choice_filter else None,
                _json(self.calculated.get(q.id)) if question_type(q).computed else None)

    def __call__(self, macro, q) -> Markup:
        if self.errors.get(q.id) or self.conflicts.get(q.id):
            return macro(q)
        return fragments().get(self.key(q), lambda: macro(q))
