"""Declared access of the questionnaire routes with object parameters (see tests/hardening/access.py).

The BE-owned object is Belgium's response in a round open for BE: BE respondents edit it, BE's Head
of SPOC reads it, network staff read every response and run the rounds; the same roles of NL and
everyone else get 404.
"""

from __future__ import annotations

import datetime as dt

from tests.hardening.access import COUNTRY_ROLES, Access

STAFF = {"admin", "secretariat"}
HEADS = {"roles": {"head_of_spoc"}, "network": set()}
ASKERS = {"roles": {"respondent", "head_of_spoc"}, "network": set()}
READERS = {"roles": {"respondent", "head_of_spoc"}, "network": STAFF}
EDITORS = {"roles": {"respondent"}, "network": set()}
MANAGERS = {"roles": set(), "network": STAFF}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _response(app, make_user, *, submitted: bool = False, with_file: bool = False, for_approval: bool = False,
              **extra) -> dict:
    from portal import files
    from portal.db import utcnow
    from questionnaires.definitions import load_definition
    from questionnaires.services import responses, rounds, versions
    from tests.questionnaires.conftest import COMPLETE, MINI

    with app.extensions["spoc_db"].unit_of_work() as session:
        version = versions.publish_definition(session, load_definition(MINI)).version
        round_ = rounds.open_round(session, version, title="Matrix round", countries=["BE"], actor=None,
                                   deadline=utcnow().date() + dt.timedelta(days=5), requires_clearance=for_approval)
        response = responses.get_response(session, round_, "BE")
        values = dict(COMPLETE)
        if with_file:
            stored = files.store_upload(session, app.config["UPLOAD_FOLDER"], PDF, "chart.pdf", max_bytes=10**6)
            values["chart"] = {"file_id": stored.id, "name": "chart.pdf"}
            extra["file_id"] = stored.id
        responses.save_answers(session, response, None, values, via="demo")
        if submitted:
            assert responses.submit(session, response, None) == []
        if for_approval:
            from questionnaires.services import clearance

            assert clearance.send_for_approval(session, response, None) == []
        return {"round_id": round_.id, "country": "BE", **extra}


def _file_answer(app, make_user, **extra) -> dict:
    args = _response(app, make_user, **extra)
    args.pop("file_id", None)
    return {**args, "question_id": "chart"}


def _round(app, make_user, **extra) -> dict:
    args = _response(app, make_user, **extra)
    args.pop("country")
    return args


def _thread(app, make_user, *, country: bool = True) -> dict:
    from questionnaires.models import Round
    from questionnaires.services import threads

    args = _response(app, make_user)
    with app.extensions["spoc_db"].unit_of_work() as session:
        thread = threads.ask(session, session.get(Round, args["round_id"]), "BE", "staff", None, "A question")
        args["thread_id"] = thread.id
    if not country:
        args.pop("country")
    return args


def _version(app, make_user) -> dict:
    from questionnaires.definitions import load_definition
    from questionnaires.services import versions
    from tests.questionnaires.conftest import MINI

    with app.extensions["spoc_db"].unit_of_work() as session:
        return {"version_id": versions.publish_definition(session, load_definition(MINI)).version.id}


RULES = {
    "questionnaires.respond": Access(_response, **READERS),
    "questionnaires.save": Access(_response, **EDITORS),
    "questionnaires.autosave": Access(_response, **EDITORS),
    "questionnaires.print_response": Access(_response, **READERS),
    "questionnaires.answer_history": Access(lambda app, mu: _response(app, mu, question_id="staff"), **READERS),
    "questionnaires.download_file": Access(lambda app, mu: _response(app, mu, with_file=True), **READERS),
    "questionnaires.reopen": Access(lambda app, mu: _response(app, mu, submitted=True), **MANAGERS),
    "questionnaires.clear": Access(lambda app, mu: _response(app, mu, for_approval=True), **HEADS),
    "questionnaires.round_progress": Access(_round, **MANAGERS),
    # the blank questionnaire is the round's, not a country's: every user of an invited country
    "questionnaires.blank_pdf": Access(lambda app, mu: _round(app, mu, lang="en"), roles=set(COUNTRY_ROLES),
                                       network=STAFF),
    "questionnaires.response_pdf": Access(_response, **READERS),
    "questionnaires.country_threads": Access(_response, **ASKERS),
    "questionnaires.country_reply": Access(_thread, **ASKERS),
    "questionnaires.round_threads": Access(_round, **MANAGERS),
    "questionnaires.answer_thread": Access(lambda app, mu: _thread(app, mu, country=False), **MANAGERS),
    "questionnaires.close_round": Access(_round, **MANAGERS),
    "questionnaires.reopen_round": Access(_round, **MANAGERS),
    "questionnaires.share_round": Access(_round, **MANAGERS),
    "questionnaires.export_round": Access(lambda app, mu: _round(app, mu, fmt="xlsx"), **MANAGERS),
    "questionnaires.export_version": Access(_version, **MANAGERS),
    "api.get_round_response": Access(_response, **READERS),
    "api.patch_round_response": Access(_response, **EDITORS),
    "api.get_answer_file": Access(lambda app, mu: _file_answer(app, mu, with_file=True), **READERS),
    "api.put_answer_file": Access(_file_answer, **EDITORS),
    "api.delete_answer_file": Access(lambda app, mu: _file_answer(app, mu, with_file=True), **EDITORS),
}
