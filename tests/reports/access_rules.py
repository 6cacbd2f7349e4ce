"""Declared access of the report routes with object parameters (see tests/hardening/access.py).

A round's report is for network staff and for every user of a country invited to the round (here
BE only, so the same roles of NL get 404); observers read shared rounds only (this one is not). The
report's settings (its league tables) are network staff's.
"""

from __future__ import annotations

import datetime as dt

from tests.hardening.access import COUNTRY_ROLES, Access


def _round(app, make_user, **extra):
    from portal.db import utcnow
    from questionnaires.definitions import load_definition
    from questionnaires.services import responses, rounds, versions
    from tests.reports.conftest import ANSWERS, SMALL

    with app.extensions["spoc_db"].unit_of_work() as session:
        version = versions.publish_definition(session, load_definition(SMALL)).version
        round_ = rounds.open_round(session, version, title="Matrix round", countries=["BE"], actor=None,
                                   deadline=utcnow().date() + dt.timedelta(days=5))
        response = responses.get_response(session, round_, "BE")
        responses.save_answers(session, response, None, ANSWERS["BE"], via="demo")
        responses.submit(session, response, None)
        return {"round_id": round_.id, **extra}


READERS = {"roles": set(COUNTRY_ROLES), "network": {"admin", "secretariat"}}
SETTERS = {"roles": set(), "network": {"admin", "secretariat"}}  # the report's settings: network staff

RULES = {
    "reports.round_report": Access(_round, **READERS),
    "reports.chart": Access(lambda app, mu: _round(app, mu, key="heatmap", fmt="svg"), **READERS),
    "reports.download": Access(lambda app, mu: _round(app, mu, fmt="csv"), **READERS),
    "api.report_round": Access(_round, **READERS),  # the JSON API of the same report
    "reports.league_tables": Access(_round, **SETTERS),
}


def _build(app, make_user):
    """A finished DOCX build of the round for its requester (a BE Head of SPOC, not in the matrix):
    only the user who asked for a build sees it."""
    from reports.jobs import build_job
    from reports.services.builds import request_build

    round_id = _round(app, make_user)["round_id"]
    owner = make_user("head_of_spoc", "BE")
    with app.extensions["spoc_db"].unit_of_work() as session:
        build_id = request_build(session, round_id, "docx", owner).id
    with app.app_context():
        build_job(build_id)
    return {"build_id": build_id}


RULES.update({
    "reports.build": Access(lambda app, mu: _round(app, mu, fmt="docx"), **READERS),
    "reports.build_status": Access(_build),
    "reports.build_file": Access(_build),
})
