"""Export of a round: one row per country, codes and labels, processes in long format, a codebook; files read back."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from questionnaires.definitions import shipped
from questionnaires.round_export import process_table, round_csv, round_table, round_xlsx
from tests.questionnaires.conftest import STEP

LINK = '=HYPERLINK("http://evil.invalid","click")'
BE = {"has_cms": "yes", "cms_name": LINK, "staff": 12, "night": 2.5, "since": "2020-01-01", "host": "police",
      "units": ["ncb", "enu"], "notes": "two\nlines\x0b", "access": {"police": "direct", "vehicles": "none"},
      "formats": ["visit", "course"], "chart": {"file_id": 3, "name": "chart.pdf"},
      "intake": [STEP, {**STEP, "step": "Reply", "actor": "", "depends_on": "Receipt", "rating": "required"}]}
NL = {"has_cms": "no", "cms_name": "left over", "staff": 3.0, "host": "other", "units": [],
      "access": {"police": "direct"}}
STATUSES = {"BE": "submitted", "NL": "draft", "DE": "not started"}


def by_country(header, rows) -> dict[str, dict]:
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.fixture
def table(mini):
    header, rows = round_table(mini, {"BE": BE, "NL": NL}, statuses=STATUSES)
    return header, by_country(header, rows)


def test_one_row_per_country_with_its_name_and_status(table):
    header, rows = table
    assert header[:3] == ["country", "country_name", "status"]
    assert list(rows) == ["BE", "DE", "NL"]
    assert (rows["BE"]["country_name"], rows["BE"]["status"]) == ("Belgium", "submitted")
    assert rows["DE"]["status"] == "not started"
    assert all(v is None for k, v in rows["DE"].items() if k not in ("country", "country_name", "status"))


def test_columns_per_question_type(table):
    header, rows = table
    be, nl = rows["BE"], rows["NL"]
    assert (be["has_cms"], be["has_cms__label"]) == ("yes", "Yes")
    assert (be["host"], be["host__label"]) == ("police", "Police")
    assert (be["units__enu"], be["units__sirene"], be["units__ncb"], be["units__labels"]) == (1, 0, 1, "NCB; ENU")
    assert (nl["units__enu"], nl["units__labels"]) == (None, None)  # [] is unanswered: blanks, not zeros
    assert (be["formats__visit"], be["formats__course"], be["formats__webinar"]) == (1, 2, None)
    assert be["formats__labels"] == "Visit; Course"
    assert (be["access__police"], be["access__police__label"]) == ("direct", "Direct")
    assert (be["access__vehicles"], be["access__vehicles__label"]) == ("none", "None")
    assert (be["staff"], nl["staff"], be["night"]) == (12, 3, 2.5)
    assert (be["since"], be["notes"], be["chart"]) == ("2020-01-01", "two\nlines\x0b", "chart.pdf")
    assert be["intake"] == "1. Receipt (Duty officer, mandatory); 2. Reply (required)"
    assert be["intake__steps"] == 2
    assert header.index("has_cms") < header.index("staff") < header.index("access__police") < header.index("intake")


def test_answers_to_questions_not_shown_are_left_out(table):
    _, rows = table
    nl = rows["NL"]
    assert nl["cms_name"] is None  # relevant only when there is a CMS
    assert nl["access__police"] is None  # the whole section is shown only with a CMS


def test_labels_follow_the_language(mini):
    header, rows = round_table(mini, {"BE": {"has_cms": "no"}}, lang="fr")
    assert rows[0][header.index("country_name")] == "Belgium"
    header, rows = round_table(shipped("spoc_structures"), {"BE": {"comp_host": "ministry"}}, lang="fr")
    assert rows[0][header.index("comp_host__label")] == "Au sein du ministère de l'intérieur"


def test_process_table_lists_every_step(mini):
    header, rows = process_table(mini, {"BE": BE, "NL": NL})
    assert header == ["country", "country_name", "question", "question_label", "step_no", "step", "variant", "actor",
                      "task", "target", "system", "automation", "prerequisite", "depends_on", "rating", "step_label"]
    # BE's steps were stored before variant, target, system and automation existed: those cells stay empty
    assert rows == [
        ["BE", "Belgium", "intake", "Intake process", 1, "Receipt", None, "Duty officer", "Register", None, None, None,
         None, None, "mandatory", "Receipt"],
        ["BE", "Belgium", "intake", "Intake process", 2, "Reply", None, None, "Register", None, None, None, None,
         "Receipt", "required", "Reply"],
    ]


def test_process_table_has_variant_target_system_and_automation(mini):
    step = {"step": "Receipt", "variant": "urgent", "actor": "Duty officer", "task": "Register",
            "target": "A registered request", "system": "CaseBook", "automation": "automated", "prerequisite": "",
            "depends_on": "", "rating": "mandatory"}
    header, rows = process_table(mini, {"BE": {**BE, "intake": [step]}})
    row = dict(zip(header, rows[0], strict=True))
    assert (row["variant"], row["target"], row["system"], row["automation"]) == \
        ("urgent", "A registered request", "CaseBook", "automated")
    table_header, table_rows = round_table(mini, {"BE": {**BE, "intake": [step]}})
    assert table_rows[0][table_header.index("intake")] == "1. [urgent] Receipt (Duty officer, mandatory, automated)"


def test_shipped_process_steps_get_their_labels():
    definition = shipped("spoc_structures")
    answers = {"proc_incoming": [{**STEP, "step": "receipt"}]}
    _, rows = process_table(definition, {"BE": answers})
    assert rows[0][-1] == "Receipt of the request"


def test_csv_reads_back_with_the_formula_neutralised(mini):
    data = round_csv(mini, {"BE": BE, "NL": NL}, statuses=STATUSES)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["country"] for r in rows] == ["BE", "DE", "NL"]
    be = rows[0]
    assert be["cms_name"] == "'" + LINK
    assert (be["units__enu"], be["staff"], be["access__police__label"]) == ("1", "12", "Direct")
    assert rows[1]["cms_name"] == ""


def test_xlsx_has_answers_processes_and_codebook(mini):
    data = round_xlsx(mini, {"BE": BE, "NL": NL}, statuses=STATUSES)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Answers", "Processes", "Questions"]

    answers = wb["Answers"]
    header = [c.value for c in answers[1]]
    be = {h: c for h, c in zip(header, answers[2], strict=True)}
    assert be["country"].value == "BE" and be["status"].value == "submitted"
    assert be["cms_name"].value == "'" + LINK and be["cms_name"].data_type == "s"  # text, never a formula
    assert be["staff"].value == 12 and be["units__ncb"].value == 1
    assert be["notes"].value == "two\nlines\n"  # a pasted vertical tab (Word's line break) becomes a line break
    assert answers.max_row == 4

    processes = list(wb["Processes"].iter_rows(values_only=True))
    assert processes[1][:6] == ("BE", "Belgium", "intake", "Intake process", 1, "Receipt")

    codebook = {r[0]: r for r in wb["Questions"].iter_rows(min_row=2, values_only=True)}
    assert codebook["host"] == ("host", "host", "Host", "single_choice", "police=Police; ministry=Ministry; other=Other")
    assert codebook["units__sirene"][1:4] == ("units", "Units: SIRENE", "multiple_choice")
    assert codebook["access__vehicles__label"][2] == "Access: Vehicles (label)"
    assert codebook["staff"][2] == "Staff (persons)"
    assert codebook["has_cms"][4] == "yes=Yes; no=No"
    assert set(codebook) == {"country", "country_name", "status", *header[3:]}


def test_the_shipped_questionnaire_exports(mini):
    definition = shipped("spoc_structures")
    header, rows = round_table(definition, {"BE": {}, "NL": {"avail_247": "yes"}})
    assert len(rows) == 2 and len(header) > 200
    assert len(header) == len(set(header))
    wb = load_workbook(io.BytesIO(round_xlsx(definition, {"BE": {}})))
    assert wb["Questions"].max_row == len(header) + 1
