"""Questions to the secretariat: the country's page of threads, and the secretariat's page of a round's threads."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from questionnaires.definitions import tr
from questionnaires.models import MAX_ID, QuestionThread, Round
from questionnaires.services import QuestionnaireError, notices
from questionnaires.services import threads as service
from questionnaires.services.display import language_for
from questionnaires.services.versions import definition_of
from questionnaires.views import bp, load_round


def _country_round(round_id: int, country: str) -> tuple[Round, str]:
    round_ = load_round(round_id)
    country = country.upper()
    policy.ensure(policy.can_ask_secretariat(current_user, country) and country in round_.country_codes)
    return round_, country


def _thread(round_: Round, thread_id: int, country: str | None = None) -> QuestionThread:
    thread = get_session().get(QuestionThread, thread_id) if 0 < thread_id <= MAX_ID else None
    policy.ensure(thread is not None and thread.round_id == round_.id
                  and (country is None or thread.country_code == country))
    return thread


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _page(template: str, round_: Round, *, status: int = 200, **context):
    definition = definition_of(round_.version)
    lang = language_for(definition, getattr(current_user, "language", None))
    return render_template(template, round=round_, definition=definition, lang=lang,
                           tr=lambda text: tr(text, lang), questions=definition.question_map, **context), status


@bp.route("/rounds/<int:round_id>/responses/<country>/questions", methods=["GET", "POST"])
@login_required
def country_threads(round_id: int, country: str):
    """The country's questions to the secretariat about this round, and the form to ask one."""
    round_, country = _country_round(round_id, country)
    session = get_session()
    errors: dict[str, str] = {}
    form = {"question_id": request.values.get("question", ""), "body": ""}
    if request.method == "POST":
        form = {"question_id": request.form.get("question_id", ""), "body": request.form.get("body", "")}
        try:
            thread = service.ask(session, round_, country, form["question_id"], current_user, form["body"])
        except QuestionnaireError as exc:
            errors[exc.field or "body"] = str(exc)
        else:
            notices.question_asked(session, round_, thread,
                                   _base() + url_for(".round_threads", round_id=round_.id) + f"#t-{thread.id}")
            session.commit()
            flash("Your question was sent to the secretariat.", "success")
            return redirect(url_for(".country_threads", round_id=round_.id, country=country) + f"#t-{thread.id}")
        session.rollback()
    return _page("questionnaires/questions.html", round_, country=country, form=form, errors=errors,
                 threads=service.threads_of(session, round_, country), status=422 if errors else 200)


@bp.route("/rounds/<int:round_id>/responses/<country>/questions/<int:thread_id>", methods=["POST"])
@login_required
def country_reply(round_id: int, country: str, thread_id: int):
    round_, country = _country_round(round_id, country)
    thread = _thread(round_, thread_id, country)
    session = get_session()
    try:
        service.reply(session, thread, current_user, request.form.get("body", ""), from_secretariat=False)
    except QuestionnaireError as exc:
        session.rollback()
        return _page("questionnaires/questions.html", round_, country=country, status=422,
                     form={"question_id": "", "body": ""}, errors={},
                     reply_errors={thread.id: str(exc)}, threads=service.threads_of(session, round_, country))
    session.commit()
    flash("Your message was added.", "success")
    return redirect(url_for(".country_threads", round_id=round_.id, country=country) + f"#t-{thread.id}")


@bp.route("/rounds/<int:round_id>/questions")
@login_required
def round_threads(round_id: int):
    """The secretariat's view of every country's questions about the round."""
    policy.ensure(policy.can_answer_threads(current_user))
    round_ = load_round(round_id)
    return _page("questionnaires/round_questions.html", round_, threads=service.threads_of(get_session(), round_),
                 reply_errors={})


@bp.route("/rounds/<int:round_id>/questions/<int:thread_id>", methods=["POST"])
@login_required
def answer_thread(round_id: int, thread_id: int):
    """The secretariat answers (action=reply, body) or publishes a note for every country (action=publish, note)."""
    policy.ensure(policy.can_answer_threads(current_user))
    round_ = load_round(round_id)
    thread = _thread(round_, thread_id)
    session = get_session()
    action = request.form.get("action")
    try:
        if action == "publish":
            service.publish(session, thread, current_user, request.form.get("note", ""))
        else:
            service.reply(session, thread, current_user, request.form.get("body", ""), from_secretariat=True)
    except QuestionnaireError as exc:
        session.rollback()
        return _page("questionnaires/round_questions.html", round_, threads=service.threads_of(session, round_),
                     reply_errors={thread.id: str(exc)}, status=422)
    if action != "publish":
        notices.question_answered(session, round_, thread, request.form.get("body", ""),
                                  _base() + url_for(".country_threads", round_id=round_.id,
                                                    country=thread.country_code) + f"#t-{thread.id}")
    session.commit()
    flash("Published for every country." if action == "publish" and thread.public_note
          else "Note withdrawn." if action == "publish" else "Answer sent to the country.", "success")
    return redirect(url_for(".round_threads", round_id=round_.id) + f"#t-{thread.id}")
