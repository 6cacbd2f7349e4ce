"""Declared access of the case-management routes with object parameters (see tests/hardening/access.py).

The BE-owned object is an open case with a person, an attachment and a task. Every case role of BE reads it;
only officers and supervisors change it; retention decisions are the supervisor's and the Head of
SPOC's. The same roles of NL, the network staff and every other role get 404.
"""

from __future__ import annotations

from tests.hardening.access import Access

READERS = {"officer", "supervisor", "head_of_spoc", "dpo"}
HANDLERS = {"officer", "supervisor"}


def _case(app, make_user) -> dict:
    from sqlalchemy import select

    from casemgmt.models import Case, Person
    from casemgmt.schemas import validate_intake
    from casemgmt.services import workflow
    from casemgmt.services.intake import Uploads, attach_file, register_incoming_message
    from tests.casemgmt.conftest import make_payload

    officer = make_user("officer", "BE")
    uploads = Uploads(app.config["UPLOAD_FOLDER"], 10 * 1024 * 1024)
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = register_incoming_message(s, "BE", validate_intake(make_payload())[0], officer).case
        attachment = attach_file(s, case, b"%PDF-1.4 matrix", "matrix.pdf", officer, uploads, scan_confirmed=True)
        task = workflow.add_task(s, s.get(Case, case.id), officer, "Check the register")
        person = s.scalar(select(Person).where(Person.case_id == case.id))
        return {"number": case.registration_number, "attachment_id": attachment.id, "task_id": task.id,
                "person_id": person.id}


def _args(*names, **fixed):
    def make(app, make_user):
        ids = _case(app, make_user)
        return {**{n: ids[n] for n in names}, **fixed}

    return make


def _flag_args(app, make_user) -> dict:
    ids = _case(app, make_user)
    return {"number": ids["number"], "kind": "person", "entity_id": ids["person_id"]}


def _template(app, make_user) -> dict:
    from casemgmt.services.templates import save_template

    supervisor = make_user("supervisor", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        return {"template_id": save_template(s, supervisor, "BE", kind="chaser", language="en", title="Chaser",
                                             text="Please answer {exchange}.").id}


def _saved_search(app, make_user) -> dict:
    """An officer's own saved search: nobody else, not even a colleague of the same SPOC, reaches it."""
    from casemgmt.services import search
    from casemgmt.services.search_criteria import read_criteria

    officer = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        return {"search_id": search.save_search(s, officer, "Mine", read_criteria({"q": "fraud"})[0]).id}


def _approval(app, make_user) -> dict:
    from casemgmt.models import Case
    from casemgmt.services import approvals

    number = _case(app, make_user)["number"]
    officer = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = s.query(Case).filter_by(registration_number=number).one()
        payload = {"exchange": 1, "type_": "acknowledgement", "body": "Received."}
        return {"approval_id": approvals.submit(s, case, officer, kind="refusal", action="exchange_message",
                                                payload=payload, summary="Received.", exchange_number=1).id}


def _shift(app, make_user) -> dict:
    import datetime as dt

    from casemgmt.services.duty import add_shift
    from portal.db import utcnow

    supervisor, officer = make_user("supervisor", "BE"), make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        return {"shift_id": add_shift(s, supervisor, "BE", officer, "duty_officer", utcnow(),
                                      utcnow() + dt.timedelta(hours=8)).id}


CASE = _args("number")
HANDLED = ["evaluate", "cross_check", "move", "reply", "refuse", "delay_notice", "authorisation", "disseminate",
           "assign", "add_task", "add_note", "link", "merge", "priority", "upload", "export", "add_entity",
           "exchange_message", "exchange_close", "exchange_open", "request_send"]

RULES = {
    "casemgmt.case_page": Access(CASE, roles=READERS),
    "casemgmt.consult": Access(CASE, roles=READERS),
    "casemgmt.attachment": Access(_args("number", "attachment_id"), roles=READERS),
    "casemgmt.task_done": Access(_args("number", "task_id"), roles=HANDLERS),
    "casemgmt.retention_review": Access(CASE, roles={"supervisor", "head_of_spoc"}),
    "casemgmt.edit_person": Access(_args("number", "person_id"), roles=HANDLERS),
    "casemgmt.flag_entity": Access(_flag_args, roles=HANDLERS),
    "api.case_detail": Access(lambda app, make_user: {"registration_number": _case(app, make_user)["number"]},
                              roles=READERS),
    "api.request_send": Access(lambda app, make_user: {"registration_number": _case(app, make_user)["number"]},
                               roles=HANDLERS),
    "api.exchange_open": Access(lambda app, make_user: {"registration_number": _case(app, make_user)["number"]},
                                roles=HANDLERS),
    "api.case_entity_add": Access(lambda app, make_user: {"registration_number": _case(app, make_user)["number"]},
                                  roles=HANDLERS),
    "api.case_entity_patch": Access(lambda app, make_user: {"registration_number": (ids := _case(app, make_user))[
        "number"], "kind": "person", "entity_id": ids["person_id"]}, roles=HANDLERS),
    **{f"casemgmt.{name}": Access(CASE, roles=HANDLERS) for name in HANDLED},
    "casemgmt.duty_shift_remove": Access(_shift, roles={"supervisor", "head_of_spoc"}),
    "casemgmt.approval_decide": Access(_approval, roles={"supervisor", "head_of_spoc"}),
    "casemgmt.message_template_delete": Access(_template, roles={"supervisor", "head_of_spoc"}),
    "casemgmt.saved_search_run": Access(_saved_search, roles=set()),
    "casemgmt.saved_search_delete": Access(_saved_search, roles=set()),
    "casemgmt.suggestion": Access(lambda app, make_user: {"number": _case(app, make_user)["number"], "n": 1},
                                  roles=HANDLERS),
    **{f"api.exchange_{name}": Access(lambda app, make_user: {
        "registration_number": _case(app, make_user)["number"], "n": "1"}, roles=HANDLERS)
       for name in ("message", "close", "suggestion")},
}
