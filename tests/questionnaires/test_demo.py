"""Generated demo answers validate for any definition; `spoc demo` opens the demo rounds once."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from questionnaires.definitions import load_definition, shipped
from questionnaires.demo import CURRENT_TITLE, EARLIER_TITLE, generate_answers
from questionnaires.models import Answer, Response, Round
from questionnaires.services.validation import problems_for_submit, relevance
from tests.questionnaires.conftest import MINI


@pytest.mark.parametrize("name", ["spoc_structures", "training_feedback", "mini"])
def test_generated_answers_validate(name):
    definition = load_definition(MINI) if name == "mini" else shipped(name)
    seen = set()
    for seed in range(25):
        answers = generate_answers(definition, random.Random(seed), country="BE")
        assert problems_for_submit(definition, answers) == [], seed
        _, relevant = relevance(definition, answers)
        assert all(relevant[qid] for qid in answers), "answers only relevant questions"
        seen.add(repr(sorted(answers.items())))
    assert len(seen) == 25  # varied
    again = generate_answers(definition, random.Random(3), country="BE")
    assert again == generate_answers(definition, random.Random(3), country="BE")  # deterministic


def test_generator_covers_follow_ups_both_ways():
    definition = shipped("spoc_structures")
    cms = [generate_answers(definition, random.Random(s), country="FR").get("cms_in_place") for s in range(12)]
    assert "yes" in cms and ("no" in cms or "registry" in cms)
    for seed in range(12):
        answers = generate_answers(definition, random.Random(seed), country="FR")
        if answers["cms_in_place"] in ("no", "registry"):
            assert not any(k.startswith("cms_") and k not in ("cms_in_place", "cms_plans", "cms_plan_date",
                                                              "cms_manual_registry") for k in answers)


def test_demo_rounds(app, db):
    from questionnaires.demo import load_demo

    for _ in range(2):  # idempotent
        with app.extensions["spoc_db"].unit_of_work() as session:
            load_demo(session, {})
    db.rollback()
    rounds = {r.title: r for r in db.scalars(select(Round))}
    assert set(rounds) == {CURRENT_TITLE, EARLIER_TITLE}
    current, earlier = rounds[CURRENT_TITLE], rounds[EARLIER_TITLE]
    assert len(current.country_codes) == 31 and current.is_open and not earlier.is_open
    assert earlier.version_id == current.version_id
    status = {r.country_code: r.status for r in db.scalars(select(Response).where(Response.round_id == current.id))}
    assert sum(1 for s in status.values() if s == "submitted") >= 10
    assert status["BE"] == "draft" and status["NL"] == "not_started"
    nl = db.scalar(select(Response).where(Response.round_id == current.id, Response.country_code == "NL"))
    assert db.scalar(select(func.count(Answer.id)).where(Answer.response_id == nl.id)) == 0
    earlier_submitted = [r for r in db.scalars(select(Response).where(Response.round_id == earlier.id))
                         if r.status == "submitted"]
    assert len(earlier_submitted) >= 3
    definition = shipped("spoc_structures")
    for response in db.scalars(select(Response).where(Response.status == "submitted")):
        answers = {a.question_id: a.value for a in response.answers}
        assert problems_for_submit(definition, answers) == [], response.country_code


def test_the_demo_answers_the_third_version_coherently_per_country():
    definition = shipped("spoc_structures")
    assert definition.version == 3
    for cc in ("NO", "BE", "FR", "IS"):
        answers = generate_answers(definition, random.Random(f"2026-{cc}"), country=cc)  # noqa: S311
        schengen_only = cc in ("NO", "IS")
        assert (answers["comp_colocation"] == "not_applicable") is schengen_only
        if answers.get("chan_siena_spoc") == "yes":
            assert answers["chan_siena_mobile"] != "not_applicable"
        work = [v for k, v in answers.items() if k.startswith("work_") and k != "work_year"]
        staff = answers["staff_total"]
        if work and staff:
            per_1000 = staff / sum(work) * 1000
            assert 1.5 <= per_1000 <= 6  # 180-520 messages a year per person



def test_what_does_not_apply_is_answered_not_applicable_and_left_out_of_the_maturity_index():
    """Schengen-associated States have no Europol national unit; Directive 2023/977 does not bind Denmark
    (recital 44): their answers say so, and the maturity index leaves those items out for them only."""
    from reports.frame import tidy_frame
    from reports.indices import maturity

    definition = shipped("spoc_structures")
    answers = {cc: generate_answers(definition, random.Random(f"2026-{cc}"), country=cc)  # noqa: S311
               for cc in ("NO", "CH", "DK", "FR", "BE")}
    for cc in ("NO", "CH"):
        assert answers[cc]["comp_units_absent"] == ["enu"] and "enu" not in answers[cc]["comp_units"]
        assert "staff_enu" not in answers[cc]
    for cc in ("DK", "FR", "BE"):
        assert answers[cc]["comp_units_absent"] == ["none"]
    assert answers["DK"]["proc_in_time_basis"] == "not_applicable" and "proc_in_time" not in answers["DK"]
    assert answers["DK"]["stat_capability"] == "not_applicable" and "stat_answered" not in answers["DK"]
    assert answers["FR"]["stat_capability"] != "not_applicable"
    for cc in answers:
        assert problems_for_submit(definition, answers[cc]) == [], cc
    scores = maturity(definition, tidy_frame(definition, answers))
    assert scores["comp_colocation"].isna().tolist() == [cc in ("NO", "CH") for cc in scores.index]
    assert scores["stat_capability"].isna().tolist() == [cc == "DK" for cc in scores.index]
