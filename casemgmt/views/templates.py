"""A SPOC's message templates (issue 17, point 2): the supervisors' page, and an officer picking one on
the case page (the message form comes back filled, to edit before it is recorded)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casemgmt import exchange_forms, forms
from casemgmt.services import CaseError
from casemgmt.services import templates as service
from casemgmt.views import bp, require_cases
from portal import policy
from portal.db import get_session
from portal.errors import rule_message
from portal.i18n import translate


def _form(**kw) -> forms.MessageTemplateForm:
    form = forms.MessageTemplateForm(**kw)
    form.kind.choices = [("", "—"), *((k, label) for k, (label, _) in service.KINDS.items())]
    return form


def _page(form, status: int = 200, editing=None):
    return render_template("casemgmt/message_templates.html", form=form, editing=editing,
                           templates=service.templates_of(get_session(), current_user.country_code),
                           kinds={k: label for k, (label, _) in service.KINDS.items()},
                           placeholders=service.PLACEHOLDERS), status


@bp.route("/templates", methods=["GET", "POST"])
@login_required
def message_templates():
    require_cases()
    policy.ensure(policy.can_manage_case_settings(current_user))
    s = get_session()
    editing = None
    if request.args.get("edit", "").isdigit():
        editing = service.template_of(s, current_user.country_code, int(request.args["edit"]))
        if editing is None:
            abort(404)
    form = _form(obj=editing) if editing is not None and request.method == "GET" else _form()
    if form.validate_on_submit():
        try:
            service.save_template(s, current_user, current_user.country_code, kind=form.kind.data,
                                  language=form.language.data or "", title=form.title.data or "",
                                  text=form.text.data or "", ground=form.ground.data or None,
                                  template_id=editing.id if editing is not None else None)
        except CaseError as exc:
            s.rollback()
            getattr(form, exc.field if hasattr(form, exc.field or "") else "text").errors.append(rule_message(exc))
        else:
            s.commit()
            flash("Template saved.", "success")
            return redirect(url_for("casemgmt.message_templates"))
    return _page(form, 422 if form.errors else 200, editing)


@bp.route("/templates/<int:template_id>/delete", methods=["POST"])
@login_required
def message_template_delete(template_id: int):
    require_cases()
    policy.ensure(policy.can_manage_case_settings(current_user))
    s = get_session()
    if service.template_of(s, current_user.country_code, template_id) is None:
        abort(404)
    service.delete_template(s, current_user, current_user.country_code, template_id)
    s.commit()
    flash("Template deleted.", "success")
    return redirect(url_for("casemgmt.message_templates"))


def template_choices(country_code: str) -> list[tuple[int, str]]:
    """The SPOC's templates for the case page's picker: 'Refusal (b), fr: Title'."""
    return [(t.id, f"{translate(service.KINDS[t.kind][0])}{f' ({t.ground})' if t.ground else ''}, {t.language}: {t.title}")
            for t in service.templates_of(get_session(), country_code)]


def filled_message_form(case, template_id: int, exchange_number: int) -> exchange_forms.ExchangeMessageForm:
    """The message form of the case page with a template filled for one of its open exchanges (404 for
    another SPOC's template or an exchange that is not this case's)."""
    from zoneinfo import ZoneInfo

    from casemgmt.services.exchanges import exchange_by_number
    from portal.db import utcnow

    s = get_session()
    template = service.template_of(s, case.country_code, template_id)
    exchange = exchange_by_number(s, case, exchange_number)
    if template is None or exchange is None:
        abort(404)
    try:
        zone = ZoneInfo(current_user.timezone or "Europe/Brussels")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    type_, text = service.fill(s, case, exchange, current_user, template, zone=zone, now=utcnow())
    form = exchange_forms.ExchangeMessageForm(prefix="xm", formdata=None, exchange=exchange.number, type=type_, body=text,
                                     refusal_grounds=[template.ground] if template.ground else [])
    return form
