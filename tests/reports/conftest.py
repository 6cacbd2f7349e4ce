"""A small hand-made questionnaire and three countries' answers, with every figure of the report
worked out by hand in the tests; and a fixture that stores them as submitted rounds."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaires.definitions import load_definition


def _choices(*values):
    return [{"value": v, "label": {"en": v.upper() if v in ("enu", "ncb") else v.capitalize()}} for v in values]


SMALL = {
    "id": "small", "version": 1, "title": {"en": "Small SPOC survey"},
    "sections": [
        {"id": "basics", "title": {"en": "Basics"}, "questions": [
            {"id": "h247", "type": "yes_no", "label": {"en": "Open 24/7?"}, "tags": ["capability:24_7"]},
            {"id": "host", "type": "single_choice", "label": {"en": "Host"},
             "choices": _choices("police", "ministry", "other")},
            {"id": "units", "type": "multiple_choice", "label": {"en": "Units"}, "choices": _choices("enu", "sirene", "ncb")},
            {"id": "staff", "type": "number", "label": {"en": "Staff"}, "unit": {"en": "persons"}},
            {"id": "name", "type": "text", "label": {"en": "Name of the SPOC"}},
            {"id": "needs", "type": "matrix", "label": {"en": "Training needs"},
             "rows": _choices("new", "senior"), "choices": _choices("high", "low")},
            {"id": "formats", "type": "ranking", "label": {"en": "Formats"},
             "choices": _choices("course", "webinar", "visit")},
        ]},
        {"id": "work", "title": {"en": "Work"}, "questions": [
            {"id": "intake", "type": "process", "label": {"en": "Intake"},
             "steps": [{"value": "receipt", "label": {"en": "Receipt"}}, {"value": "reply", "label": {"en": "Reply"}}]},
            {"id": "swot_s", "type": "long_text", "label": {"en": "Intake: strengths"}, "tags": ["swot:intake:strength"]},
            {"id": "swot_w", "type": "long_text", "label": {"en": "Intake: weaknesses"}, "tags": ["swot:intake:weakness"]},
        ]},
    ],
    "capabilities": [
        {"key": "24_7", "label": {"en": "24/7"}, "question": "h247", "values": ["yes"]},
        {"key": "ministry", "label": {"en": "Hosted by a ministry"}, "question": "host", "values": ["ministry"]},
        {"key": "ncb", "label": {"en": "NCB in the SPOC"}, "question": "units", "values": ["ncb"]},
    ],
    "maturity": {"description": {"en": "Weighted mean of the item scores, 0-100; no answer scores 0.",
                                 "fr": "Moyenne pondérée des notes des éléments, 0-100 ; sans réponse : 0.",
                                 "de": "Gewichteter Mittelwert der Punktwerte, 0-100; keine Antwort ergibt 0."},
                 "items": [{"question": "h247", "weight": 2, "scores": {"yes": 1, "no": 0}},
                           {"question": "host", "weight": 1, "scores": {"police": 1, "ministry": 0.5}}]},
}


def step(name, rating, actor="Duty officer"):
    return {"step": name, "actor": actor, "task": "Handle it", "prerequisite": "", "depends_on": "", "rating": rating}


ANSWERS = {
    "BE": {"h247": "yes", "host": "police", "units": ["enu", "ncb"], "staff": 40, "name": "=SUM(A1:A9)",
           "needs": {"new": "high", "senior": "low"}, "formats": ["webinar", "course", "visit"],
           "intake": [step("receipt", "mandatory"), step("reply", "required"), step("Quality check", "optional")],
           "swot_s": "Fast replies", "swot_w": "Few staff"},
    "NL": {"h247": "no", "host": "ministry", "units": ["enu"], "staff": 20, "name": "NL SPOC",
           "needs": {"new": "high"}, "formats": ["course", "webinar"],
           "intake": [step("Receipt", "mandatory"), step("Reply", "mandatory")], "swot_s": "Co-location"},
    "DE": {"h247": "yes", "host": "other", "staff": 90, "intake": [step("receipt", "optional")]},
}
# The same countries a round earlier: BE was not 24/7 yet, DE did not answer.
EARLIER = {"BE": {**ANSWERS["BE"], "h247": "no"}, "NL": dict(ANSWERS["NL"])}


@pytest.fixture
def small():
    return load_definition(SMALL)


@pytest.fixture
def submitted_round(app):
    """submitted_round(answers=ANSWERS, shared=False, countries=None, title=..., days_ago=0, consent=(), league=False)
    -> round id, with every country of `answers` submitted (the round invites `countries`, default BE NL DE FR);
    `shared`: released to observers; `consent`: the countries agreeing to share their own words; `league`: league
    tables on (with a note)."""
    database = app.extensions["spoc_db"]

    def make(answers=None, *, shared=False, countries=None, title="Small survey 2026", days_ago=0, consent=(),
             league=False):
        from portal.db import utcnow
        from questionnaires.services import responses, rounds, versions
        from reports.services import set_league_tables

        answers = ANSWERS if answers is None else answers
        with database.unit_of_work() as session:
            version = versions.publish_definition(session, load_definition(SMALL)).version
            round_ = rounds.open_round(session, version, title=title, deadline=utcnow().date() + dt.timedelta(days=9),
                                       countries=list(countries or ("BE", "NL", "DE", "FR")), actor=None)
            round_.opened_at = utcnow() - dt.timedelta(days=days_ago)
            round_.shared = shared
            if league:
                set_league_tables(session, round_, True, "For the Council working party, as agreed.", None)
            for cc, values in answers.items():
                response = responses.get_response(session, round_, cc)
                responses.save_answers(session, response, None, values, via="demo")
                assert responses.submit(session, response, None, share_free_text=cc in consent) == []
            return round_.id

    return make


def make_structures_round(app, countries=("BE", "NL"), *, shared=False, title="Structures", consent=()) -> int:
    """A round of the shipped SPOC questionnaire with plausible answers of `countries`, all submitted."""
    import random

    from portal.db import utcnow
    from questionnaires.definitions import shipped
    from questionnaires.demo import generate_answers
    from questionnaires.services import responses, rounds, versions

    with app.extensions["spoc_db"].unit_of_work() as session:
        definition = shipped("spoc_structures")
        version = versions.publish_definition(session, definition).version
        round_ = rounds.open_round(session, version, title=title, countries=list(countries), actor=None,
                                   deadline=utcnow().date() + dt.timedelta(days=5))
        round_.shared = shared
        for cc in countries:
            values = generate_answers(definition, random.Random(cc), country=cc, answer_rate=1.0)
            values["comp_contacts"] = f"{cc} contact table: SPOC 24/7 +32 2 000"
            response = responses.get_response(session, round_, cc)
            responses.save_answers(session, response, None, values, via="demo")
            assert responses.submit(session, response, None, share_free_text=cc in consent) == []
        return round_.id
