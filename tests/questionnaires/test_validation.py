"""What a valid answer is, per question type; relevance and required; the submit check."""

from __future__ import annotations

import pytest

from questionnaires.services.validation import (
    answered_share,
    problems_for_submit,
    relevance,
    shape_error,
    value_error,
)
from tests.questionnaires.conftest import COMPLETE, STEP


@pytest.mark.parametrize("qid, value", [
    ("has_cms", "yes"), ("host", "other"), ("units", ["enu", "ncb"]), ("cms_name", "CaseBook"),
    ("notes", "line one\nline two"), ("staff", 0), ("staff", 500), ("night", 2.5), ("since", "2024-02-29"),
    ("access", {"police": "direct"}), ("formats", ["visit", "course"]), ("chart", {"file_id": 3, "name": "a.pdf"}),
    ("intake", [STEP]),
])
def test_valid_values(mini, qid, value):
    assert shape_error(mini.question_map[qid], value) is None


@pytest.mark.parametrize("qid, value, message", [
    ("has_cms", "maybe", "Choose one of the options."),
    ("host", ["police"], "Choose one of the options."),
    ("units", ["enu", "enu"], "An option is chosen twice."),
    ("units", ["enu", "sirene", "ncb"], "Choose at most 2 options."),
    ("units", ["interpol"], "Unknown option(s): interpol."),
    ("cms_name", "x" * 21, "At most 20 characters (this is 21)."),
    ("cms_name", "two\nlines", "Enter a single line."),
    ("staff", "12", "Enter a number."),
    ("staff", True, "Enter a number."),
    ("staff", 2.5, "Enter a whole number."),
    ("staff", -1, "The smallest allowed value is 0."),
    ("staff", 501, "The largest allowed value is 500."),
    ("since", "2023-02-29", "Enter a real date as YYYY-MM-DD."),
    ("since", "29/02/2024", "Enter a date as YYYY-MM-DD."),
    ("access", {"boats": "direct"}, "Unknown row 'boats'."),
    ("access", {"police": "sometimes"}, "Row 'police': choose one of the options."),
    ("formats", ["course", "course"], "Each option can have only one rank."),
    ("formats", ["lecture"], "Unknown option(s): lecture."),
    ("chart", {"file_id": "3", "name": "a.pdf"}, "Upload a file."),
])
def test_invalid_values_say_why(mini, qid, value, message):
    assert shape_error(mini.question_map[qid], value) == message


@pytest.mark.parametrize("steps, message", [
    ([{**STEP, "rating": "nice"}], "Step 1 (Receipt): say whether your SPOC always does it, does it in specific "
                                   "cases or treats it as optional."),
    ([{**STEP, "automation": "robotic"}], "Step 1 (Receipt): automation is automated, partly_automated or manual."),
    ([STEP, {**STEP, "variant": "urgent"}, {**STEP, "variant": "urgent"}],
     "Two steps have the same name in the variant 'urgent'."),
    ([{**STEP, "variant": "urgent", "step": "Check", "depends_on": "Archive"}],
     "Step 1 (Check): depends on 'Archive', which is not a step of this process."),
    ([{**STEP, "step": " "}], "Step 1: give the step a name."),
    ([{k: v for k, v in STEP.items() if k != "actor"}], "Step 1: missing actor."),
    ([{**STEP, "colour": "red"}], "Step 1: unknown colour."),
    ([STEP, STEP], "Two steps have the same name."),
    ([{**STEP, "depends_on": "Archive"}], "Step 1 (Receipt): depends on 'Archive', which is not a step of this process."),
    ([{**STEP, "depends_on": "Receipt"}], "Step 1 (Receipt): a step cannot depend on itself."),
    ("Receipt", "Give the process as a list of steps."),
    ([{**STEP, "step": f"S{i}"} for i in range(25_000)], "A process has at most 200 steps (this has 25000)."),
    ([{**STEP, "task": "x" * 1001}], "Step 1: the task has more than 1000 characters."),
])
def test_process_steps(mini, steps, message):
    assert shape_error(mini.question_map["intake"], steps) == message


def test_process_rating_all_three_and_dependency_on_another_step(mini):
    steps = [STEP, {**STEP, "step": "Check", "depends_on": "Receipt", "rating": "required"},
             {**STEP, "step": "Archive", "depends_on": "Check", "rating": "optional"}]
    assert shape_error(mini.question_map["intake"], steps) is None


def test_process_variants_targets_systems_and_automation(mini):
    """A step has its target, system and automation; a variant (the urgent path) repeats a step name of the main
    path and depends on its own or the main path's steps."""
    full = {**STEP, "target": "A registered request", "system": "National CMS", "automation": "partly_automated"}
    steps = [full, {**full, "step": "Check", "depends_on": "Receipt", "automation": "automated"},
             {**full, "variant": "urgent", "automation": "manual"},
             {**full, "variant": "urgent", "step": "Phone the duty officer", "depends_on": "Receipt"}]
    assert shape_error(mini.question_map["intake"], steps) is None


def test_process_answer_stored_before_version_3_stays_valid(mini):
    """An answer stored without the fields added in version 3 (variant, target, system, automation) is still valid."""
    old = {k: STEP[k] for k in ("step", "actor", "task", "prerequisite", "depends_on", "rating")}
    assert shape_error(mini.question_map["intake"], [old]) is None


def test_constraint_uses_dot_and_other_answers(mini):
    night = mini.question_map["night"]
    assert value_error(night, 5, {"staff": 10}) is None
    assert value_error(night, 11, {"staff": 10}) == "Not more than the whole staff."
    assert value_error(night, "", {"staff": 10}) is None  # empty: not checked


def test_relevance_hides_questions_and_sections(mini):
    sections, questions = relevance(mini, {"has_cms": "no"})
    assert not questions["cms_name"] and not sections["details"] and not questions["intake"]
    sections, questions = relevance(mini, {"has_cms": "yes"})
    assert questions["cms_name"] and sections["details"] and questions["access"]


def test_required_only_when_relevant(mini):
    missing = {p.question_id for p in problems_for_submit(mini, {"has_cms": "no", "staff": 3, "host": "police"})}
    assert missing == set()
    missing = {p.question_id for p in problems_for_submit(mini, {"has_cms": "yes", "staff": 3, "host": "police"})}
    assert missing == {"cms_name", "access", "intake"}


def test_irrelevant_answers_are_kept_but_ignored(mini):
    answers = {**COMPLETE, "has_cms": "no", "cms_name": "x" * 99, "access": {"police": "nonsense"}}
    assert problems_for_submit(mini, answers) == []
    assert answered_share(mini, answers) == (4, 7)  # has_cms, staff, night, host of the 7 relevant


def test_submit_lists_missing_and_invalid_with_anchors(mini):
    answers = {**COMPLETE, "night": 90, "access": {"police": "direct"}}
    del answers["host"]
    problems = problems_for_submit(mini, answers)
    assert [(p.question_id, p.message) for p in problems] == [
        ("night", "Not more than the whole staff."), ("host", "This answer is required."),
        ("access", "Answer every row.")]
    assert problems[0].anchor == "q-night" and problems[0].section_id == "basics"


def test_complete_answers_have_no_problem(mini):
    assert problems_for_submit(mini, COMPLETE) == []


def test_shipped_not_applicable_answers_must_match_the_units_the_country_has():
    from questionnaires.definitions import shipped

    d = shipped("spoc_structures")
    colocation, units, evaluation = (d.question_map[q] for q in ("comp_colocation", "comp_units", "proc_evaluation"))
    has_all = {"comp_units_absent": ["none"]}
    no_enu = {"comp_units_absent": ["enu"]}
    assert value_error(colocation, "not_applicable", no_enu) is None
    assert value_error(colocation, "same_one_mgmt", has_all) is None
    for value, answers in (("not_applicable", has_all), ("separate", no_enu)):
        assert value_error(colocation, value, answers).startswith("'Not applicable' is the answer when")
    assert value_error(units, ["enu", "sirene"], no_enu) == "A unit your country does not have (next question) " \
                                                            "cannot be part of the SPOC."
    assert value_error(evaluation, ["four_by_four", "not_evaluated"], {}) == \
        "'Not formally evaluated' cannot be combined with an evaluation system."
