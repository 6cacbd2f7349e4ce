"""Each question of the answering page rendered once per what it shows (issue 24: the page rendered
~160 question macros on every opening). The key holds everything `_question.html`'s question_block
reads: the question (the version's id and content hash), the page's and the questionnaire's language,
the time zone, the round and country of the response, the answer's value, revision and who changed it
when, relevance, the secretariat's notes, the carried-over answer, whether the user may ask, the
choices offered and the calculated value. A question with an error or a conflict is rendered afresh.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from portal.db import get_session
from portal.fragments import fragments, frozen
from portal.layout import user_zone
from questionnaires.question_types import question_type
from questionnaires.services.page_rows import response_page_rows


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


def body_html(round_, response, context: dict, load: Callable[[], dict], *, fresh: bool) -> Markup:
    """The answering form's body (sections, questions, buttons): kept by everything it shows, or rendered
    with the answers that `load()` reads into the context. The key: the response's country first, the
    round (every column), the version (id and content hash), the page's and the questionnaire's language,
    the time zone, whether the user may ask the secretariat, every column of the response, and the rows of
    its answers and of the round's published notes (questionnaires.services.page_rows). A page re-shown
    with posted values, errors, conflicts or problems (`fresh`), any request but a GET and a page with a
    query string are rendered afresh."""

    def render() -> str:
        return render_template("questionnaires/_respond_body.html", **load())

    if fresh or request.method != "GET" or request.args:
        return Markup(render())  # noqa: S704 - rendered by the template, escaped there
    version = round_.version
    key = (response.country_code, "respond-body", round_.id, _row(round_), version.id, version.content_hash,
           context["lang"], str(get_locale()), str(user_zone()), bool(context["can_ask"]), _row(response),
           response_page_rows(get_session(), response))
    return fragments().get(key, render)


def _row(obj) -> tuple:
    return tuple(frozen(getattr(obj, c.key)) for c in obj.__mapper__.column_attrs)
