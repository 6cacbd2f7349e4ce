"""Declared access of the cross-check routes (see tests/hardening/access.py): every case role of the
case's SPOC reads the hits; officers and supervisors run the cross-check and decide on hits. The
JSON API (api.case_crosscheck*) answers the same roles the same way."""

from __future__ import annotations

from tests.hardening.access import Access

READERS = {"officer", "supervisor", "head_of_spoc", "dpo"}
HANDLERS = {"officer", "supervisor"}


def _case_with_hit(app, make_user) -> dict:
    from sqlalchemy import select

    from casemgmt.crosscheck.models import CrossCheckHit
    from casemgmt.schemas import validate_intake
    from casemgmt.services.intake import register_incoming_message
    from tests.casemgmt.conftest import make_payload

    officer = make_user("officer", "BE")
    person = [{"kind": "person", "surname": "Ivanov", "given_names": "Ivan", "date_of_birth": "1970-05-06"}]
    with app.extensions["spoc_db"].unit_of_work() as s:
        register_incoming_message(s, "BE", validate_intake(make_payload(subject="one", body="first",
                                                                        entities=person))[0], officer)
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = register_incoming_message(s, "BE", validate_intake(make_payload(subject="two", body="second",
                                                                               entities=person))[0], officer).case
        number = case.registration_number
    with app.extensions["spoc_db"].unit_of_work() as s:
        hit_id = s.scalar(select(CrossCheckHit.id).where(CrossCheckHit.case_id == case.id))
    return {"number": number, "hit_id": hit_id}


def _number(app, make_user) -> dict:
    args = _case_with_hit(app, make_user)
    return {"number": args["number"]}


RULES = {
    "crosscheck.hits": Access(_number, roles=READERS),
    "crosscheck.run": Access(_number, roles=HANDLERS),
    "crosscheck.decide": Access(_case_with_hit, roles=HANDLERS),
    "crosscheck.decide_many": Access(_number, roles=HANDLERS),
    "api.case_crosscheck": Access(lambda app, make_user: {"registration_number": _number(app, make_user)["number"]},
                                  roles=READERS),
    "api.case_crosscheck_decision": Access(
        lambda app, make_user: {"registration_number": (args := _case_with_hit(app, make_user))["number"],
                                "hit_id": args["hit_id"]}, roles=HANDLERS),
}
