"""The participants' feedback form, reached through the one-time link mailed after the activity (no login;
the CSRF protection of every POST applies)."""

from __future__ import annotations

from flask import abort, render_template, request

from portal.db import get_session
from portal.training.services import TrainingError
from portal.training.services import feedback as svc
from portal.training.views import bp, commit


@bp.route("/feedback/<token>", methods=["GET", "POST"])
def feedback_form(token: str):
    session = get_session()
    nomination = svc.nomination_for_token(session, token)
    if nomination is None:
        abort(404)
    _, definition = svc.feedback_definition(session)
    values: dict = {}
    errors: dict = {}
    if request.method == "POST":
        from questionnaires.services.form_values import parse_form

        form = {key: request.form.getlist(key) for key in request.form}
        form["shown"] = [q.id for q in definition.questions]
        values, parse_errors = parse_form(definition, form)
        try:
            svc.submit_feedback(session, nomination, values, parse_errors)
        except svc.InvalidFeedback as exc:
            session.rollback()
            errors = exc.errors
        except TrainingError:
            session.rollback()
            abort(404)
        else:
            commit()
            return render_template("training/feedback_thanks.html", activity=nomination.activity)
    return render_template("training/feedback_form.html", definition=definition, activity=nomination.activity,
                           nomination=nomination, values=values, errors=errors, token=token), 422 if errors else 200
