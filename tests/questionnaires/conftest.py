"""Fixtures of the questionnaire tests: a small definition with every question type, and rounds of it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from questionnaires.definitions import load_definition

MINI = {
    "id": "mini", "version": 1, "title": {"en": "Mini questionnaire", "fr": "Mini questionnaire (FR)"},
    "languages": ["en", "fr"],
    "sections": [
        {"id": "basics", "title": {"en": "Basics", "fr": "Bases"}, "questions": [
            {"id": "has_cms", "type": "yes_no", "label": {"en": "Is there a CMS?", "fr": "Y a-t-il un SGC ?"},
             "required": True},
            {"id": "cms_name", "type": "text", "label": {"en": "Name of the CMS"}, "required": True,
             "relevant": "${has_cms} = 'yes'", "max_length": 20},
            {"id": "staff", "type": "number", "label": {"en": "Staff"}, "min": 0, "max": 500, "integer": True,
             "required": True, "unit": {"en": "persons"}},
            {"id": "night", "type": "number", "label": {"en": "Night staff"}, "min": 0,
             "constraint": "${staff} = '' or . <= ${staff}", "constraint_message": {"en": "Not more than the whole staff."}},
            {"id": "since", "type": "date", "label": {"en": "In operation since"}},
            {"id": "host", "type": "single_choice", "label": {"en": "Host"}, "required": True,
             "choices": [{"value": "police", "label": {"en": "Police"}},
                         {"value": "ministry", "label": {"en": "Ministry"}},
                         {"value": "other", "label": {"en": "Other"}}]},
            {"id": "units", "type": "multiple_choice", "label": {"en": "Units"}, "max_selected": 2,
             "choices": [{"value": "enu", "label": {"en": "ENU"}}, {"value": "sirene", "label": {"en": "SIRENE"}},
                         {"value": "ncb", "label": {"en": "NCB"}}]},
            {"id": "notes", "type": "long_text", "label": {"en": "Notes"}},
        ]},
        {"id": "details", "title": {"en": "CMS details"}, "relevant": "${has_cms} = 'yes'", "questions": [
            {"id": "access", "type": "matrix", "label": {"en": "Access"}, "required": True,
             "rows": [{"value": "police", "label": {"en": "Police records"}},
                      {"value": "vehicles", "label": {"en": "Vehicles"}}],
             "choices": [{"value": "direct", "label": {"en": "Direct"}},
                         {"value": "none", "label": {"en": "None"}}]},
            {"id": "formats", "type": "ranking", "label": {"en": "Formats"},
             "choices": [{"value": "course", "label": {"en": "Course"}},
                         {"value": "webinar", "label": {"en": "Webinar"}},
                         {"value": "visit", "label": {"en": "Visit"}}]},
            {"id": "chart", "type": "file", "label": {"en": "Organisation chart"}, "max_size_mb": 1,
             "accept": ["application/pdf"]},
            {"id": "intake", "type": "process", "label": {"en": "Intake process"}, "required": True},
        ]},
    ],
}

STEP = {"step": "Receipt", "actor": "Duty officer", "task": "Register", "prerequisite": "", "depends_on": "",
        "rating": "mandatory"}
COMPLETE = {"has_cms": "yes", "cms_name": "CaseBook", "staff": 40, "night": 5, "host": "police",
            "access": {"police": "direct", "vehicles": "none"},
            "intake": [STEP, {**STEP, "step": "Reply", "depends_on": "Receipt", "rating": "required"}]}


@pytest.fixture
def mini():
    return load_definition(MINI)


@pytest.fixture
def open_mini(app):
    """open_mini(countries=("BE", "NL"), deadline_days=20, definition=MINI) -> round id."""
    database = app.extensions["spoc_db"]

    def make(countries=("BE", "NL"), deadline_days: int = 20, definition: dict | None = None,
             requires_clearance: bool = False, prefill: bool = False) -> int:
        from portal.db import utcnow
        from questionnaires.services import rounds, versions

        with database.unit_of_work() as session:
            version = versions.publish_definition(session, load_definition(definition or MINI)).version
            round_ = rounds.open_round(session, version, title="Test round",
                                       deadline=utcnow().date() + dt.timedelta(days=deadline_days),
                                       countries=list(countries), actor=None,
                                       requires_clearance=requires_clearance, prefill=prefill)
            return round_.id

    return make


def response_url(round_id: int, cc: str = "BE") -> str:
    return f"/questionnaires/rounds/{round_id}/responses/{cc}"


def page_revisions(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="rev\.([a-z0-9_]+)" value="(\d+)"', html))


def form_for(values: dict, revisions: dict | None = None, shown=None) -> dict:
    """The answering form's fields for some simple answers (as a browser would post them)."""
    data: dict = {"shown": list(shown or values)}
    for qid, value in values.items():
        if isinstance(value, dict):
            for row, choice in value.items():
                data[f"a.{qid}.{row}"] = choice
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, step in enumerate(value):
                for field, text in step.items():
                    data[f"a.{qid}.{i}.{field}"] = text
        else:
            data[f"a.{qid}"] = value
    for qid, rev in (revisions or {}).items():
        data[f"rev.{qid}"] = str(rev)
    return data
