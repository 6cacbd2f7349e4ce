"""The case page's column of actions: its ~15 forms rendered once per what they show (issue 24: they
were half of the page's CPU), through portal/fragments.py.

The key holds everything `_case_actions.html` and its forms read: every column of the case row (its
state, evaluation, assignee, deadlines…), the actions its state allows, the user's rights on it
(handle, retention), the page's language and time zone, the folder's rows (its exchanges, their
states; its entities, their flags: casemgmt.services.folder.folder_fingerprint), the choices of the
forms (people, authorities, crime categories, the SPOC's message templates), the cross-check's
undecided strong hits, the provider's restriction and whether the retention review is due. A page re-shown with a refused form's errors, a template picked (?template=), or any request but
a GET (forms read the posted data) is rendered afresh. The case's country leads the key.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from casemgmt import entity_forms, forms
from casemgmt.models import Case
from portal.fragments import fragments
from portal.layout import user_zone


def action_forms(case: Case, bound: dict, settings: dict, person_choices: list, authorities: list,
                 exchange_rows: list) -> dict:
    """The forms of the column: new ones with the case's values and choices, or those re-shown (bound)."""
    from casemgmt.views.exchanges import exchange_forms  # it imports the actions, which import case.py

    f = {
        "evaluate": forms.EvaluateForm(prefix="ev", obj=case) if "evaluate" not in bound else bound["evaluate"],
        "reply": bound.get("reply") or forms.ReplyForm(prefix="re"),
        "refuse": bound.get("refuse") or forms.RefuseForm(prefix="rf"),
        "delay": bound.get("delay") or forms.DelayNoticeForm(prefix="dn"),
        "disseminate": bound.get("disseminate") or forms.DisseminateForm(prefix="ds"),
        "assign": bound.get("assign") or forms.AssignForm(prefix="as", assignee_id=case.assignee_id or 0),
        "task": bound.get("task") or forms.TaskForm(prefix="tk"),
        "note": bound.get("note") or forms.NoteForm(prefix="nt"),
        "link": bound.get("link") or forms.LinkForm(prefix="ln"),
        "merge": bound.get("merge") or forms.MergeForm(prefix="mg"),
        "priority": bound.get("priority") or forms.PriorityForm(prefix="pr"),
        "attachment": bound.get("attachment") or forms.AttachmentForm(prefix="at"),
        "export": bound.get("export") or forms.JustificationForm(prefix="ex"),
        "retention": bound.get("retention") or forms.RetentionForm(prefix="rt"),
        "entity": bound.get("entity") or entity_forms.EntityForm(prefix="en"),
        "flag": bound.get("flag"),
    }
    f.update(exchange_forms(case, bound, exchange_rows))
    f["evaluate"].crime_category.choices = [("", "—")] + [(c, c) for c in settings["crime_categories"]]
    f["assign"].assignee_id.choices = person_choices
    f["task"].assignee_id.choices = person_choices
    f["disseminate"].authority_id.choices = [(a.id, a.name) for a in authorities]
    return f


def _key(case: Case, context: dict, settings: dict) -> tuple:
    """The folder's rows (casemgmt.services.folder.folder_fingerprint) hold the exchanges (their numbers,
    references, states), the entities (flags, labels) and the incoming messages' handling codes (the
    provider's restriction); the side rows (side_fingerprint) the SPOC's users (the choices of assignees),
    authorities, message templates, reference data sets and the case's cross-check runs and hits (the
    summary, with today's date for the expired data sets)."""
    now = context["now"]
    return (case.country_code, "case-actions", case.id, context["case_columns"],
            str(get_locale()), str(user_zone()), context["can_handle"], context["can_retain"],
            tuple(context["actions"]), bool(case.review_due_at and case.review_due_at <= now),
            context["fingerprint"], context["side_rows"], context["today"], tuple(settings["crime_categories"]))


def actions_html(case: Case, context: dict, bound: dict, settings: dict, load: Callable[[], dict]) -> Markup:
    """The column's HTML: kept by its key, or rendered (with the page's context, the data that `load()`
    reads into it: the folder's, the people, authorities, templates and provider's restriction; and the
    forms)."""

    def render() -> str:
        full = load()
        f = action_forms(case, bound, settings, full["person_choices"], full["authorities"], full["exchanges"])
        return render_template("casemgmt/_case_actions.html", **{**full, "f": f})

    if bound or request.method != "GET" or request.args:
        return Markup(render())  # noqa: S704 - rendered by the template, escaped there
    return fragments().get(_key(case, context, settings), render)
