"""Every table of the report against figures worked out by hand on the small data set (conftest)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reports import indices, processes, tables
from reports.frame import COLUMNS, OTHER_STEP, tidy_frame, visible_to
from reports.report import build_report, country_position
from tests.reports.conftest import ANSWERS, EARLIER


@pytest.fixture
def frame(small):
    return tidy_frame(small, ANSWERS, round_id=7)


def rows(frame, cc, qid):
    sub = frame[(frame["country"] == cc) & (frame["question"] == qid)]
    return list(zip(sub["sub_item"], sub["value"], sub["label"], strict=True))


def test_tidy_frame_has_one_row_per_atomic_answer(frame):
    assert list(frame.columns) == COLUMNS
    assert set(frame["round"]) == {7}
    assert rows(frame, "BE", "h247") == [("", "yes", "Yes")]
    assert rows(frame, "BE", "units") == [("", "enu", "ENU"), ("", "ncb", "NCB")]
    assert rows(frame, "BE", "formats") == [("1", "webinar", "Webinar"), ("2", "course", "Course"), ("3", "visit", "Visit")]
    assert rows(frame, "BE", "needs") == [("new", "high", "High"), ("senior", "low", "Low")]
    assert rows(frame, "BE", "staff") == [("", 40.0, "40")]
    # a process: one row per non-empty field of each step; "Reply" typed as the suggested label counts as "reply"
    nl = rows(frame, "NL", "intake")
    assert ("reply|rating", "mandatory", "Always done") in nl and ("receipt|actor", "Duty officer", "Duty officer") in nl
    assert ("Quality check|rating", "optional", "Optional") in rows(frame, "BE", "intake")
    assert rows(frame, "DE", "units") == []  # unanswered: no row
    assert frame[frame["country"] == "DE"]["question"].tolist() == ["h247", "host", "staff"] + ["intake"] * 3


def test_choice_matrix_and_figures_by_country(small, frame):
    m = tables.choice_matrix(small, frame)
    assert list(m.index) == ["BE", "DE", "NL"]
    assert list(m.columns) == ["h247", "host", "units", "needs[new]", "needs[senior]", "formats"]
    assert m.at["BE", "units"] == "ENU; NCB"
    assert m.at["BE", "formats"] == "Webinar; Course; Visit"
    assert m.at["NL", "needs[new]"] == "High" and m.isna().at["NL", "needs[senior]"]
    assert m.isna().at["DE", "units"]
    numbers = tables.numbers_by_country(small, frame)
    assert numbers["staff"].to_dict() == {"BE": 40.0, "DE": 90.0, "NL": 20.0}


def test_frequencies_count_every_choice_with_shares_of_the_countries_answering(small, frame):
    f = tables.frequencies(small, frame).set_index(["question", "row", "value"])
    assert (f.at[("h247", "", "yes"), "countries"], f.at[("h247", "", "yes"), "answered"]) == (2, 3)
    assert f.at[("h247", "", "yes"), "share"] == pytest.approx(0.6667)
    assert f.at[("host", "", "other"), "countries"] == 1
    # units: DE did not answer, so the base is 2; nobody chose SIRENE but it is listed
    assert f.at[("units", "", "enu"), "share"] == 1.0
    assert f.at[("units", "", "sirene"), "countries"] == 0
    assert f.at[("units", "", "ncb"), "share"] == 0.5
    # a matrix: per row
    assert (f.at[("needs", "New", "high"), "countries"], f.at[("needs", "New", "high"), "answered"]) == (2, 2)
    assert (f.at[("needs", "Senior", "low"), "countries"], f.at[("needs", "Senior", "low"), "answered"]) == (1, 1)


def test_rankings_and_numeric_summary(small, frame):
    r = tables.ranking_summary(small, frame).set_index("value")
    # 3 choices: first = 3 points, second 2, third 1; BE webinar>course>visit, NL course>webinar
    assert r.at["course", "points"] == 2.5 and r.at["course", "first"] == 1 and r.at["course", "mean_position"] == 1.5
    assert r.at["webinar", "points"] == 2.5
    assert r.at["visit", "points"] == 0.5 and r.at["visit", "ranked_by"] == 1
    s = tables.numeric_summary(small, frame).set_index("question").loc["staff"]
    assert (s["answered"], s["mean"], s["median"], s["min"], s["max"], s["total"]) == (3, 50.0, 40.0, 20.0, 90.0, 150.0)
    assert s["unit"] == "persons"


def test_capability_heatmap_data(small, frame):
    caps = indices.capability_matrix(small, frame)
    assert list(caps.columns) == ["24/7", "Hosted by a ministry", "NCB in the SPOC"]
    assert caps["24/7"].to_dict() == {"BE": 1.0, "DE": 1.0, "NL": 0.0}
    assert caps["Hosted by a ministry"].to_dict() == {"BE": 0.0, "DE": 0.0, "NL": 1.0}
    assert caps.at["BE", "NCB in the SPOC"] == 1.0 and caps.at["NL", "NCB in the SPOC"] == 0.0
    assert math.isnan(caps.at["DE", "NCB in the SPOC"])  # no answer is not "no"


def test_maturity_index_follows_the_printed_method(small, frame):
    m = indices.maturity(small, frame)
    # weights 2 (24/7) and 1 (host): BE (2·1 + 1·1)/3, DE (2·1 + 'other' unlisted = 0)/3, NL (0 + 0.5)/3
    assert m["index"].to_dict() == {"BE": 100.0, "DE": 66.7, "NL": 16.7}
    assert list(m.index) == ["BE", "DE", "NL"] and m["rank"].tolist() == [1, 2, 3]
    assert m.at["NL", "host"] == 0.5
    description, items = indices.maturity_method(small)
    assert description.startswith("Weighted mean of the item scores")
    assert items["weight_share"].tolist() == [66.7, 33.3]
    assert items.loc[1, "scores"] == "Police = 1; Ministry = 0.5; Other, no answer = 0"


def test_processes_steps_and_steps_common_to_all(small, frame):
    steps = processes.process_steps(small, frame).set_index("step")
    assert steps.loc["receipt", ["countries", "mandatory", "required", "optional"]].tolist() == [3, 2, 0, 1]
    assert bool(steps.at["receipt", "common"]) is True
    assert steps.loc["reply", ["countries", "mandatory", "required", "optional"]].tolist() == [2, 1, 1, 0]
    assert bool(steps.at["reply", "common"]) is False
    assert steps.at["Quality check", "step_label"] == "Quality check"
    assert list(steps.index) == ["receipt", "reply", "Quality check"]  # suggested steps first
    common = processes.common_steps(steps.reset_index())
    assert common["step"].tolist() == ["receipt"] and common["mandatory_for_all"].tolist() == [False]


def test_swot_per_process_and_country_and_free_text(small, frame):
    swot = processes.swot(small, frame)
    assert swot["process_label"].unique().tolist() == ["Intake"]
    be = swot.set_index("country").loc["BE"]
    assert (be["strength"], be["weakness"], be["opportunity"]) == ("Fast replies", "Few staff", "")
    assert swot["country"].tolist() == ["BE", "NL"]
    free = tables.free_text(small, frame)
    assert free[["question", "country", "text"]].values.tolist() == [["name", "BE", "=SUM(A1:A9)"],
                                                                     ["name", "NL", "NL SPOC"]]


def test_round_over_round_change(small, frame):
    earlier = tidy_frame(small, EARLIER, round_id=6)
    changes = indices.round_changes((small, frame), (small, earlier)).set_index("country")
    assert list(changes.index) == ["BE", "NL"]  # DE did not answer the earlier round
    assert (changes.at["BE", "maturity_before"], changes.at["BE", "maturity_now"], changes.at["BE", "change"]) \
        == (33.3, 100.0, 66.7)
    assert changes.at["BE", "gained"] == "24/7" and changes.at["BE", "lost"] == ""
    assert changes.at["BE", "answers_changed"] == 1 and changes.at["NL", "answers_changed"] == 0
    trend = indices.maturity_trend([("2025", small, earlier), ("2026", small, frame)])
    assert trend.loc["BE"].tolist() == [33.3, 100.0] and math.isnan(trend.at["DE", "2025"])


def test_other_countries_free_text_is_dropped_for_a_round_that_is_not_shared(small, frame):
    seen = visible_to(frame, small, "NL")
    others = seen[seen["country"] != "NL"]
    assert not others["type"].isin(["text", "long_text", "file"]).any()
    assert set(others[others["type"] == "process"]["sub_item"]) == {"receipt|rating", "reply|rating",
                                                                    f"{OTHER_STEP}|rating"}
    assert "Duty officer" not in set(others["value"])
    assert rows(seen, "NL", "name") == [("", "NL SPOC", "NL SPOC")]  # one's own stays
    report = build_report(small, seen, title="t", highlight="NL")
    assert report.tables["free_text"].frame["country"].tolist() == ["NL"]
    assert report.tables["swot"].frame["country"].tolist() == ["NL"]


def test_report_charts_and_a_country_position(small, frame):
    report = build_report(small, frame, title="Small", highlight="NL")
    assert [c.key for c in report.charts] == ["maturity", "heatmap", "q-h247", "q-host", "q-units", "q-needs",
                                              "q-formats"]
    assert report.chart("maturity").data["highlight"] == "NL"
    assert "Yes 2 (67%)" in report.chart("q-h247").alt
    pos = country_position(report, "NL")
    assert (pos["rank"], pos["of"], pos["index"], pos["median"]) == (3, 3, 16.7, 66.7)
    assert {c["label"]: (c["own"], c["network"]) for c in pos["capabilities"]} == {
        "24/7": (False, 2), "Hosted by a ministry": (True, 1), "NCB in the SPOC": (False, 1)}
    host = next(a for a in pos["answers"] if a["question"] == "host")
    assert (host["own"], host["same"], host["answered"]) == ("Ministry", 1, 3)


def test_a_maturity_item_nobody_answered_scores_zero_everywhere(small):
    frame = tidy_frame(small, {"BE": {"host": "police"}, "NL": {"host": "ministry"}})
    m = indices.maturity(small, frame)
    assert m["index"].to_dict() == {"BE": 33.3, "NL": 16.7} and m["h247"].tolist() == [0.0, 0.0]


def test_the_classification_of_a_step_is_derived_from_how_many_countries_have_it(small, frame):
    # intake described by BE, NL and DE: receipt by all three, reply by two, "Quality check" by one
    steps = processes.process_steps(small, frame).set_index("step")
    assert steps["classification"].to_dict() == {"receipt": "mandatory", "reply": "required",
                                                 "Quality check": "optional"}
    assert [processes.classify(h, 4) for h in (4, 2, 1, 0)] == ["mandatory", "required", "optional", "optional"]


def test_a_maturity_item_that_does_not_apply_is_left_out_of_that_country_s_mean():
    from questionnaires.definitions import load_definition
    from tests.reports.conftest import SMALL

    data = {**SMALL, "maturity": {"description": {"en": "x"}, "items": [
        {"question": "h247", "weight": 2, "scores": {"yes": 1, "no": 0}},
        {"question": "host", "weight": 1, "scores": {"police": 1, "ministry": 0.5, "other": None}}]}}
    definition = load_definition(data)
    frame = tidy_frame(definition, {"BE": {"h247": "yes", "host": "police"}, "DE": {"h247": "yes", "host": "other"},
                                    "NL": {"h247": "no", "host": "other"}}, round_id=1)
    mat = indices.maturity(definition, frame)
    # DE: only h247 applies (1 of 1) = 100, not 2/3; NL: 0 of 2 = 0
    assert mat.at["BE", "index"] == 100.0 and mat.at["DE", "index"] == 100.0 and mat.at["NL", "index"] == 0.0
    assert math.isnan(mat.at["DE", "host"])
    _, method = indices.maturity_method(definition)
    assert "Other = left out" in method.set_index("question").at["host", "scores"]


def test_workload_gives_staff_per_1000_messages():
    from questionnaires.definitions import load_definition

    number = {"type": "number", "integer": True}
    definition = load_definition({"id": "w", "version": 1, "title": {"en": "W"}, "sections": [
        {"id": "s", "title": {"en": "S"}, "questions": [
            {**number, "id": "staff", "label": {"en": "Staff"}, "tags": ["workload:staff"]},
            {**number, "id": "siena_in", "label": {"en": "In"}, "tags": ["workload:in"]},
            {**number, "id": "siena_out", "label": {"en": "Out"}, "tags": ["workload:out"]},
            {**number, "id": "sirene_in", "label": {"en": "In"}, "tags": ["workload:in"]}]}]})
    frame = tidy_frame(definition, {"BE": {"staff": 30, "siena_in": 10000, "siena_out": 4000, "sirene_in": 6000},
                                    "NL": {"staff": 12}, "DE": {"siena_in": 500}}, round_id=1)
    load = tables.workload(definition, frame).set_index("country")
    assert list(load.index) == ["BE", "DE"]  # NL gave no figures
    assert load.loc["BE"].tolist() == [16000.0, 4000.0, 20000.0, 30.0, 1.5]
    assert load.at["DE", "messages"] == 500.0 and math.isnan(load.at["DE", "staff_per_1000_messages"])


def test_years_shares_and_durations_are_not_added_up():
    from questionnaires.definitions import load_definition
    from reports.frame import tidy_frame

    numbers = [{"id": "year", "type": "number", "integer": True, "min": 2023, "max": 2100,
                "label": {"en": "Calendar year of the figures"}},
               {"id": "share", "type": "number", "unit": {"en": "%"}, "label": {"en": "Share urgent"}},
               {"id": "posting", "type": "number", "unit": {"en": "years"}, "label": {"en": "Average posting"}},
               {"id": "score", "type": "number", "tags": ["no_total"], "label": {"en": "Self-assessed score"}},
               {"id": "sent", "type": "number", "unit": {"en": "requests"}, "label": {"en": "Requests sent"}}]
    definition = load_definition({"id": "figures", "version": 1, "title": {"en": "Figures"},
                                  "sections": [{"id": "s", "title": {"en": "S"}, "questions": numbers}]})
    answers = {"BE": {"year": 2025, "share": 40, "posting": 4, "score": 3, "sent": 120},
               "NL": {"year": 2024, "share": 20, "posting": 6, "score": 5, "sent": 80}}
    summary = tables.numeric_summary(definition, tidy_frame(definition, answers)).set_index("question")
    assert summary.at["sent", "total"] == 200.0
    for qid in ("year", "share", "posting", "score"):
        assert summary.at[qid, "total"] is None or pd.isna(summary.at[qid, "total"]), qid
    assert (summary.at["year", "min"], summary.at["year", "max"]) == (2024.0, 2025.0)  # still shown as a range


def _with_variants(small):
    """The small questionnaire with suggested variants for 'intake', and three countries' answers using them."""
    from questionnaires.definitions import load_definition
    from tests.reports.conftest import SMALL

    data = {**SMALL, "sections": [{**s, "questions": [
        {**q, "variants": [{"value": "urgent", "label": {"en": "Urgent path"}}]} if q["id"] == "intake" else q
        for q in s["questions"]]} for s in SMALL["sections"]]}
    definition = load_definition(data)

    def st(name, rating, automation, variant=""):
        return {"step": name, "variant": variant, "actor": "Duty officer", "task": "Handle it",
                "target": "A registered request", "system": "CMS", "automation": automation, "prerequisite": "",
                "depends_on": "", "rating": rating}

    answers = {
        "BE": {"intake": [st("receipt", "mandatory", "automated"), st("reply", "required", "manual"),
                          st("receipt", "mandatory", "manual", variant="Urgent path"),
                          st("Phone call", "mandatory", "manual", variant="urgent")]},
        "NL": {"intake": [st("receipt", "mandatory", "partly_automated")]},
        # DE does the reply only on its urgent path: it still does the step
        "DE": {"intake": [st("receipt", "optional", "automated"), st("reply", "required", "manual", "urgent")]},
    }
    return definition, tidy_frame(definition, answers)


def test_process_steps_count_automation_and_variants_and_derive_the_classification(small):
    definition, frame = _with_variants(small)
    steps = processes.process_steps(definition, frame).set_index("step")
    # receipt: BE automated on its main path (its urgent variant is manual), NL partly, DE automated
    assert steps.loc["receipt", ["countries", "automated", "partly_automated", "manual", "in_variants"]].tolist() \
        == [3, 2, 1, 0, 1]
    assert steps.loc["reply", ["countries", "required", "manual", "in_variants"]].tolist() == [2, 2, 2, 1]
    assert steps["classification"].to_dict() == {"receipt": "mandatory", "reply": "required",
                                                 "Phone call": "optional"}
    variants = processes.process_variants(definition, frame)
    assert variants[["variant", "variant_label", "countries", "country_list"]].values.tolist() == [
        ["urgent", "Urgent path", 2, "BE, DE"]]
    assert variants.at[0, "variant_steps"] == "Phone call (1); Receipt (1); Reply (1)"
    details = processes.process_details(frame, "intake")
    be_urgent = details[(details["country"] == "BE") & (details["variant"] == "urgent")]
    assert sorted(be_urgent["step"]) == ["Phone call", "receipt"]
    assert set(details["system"]) == {"CMS"} and set(details["automation"]) >= {"Automated", "Manual"}


def test_the_report_prints_the_classification_rule_and_shows_variants(small):
    definition, frame = _with_variants(small)
    report = build_report(definition, frame, title="t")
    note = report.tables["processes"].note
    assert "mandatory when every country that described the process does the step" in note
    assert "required when at least half" in note
    assert report.tables["process_variants"].frame["variant"].tolist() == ["urgent"]


def test_others_see_ratings_and_automation_but_not_their_own_variant_names(small):
    definition, frame = _with_variants(small)
    frame = pd.concat([frame, tidy_frame(definition, {"NL": {"intake": [
        {"step": "receipt", "variant": "Night shift", "actor": "", "task": "", "target": "", "system": "",
         "automation": "manual", "prerequisite": "", "depends_on": "", "rating": "optional"}]}})])
    seen = visible_to(frame, definition, "DE")
    others = seen[(seen["country"] != "DE") & (seen["type"] == "process")]
    assert "CMS" not in set(others["value"]) and "Night shift" not in " ".join(others["sub_item"])
    assert "receipt@urgent|automation" in set(others["sub_item"])  # a suggested variant stays
