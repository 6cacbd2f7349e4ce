"""The persons and objects of a case after intake: add one, edit a person, flag data inaccurate.
Thin: load and authorise, one service call (casemgmt.services.entities), one commit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from casemgmt import entity_forms
from casemgmt.models import Case
from casemgmt.services import CaseError
from casemgmt.services import entities as service
from casemgmt.views import bp, load_case
from casemgmt.views.case import _log_consultation, render_refused
from portal.db import get_session
from portal.errors import rule_message


def _add_error(form, name: str, message: str) -> None:
    field = getattr(form, name, None)
    if field is not None and hasattr(field, "errors") and name != "csrf_token":
        field.errors = [*list(field.errors or []), message]
    else:
        flash(message, "danger")


def _change(case: Case, form, work, render, done: str, field_for=lambda key: key):
    """Validate the form, do the work, commit and go back to the case's persons and objects; or
    show the form again with each error beside its field, nothing changed."""
    s = get_session()
    try:
        service.require_changeable(case)
    except service.CaseClosedError as exc:
        # a stale tab of a case closed since: its page (which asks why a closed case is opened, and logs it)
        flash(rule_message(exc), "danger")
        return redirect(url_for("casemgmt.case_page", number=case.registration_number))
    if form.validate_on_submit():
        try:
            work(s)
        except service.EntityInputError as exc:
            s.rollback()
            for key, message in exc.errors.items():
                _add_error(form, field_for(key), message)
        except CaseError as exc:
            s.rollback()
            _add_error(form, field_for(exc.field or ""), rule_message(exc))
        else:
            s.commit()
            flash(done, "success")
            return redirect(url_for("casemgmt.case_page", number=case.registration_number, _anchor="ent-h"))
    return render(s.get(Case, case.id))


@bp.route("/<number>/entities", methods=["POST"])
@login_required
def add_entity(number: str):
    case = load_case(number, handle=True)
    form = entity_forms.EntityForm(prefix="en")
    return _change(case, form, lambda s: service.add_entity(s, case, current_user, form.entity_data(),
                                                             form.justification.data),
                   lambda c: render_refused(c, entity=form), "Added to the case; the cross-check ran again.",
                   form.field_for)


def _person(case: Case, person_id: int):
    person = service.entity_of(get_session(), case, "person", person_id)
    if person is None:
        abort(404)
    return person


def _person_page(case: Case, person, form, status: int = 200):
    return render_template("casemgmt/person_edit.html", case=case, person=person, form=form,
                           closed_reason=_closed_reason(case)), status


def _closed_reason(case: Case) -> str:
    try:
        service.require_changeable(case)
    except CaseError as exc:
        return rule_message(exc)
    return ""


@bp.route("/<number>/persons/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(number: str, person_id: int):
    case = load_case(number, handle=True)
    person = _person(case, person_id)
    form = entity_forms.PersonForm(prefix="pe", data=service.person_values(person))
    if not form.is_submitted():
        if _closed_reason(case):  # nothing of the person is shown: there is nothing to edit
            return _person_page(case, None, None)
        _log_consultation(case, f"person #{person.id} opened for editing")
        return _person_page(case, person, form)

    def work(s):
        changes = {name: getattr(form, name).data for name in service.PERSON_FIELDS}
        changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
        service.edit_person(s, case, current_user, person.id, changes, form.justification.data)

    return _change(case, form, work, lambda c: _person_page(c, _person(c, person_id), form, 422),
                   "The person was changed; the cross-check ran again.")


@bp.route("/<number>/entities/<kind>/<int:entity_id>/flag", methods=["POST"])
@login_required
def flag_entity(number: str, kind: str, entity_id: int):
    case = load_case(number, handle=True)
    if service.entity_of(get_session(), case, kind, entity_id) is None:
        abort(404)
    form = entity_forms.FlagForm(prefix=f"fl-{kind}-{entity_id}")
    inaccurate = form.inaccurate.data != "0"
    return _change(case, form, lambda s: service.flag_entity(s, case, current_user, kind, entity_id, inaccurate,
                                                              form.reason.data),
                   lambda c: render_refused(c, flag=form, flag_target=(kind, entity_id)),
                   "Flagged: these data are no longer passed on." if inaccurate else "The flag was removed.")
