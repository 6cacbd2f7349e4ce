"""The answering page's rendering: the form when the user may edit, the read-only answers otherwise,
with the answers, relevance, offered choices and calculations it shows (questionnaires.views.answering)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from portal import policy
from portal.db import get_session
from questionnaires.definitions import RATING_LABELS
from questionnaires.forms import ClearanceForm, ReopenForm
from questionnaires.models import Response, ResponseStatus, Round
from questionnaires.question_types import question_type
from questionnaires.services import prefill, threads
from questionnaires.services import responses as service
from questionnaires.services.display import display_text, language_for, number_text, row_label
from questionnaires.services.validation import (
    allowed_choices,
    choice_scope,
    effective_answers,
    is_empty,
    relevance,
)
from questionnaires.views.question_cache import QuestionBlocks, body_html


def may_edit(round_: Round, response: Response) -> bool:
    return (policy.can_edit_response(current_user, response.country_code) and round_.is_open
            and response.status_enum.editable)


def user_language(definition) -> str:
    return language_for(definition, getattr(current_user, "language", None))


def render_response(round_: Round, response: Response, *, values=None, errors=None, conflicts=None,
                    problems=None, reopen_form=None, clearance_form=None, printable=False, status: int = 200):
    """The answering form when the user may edit, the read-only answers otherwise. The form's body is
    kept per what it shows (questionnaires/views/question_cache.py): the answers are read and their
    relevance worked out only when it is rendered."""
    definition = service.definition_for(response)
    lang = user_language(definition)
    editable = may_edit(round_, response) and not printable
    if reopen_form is None and policy.can_reopen_response(current_user):
        reopen_form = ReopenForm()
    can_ask = policy.can_ask_secretariat(current_user, response.country_code)
    context = dict(
        round=round_, response=response, definition=definition, lang=lang, errors=errors or {},
        conflicts={c.question_id: c for c in conflicts or []}, problems=problems or [], printable=printable,
        reopen_form=reopen_form,
        can_reopen=policy.can_reopen_response(current_user) and response.status == ResponseStatus.SUBMITTED,
        can_clear=(policy.can_clear_response(current_user, response.country_code) and round_.is_open
                   and response.status == ResponseStatus.FOR_APPROVAL),
        clearance_form=clearance_form or ClearanceForm(), events=service.events(response), can_ask=can_ask,
        display=display_text, choice_scope=choice_scope, number_text=number_text, row_label=row_label, tr=translator(lang),
        rating_labels=RATING_LABELS, question_links=_QuestionLinks(round_, response), languages=definition.languages)

    def load() -> dict:
        if "stored" not in context:
            context.update(_answers_context(round_, response, definition, lang, values, conflicts, context,
                                            editable))
        return context

    if not editable:
        return render_template("questionnaires/answers.html", **load()), status
    context["body_html"] = body_html(round_, response, context, load, fresh=bool(values or errors or conflicts
                                                                                  or problems))
    return render_template("questionnaires/respond.html", **context), status


def _answers_context(round_: Round, response: Response, definition, lang: str, values, conflicts, context: dict,
                     editable: bool) -> dict:
    """The answers shown (stored, and those just posted), what is relevant, offered and calculated."""
    stored = service.answers_by_question(response)
    shown = {qid: a.value for qid, a in stored.items()}
    shown.update(values or {})
    answered_now = {k: v for k, v in shown.items() if not is_empty(v)}
    sections_relevant, relevant = relevance(definition, answered_now)
    effective = effective_answers(definition, answered_now)
    offered = {q.id: {c.value for c in allowed_choices(q, effective)} for q in definition.questions if q.choice_filter}
    calculated = {q.id: effective.get(q.id) for q in definition.questions if question_type(q).computed}
    shown.update(calculated)  # the read-only page shows them as answers
    revisions = {qid: a.revision for qid, a in stored.items()}
    for c in conflicts or []:
        revisions[c.question_id] = c.revision
    answered, total = service.progress(response)
    notes, carried = threads.notes(get_session(), round_), prefill.unconfirmed(response)
    blocks = QuestionBlocks(version=response.round.version, response=response, lang=lang, values=shown,
                            errors=context["errors"], conflicts=context["conflicts"], stored=stored, revisions=revisions,
                            relevant=relevant, notes=notes, carried=carried, can_ask=context["can_ask"], offered=offered,
                            calculated=calculated) if editable else None
    return dict(stored=stored, values=shown, question_blocks=blocks, relevant=relevant, offered=offered,
                calculated=calculated, sections_relevant=sections_relevant, revisions=revisions, answered=answered,
                total=total, carried=carried, notes=notes)


class _QuestionLinks:
    """Each question's links (its answer's history, a question to the secretariat) from two addresses
    built once per page: url_for for each of 184 questions was a sixth of the page's time (issue 24).
    The question's id quoted as Werkzeug quotes a path segment and a query value."""

    def __init__(self, round_: Round, response: Response):
        marker = "__question__"
        self._history = url_for("questionnaires.answer_history", round_id=round_.id, country=response.country_code,
                                question_id=marker).split(marker)
        self._ask = url_for("questionnaires.country_threads", round_id=round_.id, country=response.country_code,
                            question=marker).split(marker)

    def history(self, question_id: str) -> str:
        from urllib.parse import quote

        return quote(str(question_id), safe="!$&'()*+,/:;=@").join(self._history)

    def ask(self, question_id: str) -> str:
        from urllib.parse import quote_plus

        return quote_plus(str(question_id), safe="!$'()*,/:;?@").join(self._ask) + "#ask"


def translator(lang: str):
    from questionnaires.definitions import tr

    return lambda text: tr(text, lang)
