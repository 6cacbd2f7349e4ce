"""The answering page of a country's response: save draft, autosave, submit, history, files, print."""

from __future__ import annotations

from flask import Response as Response_
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import files, policy
from portal.db import get_session, utcnow
from portal.errors import show_beside_field
from portal.layout import local_time
from questionnaires.forms import ClearanceForm, ReopenForm
from questionnaires.models import Response, Round
from questionnaires.question_types import question_type
from questionnaires.services import (
    InvalidAnswers,
    Locked,
    QuestionnaireError,
    clearance,
    notices,
    prefill,
    versions,
)
from questionnaires.services import form_values as fv
from questionnaires.services import responses as service
from questionnaires.services.answer_files import store_answer_file
from questionnaires.services.display import display_text
from questionnaires.services.validation import (
    effective_answers,
)
from questionnaires.views import bp, load_response, load_round
from questionnaires.views.answer_page import may_edit, render_response, translator, user_language


def _parse(definition, response, form) -> tuple[dict, dict]:
    """The form's values and every error at once: a field that is not even a number must not hide the
    range and constraint errors of the others (issue 19, item 13)."""
    values, errors = fv.parse_form(definition, form)
    if errors:
        parsed = {k: v for k, v in values.items() if k not in errors}
        errors = {**service.check_values(definition, response, parsed, user_language(definition)), **errors}
    return values, errors

@bp.route("/rounds/<int:round_id>/responses/<country>")
@login_required
def respond(round_id: int, country: str):
    round_, response = load_response(round_id, country)
    return render_response(round_, response)


@bp.route("/rounds/<int:round_id>/responses/<country>/print")
@login_required
def print_response(round_id: int, country: str):
    round_, response = load_response(round_id, country)
    return render_response(round_, response, printable=True)


def _store_uploads(session, definition, form, values: dict, errors: dict) -> None:
    folder = current_app.config["UPLOAD_FOLDER"]
    default_mb = float(current_app.config["MAX_UPLOAD_MB"])
    for q in fv.shown_questions(definition, form):
        if not question_type(q).uploaded:
            continue
        upload = request.files.get(f"a.{q.id}.file")
        if upload is None or not upload.filename:
            continue
        try:
            values[q.id] = store_answer_file(session, folder, q, upload.read(), upload.filename,
                                             default_mb=default_mb, user=current_user,
                                             scan_confirmed=request.form.get(f"a.{q.id}.scan_confirmed") == "1")
        except files.UploadError as exc:
            errors[q.id] = str(exc)


@bp.route("/rounds/<int:round_id>/responses/<country>", methods=["POST"])
@login_required
def save(round_id: int, country: str):
    round_, response = load_response(round_id, country)
    policy.ensure(policy.can_edit_response(current_user, response.country_code))
    session = get_session()
    if not may_edit(round_, response):
        flash("This response is locked: it was submitted or the round is closed.", "warning")
        return redirect(url_for(".respond", round_id=round_id, country=response.country_code))
    definition = service.definition_for(response)
    form = request.form.to_dict(flat=False)
    values, errors = _parse(definition, response, form)
    _store_uploads(session, definition, form, values, errors)
    result = None
    confirmed: list[str] = []
    if not errors:
        try:
            result = service.save_answers(session, response, current_user, values,
                                          base_revisions=fv.base_revisions(definition, form), lang=user_language(definition))
            to_confirm = fv.confirmed_ids(definition, form)
            if request.form.get("action") == "confirm_all":
                to_confirm = list(prefill.unconfirmed(response))
            confirmed = prefill.confirm(session, response, current_user, to_confirm)
        except InvalidAnswers as exc:
            errors = exc.errors
    if errors:
        session.rollback()
        flash(ngettext("Nothing was saved: %(num)s answer needs correcting (marked below).",
                       "Nothing was saved: %(num)s answers need correcting (marked below).", len(errors)), "danger")
        return render_response(round_, response, values=values, errors=errors, status=422)
    session.commit()
    if result.conflicts:
        flash("A colleague changed some of the answers you edited. Both values are shown below: save again "
              "to keep yours, or change the answer.", "warning")
        return render_response(round_, response, values={c.question_id: c.yours for c in result.conflicts},
                               conflicts=result.conflicts, status=409)
    if request.form.get("action") == "submit":
        return _submit(round_, response)
    if confirmed:
        flash(ngettext("Draft saved; %(num)s carried-over answer confirmed.",
                       "Draft saved; %(num)s carried-over answers confirmed.", len(confirmed)), "success")
    else:
        flash("Draft saved." if result.changed else "Nothing changed since the last save.", "success")
    return redirect(url_for(".respond", round_id=round_id, country=response.country_code))


def _submit(round_: Round, response: Response):
    session = get_session()
    definition = service.definition_for(response)
    if round_.requires_clearance:
        problems = clearance.send_for_approval(session, response, current_user, user_language(definition))
    else:
        problems = service.submit(session, response, current_user, user_language(definition),
                                  share_free_text=request.form.get("share_free_text") == "1")
    if problems:
        session.rollback()
        return render_response(round_, response, problems=problems,
                               errors={p.question_id: p.message for p in problems}, status=422)
    if round_.requires_clearance:
        notices.sent_for_approval(session, round_, response, current_user, _link(round_, response))
        session.commit()
        flash("Sent to the Head of SPOC for approval. The response is locked until it is submitted or sent back.",
              "success")
    else:
        session.commit()
        flash("Submitted. The response is now locked; the secretariat can reopen it if something must change.",
              "success")
    return redirect(url_for(".respond", round_id=round_.id, country=response.country_code))


def _link(round_: Round, response: Response) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(
        ".respond", round_id=round_.id, country=response.country_code)


@bp.route("/rounds/<int:round_id>/responses/<country>/clearance", methods=["POST"])
@login_required
def clear(round_id: int, country: str):
    """The Head of SPOC submits the response (action=approve) or sends it back with a comment (action=send_back)."""
    round_, response = load_response(round_id, country)
    policy.ensure(policy.can_clear_response(current_user, response.country_code))
    session = get_session()
    form = ClearanceForm()
    action = request.form.get("action")
    if form.validate_on_submit() and action in ("approve", "send_back"):
        try:
            if action == "approve":
                clearance.approve(session, response, current_user,
                                  share_free_text=request.form.get("share_free_text") == "1")
            else:
                clearance.send_back(session, response, current_user, form.comment.data)
        except QuestionnaireError as exc:
            show_beside_field(form, exc)  # the comment's error beside it; one about the response's state flashed
        else:
            notices.cleared(session, round_, response, current_user, action == "approve", _link(round_, response))
            session.commit()
            flash("Submitted to the secretariat." if action == "approve"
                  else "Sent back to the respondents with your comment.", "success")
            return redirect(url_for(".respond", round_id=round_.id, country=response.country_code))
    elif action not in ("approve", "send_back"):
        flash("Choose to submit the response or to send it back.", "danger")
    session.rollback()
    return render_response(round_, response, clearance_form=form, status=422)


@bp.route("/rounds/<int:round_id>/responses/<country>/autosave", methods=["POST"])
@login_required
def autosave(round_id: int, country: str):
    round_, response = load_response(round_id, country)
    policy.ensure(policy.can_edit_response(current_user, response.country_code))
    session = get_session()
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deeply for the parser: not an autosave of ours
        body = None
    fields = body.get("fields") if isinstance(body, dict) else None
    if not isinstance(fields, dict) or not all(isinstance(v, list) for v in fields.values()):
        return jsonify({"message": "Send {\"fields\": {name: [values]}}."}), 400
    definition = service.definition_for(response)
    lang = user_language(definition)
    values, errors = _parse(definition, response, fields)
    try:
        if errors:
            raise InvalidAnswers(errors)
        result = service.save_answers(session, response, current_user, values,
                                      base_revisions=fv.base_revisions(definition, fields), via="autosave", lang=lang)
        confirmed = prefill.confirm(session, response, current_user, fv.confirmed_ids(definition, fields))
    except Locked as exc:
        return jsonify({"message": str(exc)}), 409
    except InvalidAnswers as exc:
        session.rollback()
        return jsonify({"message": gettext("Not saved: correct the marked answers."), "errors": exc.errors}), 422
    session.commit()
    questions = definition.question_map
    stored = service.answers_by_question(response)
    conflicts = {c.question_id: {
        "theirs": display_text(questions[c.question_id], c.theirs, lang),
        "yours": display_text(questions[c.question_id], c.yours, lang),
        "by": _who(c.changed_by), "at": _when(c.changed_at), "revision": c.revision}
        for c in result.conflicts}
    saved_at = local_time(utcnow(), "%H:%M")  # e.g. "14:05 CET"
    return jsonify({
        "saved": result.changed, "confirmed": confirmed, "conflicts": conflicts, "errors": {},
        "version": response.version,
        "revisions": {qid: stored[qid].revision for qid in result.changed},
        "meta": {qid: f"Last changed by {_who(stored[qid].updated_by)}, {_when(stored[qid].updated_at)}"
                 for qid in result.changed},
        "answered": service.progress(response)[0],
        # the time of the save in the user's time zone, and the status line in the page's language
        "saved_at": saved_at,
        "status": (gettext("Saved at %(time)s, with conflicts to look at.", time=saved_at) if conflicts
                   else gettext("Draft saved automatically at %(time)s.", time=saved_at)),
    }), (409 if conflicts else 200)


def _who(user) -> str:
    return (user.name or user.email) if user is not None else "an import"


def _when(moment) -> str:
    from portal.layout import local_time

    return local_time(moment) if moment else ""


@bp.route("/rounds/<int:round_id>/responses/<country>/history/<question_id>")
@login_required
def answer_history(round_id: int, country: str, question_id: str):
    round_, response = load_response(round_id, country)
    definition = service.definition_for(response)
    question = definition.question_map.get(question_id)
    policy.ensure(question is not None)
    lang = user_language(definition)
    return render_template("questionnaires/history.html", round=round_, response=response, question=question,
                           lang=lang, entries=service.history(get_session(), response, question_id),
                           display=display_text, tr=translator(lang))


@bp.route("/rounds/<int:round_id>/responses/<country>/files/<int:file_id>")
@login_required
def download_file(round_id: int, country: str, file_id: int):
    _, response = load_response(round_id, country)
    policy.ensure(policy.can_download_answer_file(current_user, response.country_code))
    session = get_session()
    policy.ensure(file_id in service.file_ids(session, response))
    stored = session.get(files.StoredFile, file_id)
    policy.ensure(stored is not None)
    try:
        data = files.read_file(current_app.config["UPLOAD_FOLDER"], stored)
    except FileNotFoundError:
        abort(404)
    return files.download_response(data, stored.original_name, stored.mimetype)


@bp.route("/rounds/<int:round_id>/responses/<country>/reopen", methods=["POST"])
@login_required
def reopen(round_id: int, country: str):
    round_, response = load_response(round_id, country)
    policy.ensure(policy.can_reopen_response(current_user))
    session = get_session()
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            service.reopen(session, response, current_user, form.reason.data)
        except QuestionnaireError as exc:
            show_beside_field(form, exc)  # the reason's error beside it; one about the response's state flashed
        else:
            notices.reopened(session, round_, response, form.reason.data, _link(round_, response))
            session.commit()
            flash(_("%(country)s's response is reopened; its respondents were told why.",
                    country=response.country_code), "success")
            return redirect(url_for(".round_progress", round_id=round_.id))
    session.rollback()
    return render_response(round_, response, reopen_form=form, status=422)


def _pdf_lang(definition) -> str:
    """?lang= of a PDF: one of the questionnaire's languages (422 otherwise), else the user's."""
    wanted = request.args.get("lang")
    if wanted is None:
        return user_language(definition)
    if wanted not in definition.languages:
        abort(Response_(f"Unknown language {wanted!r} (lang): choose one of {', '.join(definition.languages)}.",
                        status=422, mimetype="text/plain"))
    return wanted


@bp.route("/rounds/<int:round_id>/blank.pdf")
@login_required
def blank_pdf(round_id: int):
    """The round's questionnaire with empty answer boxes, as an A4 PDF in ?lang= (the round's marking on each page)."""
    from questionnaires import pdf

    round_ = load_round(round_id)
    definition = versions.definition_of(round_.version)
    lang = _pdf_lang(definition)
    data = pdf.blank_pdf(round_, definition, lang)
    return files.download_response(data, f"{definition.id}-round{round_.id}-{lang}.pdf", "application/pdf")


@bp.route("/rounds/<int:round_id>/responses/<country>/response.pdf")
@login_required
def response_pdf(round_id: int, country: str):
    """A country's response as an A4 PDF: the relevant questions and their answers, in ?lang=."""
    from questionnaires import pdf

    round_, response = load_response(round_id, country)
    definition = service.definition_for(response)
    lang = _pdf_lang(definition)
    answers = effective_answers(definition, service.answer_values(response))
    data = pdf.response_pdf(round_, response, definition, answers, lang)
    return files.download_response(data, f"{definition.id}-round{round_.id}-{response.country_code}.pdf", "application/pdf")
