"""XLSForm import and export: shipped questionnaires round-trip, a KoboToolbox-style form imports, errors name cells."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from questionnaires.definitions import load_definition, shipped
from questionnaires.xlsform import (
    XLSFormError,
    XLSFormImportError,
    export_xlsform,
    import_xlsform,
    import_xlsform_file,
)
from questionnaires.xlsform.importer import derive_version, slug_of
from tests.questionnaires.conftest import MINI


def workbook(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None) -> bytes:
    """An .xlsx built the way a person or KoboToolbox would: each sheet's first row is its header."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is not None:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_rows(data: bytes, title: str) -> list[dict]:
    ws = load_workbook(io.BytesIO(data))[title]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def definitions():
    return [shipped("spoc_structures"), shipped("training_feedback"), load_definition(MINI)]


# --- round trip --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("definition", definitions(), ids=lambda d: d.id)
def test_export_then_import_gives_the_same_definition(definition):
    back = import_xlsform(export_xlsform(definition))
    assert back == definition
    assert back.content_hash() == definition.content_hash()


@pytest.mark.parametrize("definition", definitions(), ids=lambda d: d.id)
def test_pyxform_the_reference_converter_accepts_the_export(definition, tmp_path):
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xlsx"
    path.write_bytes(export_xlsform(definition))
    result = convert(xlsform=str(path), validate=False)
    assert result.warnings == []
    assert f'id="{definition.id}"' in result.xform
    # The French labels reach the XForm's translations.
    if "fr" in definition.languages:
        assert 'lang="French (fr)"' in result.xform


def test_export_maps_our_types_to_xlsform():
    data = export_xlsform(load_definition(MINI))
    rows = {r["name"]: r for r in sheet_rows(data, "survey") if r["name"]}
    assert rows["basics"]["type"] == "begin group"
    assert rows["basics"]["label::French (fr)"] == "Bases"
    assert rows["has_cms"]["type"] == "select_one yes_no"
    assert rows["has_cms"]["spoc_type"] == "yes_no"
    assert rows["has_cms"]["label::French (fr)"] == "Y a-t-il un SGC ?"
    assert rows["notes"]["type"] == "text" and rows["notes"]["appearance"] == "multiline"
    assert rows["staff"]["type"] == "integer"
    assert rows["staff"]["constraint"] == ". >= 0 and . <= 500"
    assert json.loads(rows["staff"]["spoc_meta"]) == {"min": 0, "max": 500, "unit": {"en": "persons"},
                                                      "constraint": None}
    # The question's own constraint and its min are both enforced by other tools; ours restores them apart.
    assert rows["night"]["type"] == "decimal"
    assert rows["night"]["constraint"] == "(${staff} = '' or . <= ${staff}) and . >= 0"
    assert rows["night"]["constraint_message::English (en)"] == "Not more than the whole staff."
    assert rows["cms_name"]["relevant"] == "${has_cms} = 'yes'" and rows["cms_name"]["required"] == "yes"
    assert rows["access"]["type"] == "begin group" and rows["access"]["spoc_type"] == "matrix"
    assert rows["access__police"]["type"] == rows["access__vehicles"]["type"] == "select_one access"
    assert rows["access__police"]["label::English (en)"] == "Police records"
    assert rows["formats"]["type"] == "select_multiple formats" and rows["formats"]["spoc_type"] == "ranking"
    assert rows["chart"]["type"] == "file"
    assert json.loads(rows["chart"]["spoc_meta"]) == {"max_size_mb": 1, "accept": ["application/pdf"]}
    assert rows["intake"]["type"] == "text" and rows["intake"]["spoc_type"] == "process"

    choices = sheet_rows(data, "choices")
    assert {"list_name": "yes_no", "name": "no", "label::English (en)": "No", "label::French (fr)": "Non"} in choices
    settings = sheet_rows(data, "settings")[0]
    assert settings["form_id"] == "mini" and settings["version"] == 1
    assert settings["default_language"] == "English (en)"
    assert json.loads(settings["spoc_meta"])["title"]["fr"] == "Mini questionnaire (FR)"


def test_identical_choice_lists_are_written_once():
    data = export_xlsform(shipped("training_feedback"))
    types = {r["name"]: r["type"] for r in sheet_rows(data, "survey")}
    assert types["overall_rating"] == types["trainer_rating"] == "select_one overall_rating"
    assert sum(1 for r in sheet_rows(data, "choices") if r["list_name"] == "overall_rating") == 5


def test_edits_made_in_the_sheet_come_through():
    data = export_xlsform(load_definition(MINI))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["survey"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["name"].value == "has_cms":
            cells["label::French (fr)"].value = "Existe-t-il un SGC ?"
        if cells["name"].value == "staff":
            cells["constraint"].value = ". >= 1"
    out = io.BytesIO()
    wb.save(out)
    back = import_xlsform(out.getvalue())
    assert back.question_map["has_cms"].label == {"en": "Is there a CMS?", "fr": "Existe-t-il un SGC ?"}
    staff = back.question_map["staff"]
    assert (staff.constraint, staff.min, staff.max) == (". >= 1", 0, 500)


def test_text_that_looks_like_a_formula_is_neutralised_and_still_round_trips():
    data = dict(MINI, sections=[dict(MINI["sections"][0], title={"en": "=HYPERLINK(\"http://x.invalid\")"})])
    definition = load_definition(data)
    exported = export_xlsform(definition)
    ws = load_workbook(io.BytesIO(exported))["survey"]
    cell = ws["C2"]
    assert cell.value == "'=HYPERLINK(\"http://x.invalid\")" and cell.data_type == "s"
    assert import_xlsform(exported) == definition


# --- a form written elsewhere ------------------------------------------------------------------------------

KOBO_SURVEY = [
    ["type", "name", "label::English (en)", "label::French (fr)", "hint::English (en)", "hint::fr", "required",
     "relevant", "constraint", "constraint_message::English (en)", "appearance", "$kuid"],
    ["start", "start", None, None, None, None, None, None, None, None, None, "a1"],
    ["end", "end", None, None, None, None, None, None, None, None, None, "a2"],
    ["note", "intro", "Please answer for your SPOC.", "Veuillez répondre pour votre SPOC.", None, None, None, None,
     None, None, None, "a3"],
    ["select_one yes_no", "has_spoc", "Is there a SPOC?", "Y a-t-il un SPOC ?", None, None, True, None, None, None,
     None, "a4"],
    ["begin_group", "staffing", "Staffing", "Effectifs", None, None, None, "${has_spoc} = 'yes'", None, None,
     "field-list", "a5"],
    ["integer", "staff", "Number of staff", "Effectif", "Head count", "Personnes", "yes", None,
     ". >= 0 and . <= 500", "Between 0 and 500", None, "a6"],
    ["decimal", "budget", "Budget (million EUR)", None, None, None, None, None, ". > 0", None, None, "a7"],
    ["begin group", "night", "Night shift", None, None, None, None, "${staff} > 10", None, None, None, "a8"],
    ["select_multiple shifts", "night_roles", "Roles at night", None, None, None, "1", "${budget} != ''", None,
     None, "minimal", "a9"],
    ["end group", None, None, None, None, None, None, None, None, None, None, "a10"],
    ["text", "comments", "Comments", None, None, None, None, None, None, None, "multiline", "a11"],
    ["end_group", None, None, None, None, None, None, None, None, None, None, "a12"],
    ["date", "reference_date", "Reference date", None, None, None, "TRUE", None, None, None, None, "a13"],
    ["text", "contact", "Contact", None, None, None, "no", "not(${has_spoc} = 'no')", None, None, None, "a14"],
    [None, None, None, None, None, None, None, None, None, None, None, "a15"],
]
KOBO_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::French (fr)"],
    ["yes_no", "yes", "Yes", "Oui"],
    ["yes_no", "no", "No", "Non"],
    ["shifts", 1, "Operator", "Opérateur"],
    ["shifts", 2, "Supervisor", None],
    ["unused", "x", "Never used", None],
]
KOBO_SETTINGS = [["form_title", "form_id", "version", "default_language", "style"],
                 ["SPOC quick survey", "SPOC-Quick_Survey", "2024031501", "English (en)", "pages"]]

KOBO_EXPECTED = {
    "id": "spoc_quick_survey", "version": 2024031501, "title": {"en": "SPOC quick survey"}, "languages": ["en", "fr"],
    "sections": [
        {"id": "general", "title": {"en": "General"},
         "description": {"en": "Please answer for your SPOC.", "fr": "Veuillez répondre pour votre SPOC."},
         "questions": [
             {"id": "has_spoc", "type": "single_choice", "required": True,
              "label": {"en": "Is there a SPOC?", "fr": "Y a-t-il un SPOC ?"},
              "choices": [{"value": "yes", "label": {"en": "Yes", "fr": "Oui"}},
                          {"value": "no", "label": {"en": "No", "fr": "Non"}}]}]},
        {"id": "staffing", "title": {"en": "Staffing", "fr": "Effectifs"}, "relevant": "${has_spoc} = 'yes'",
         "questions": [
             {"id": "staff", "type": "number", "integer": True, "required": True,
              "label": {"en": "Number of staff", "fr": "Effectif"}, "hint": {"en": "Head count", "fr": "Personnes"},
              "constraint": ". >= 0 and . <= 500", "constraint_message": {"en": "Between 0 and 500"}},
             {"id": "budget", "type": "number", "label": {"en": "Budget (million EUR)"}, "constraint": ". > 0"},
             {"id": "night_roles", "type": "multiple_choice", "required": True, "label": {"en": "Roles at night"},
              "relevant": "(${staff} > 10) and (${budget} != '')",
              "choices": [{"value": "1", "label": {"en": "Operator", "fr": "Opérateur"}},
                          {"value": "2", "label": {"en": "Supervisor"}}]},
             {"id": "comments", "type": "long_text", "label": {"en": "Comments"}}]},
        {"id": "general_2", "title": {"en": "General"}, "questions": [
            {"id": "reference_date", "type": "date", "required": True, "label": {"en": "Reference date"}},
            {"id": "contact", "type": "text", "label": {"en": "Contact"}, "relevant": "not(${has_spoc} = 'no')"}]},
    ],
}


def test_a_kobotoolbox_style_form_imports_into_the_expected_definition():
    definition = import_xlsform(workbook(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS))
    assert definition == load_definition(KOBO_EXPECTED)


def test_import_from_a_file_and_with_our_own_questionnaire_id(tmp_path):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(workbook(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS))
    assert import_xlsform_file(path).id == "spoc_quick_survey"
    assert import_xlsform(path.read_bytes(), questionnaire_id="spoc_quick").id == "spoc_quick"


def test_plain_label_column_is_the_default_language_and_short_language_columns_work():
    survey = [["type", "name", "label", "label::English", "hint::en"],
              ["text", "nom", "Nom du SPOC", "Name of the SPOC", "Official name"]]
    settings = [["form_title", "form_id", "default_language"], ["Formulaire", "formulaire", "French (fr)"]]
    definition = import_xlsform(workbook(survey, None, settings))
    q = definition.question_map["nom"]
    assert q.label == {"fr": "Nom du SPOC", "en": "Name of the SPOC"}
    assert q.hint == {"en": "Official name"}
    assert definition.languages == ["en", "fr"]


def test_a_flat_form_without_settings_or_groups_needs_only_a_questionnaire_id():
    survey = [["type", "name", "label"], ["text", "name", "Name"], ["integer", "age", "Age"]]
    definition = import_xlsform(workbook(survey), questionnaire_id="flat")
    assert [s.id for s in definition.sections] == ["general"]
    assert [(q.id, q.type, q.integer) for q in definition.questions] == [("name", "text", False),
                                                                        ("age", "number", True)]
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook(survey))
    assert exc.value.errors == [XLSFormError("settings", None, "form_id", "the settings sheet gives neither "
                                             "form_id nor form_title (or import with a questionnaire id)")]


def test_a_matrix_without_our_marker_imports_as_separate_questions():
    data = export_xlsform(load_definition(MINI))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["survey"]
    col = [c.value for c in ws[1]].index("spoc_type")
    ws.delete_cols(col + 1, 2)  # what a tool that drops unknown columns would hand back
    out = io.BytesIO()
    wb.save(out)
    back = import_xlsform(out.getvalue())
    types = {q.id: q.type for q in back.questions}
    assert types["access__police"] == types["access__vehicles"] == "single_choice"
    assert types["has_cms"] == "single_choice" and types["formats"] == "multiple_choice"
    assert types["intake"] == "text" and types["notes"] == "long_text"
    assert back.question_map["access__police"].relevant is None
    assert back.question_map["staff"].constraint == ". >= 0 and . <= 500"


# --- errors ---------------------------------------------------------------------------------------------------

BROKEN_SURVEY = [
    ["type", "name", "label", "relevant", "constraint", "required", "choice_filter", "label::Elvish"],
    ["geopoint", "where", "Where?", None, None, None, None, None],
    ["calculate", "total", None, None, None, None, None, None],
    ["select_one nolist", "q1", "Q1", None, None, None, None, None],
    ["text", "q1", "Again", None, None, None, None, None],
    ["text", "q2", None, None, None, None, None, None],
    ["text", "q3", "Q3", "regex(., 'x')", None, None, None, None],
    ["text", "q4", "Q4", "${nope} = 'x'", None, None, None, None],
    ["select_one colours", "q5", "Q5", None, None, None, "colour=${q4}", None],
    ["text", "q6", "Q6", None, None, "maybe", None, None],
    ["text", "Bad-Name", "Bad", None, None, None, None, None],
    ["begin group", "grp", "Group", None, None, None, None, None],
    ["integer", "q7", "Q7", None, ". > ${grp}", None, None, None],
    ["note", "tip", "Shown only sometimes", "${q6} = 'x'", None, None, None, None],
    [None, "q8", "No type", None, None, None, None, None],
]
BROKEN_CHOICES = [
    ["list_name", "name", "label"],
    ["colours", "red", "Red"],
    [None, "blue", "Blue"],
    ["colours", "red", "Red again"],
    ["colours", "green", None],
    ["colours", "light green", "Light green"],
]


def test_every_problem_is_reported_with_its_sheet_row_and_column():
    settings = [["form_title", "form_id"], ["Broken", "broken"]]
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook(BROKEN_SURVEY, BROKEN_CHOICES, settings))
    where = [(e.sheet, e.row, e.column) for e in exc.value.errors]
    assert where == [
        ("survey", 1, "label::Elvish"),
        ("survey", 2, "type"), ("survey", 3, "calculation"), ("survey", 4, "type"), ("survey", 5, "name"),
        ("survey", 6, "label"), ("survey", 7, "relevant"), ("survey", 8, "relevant"), ("survey", 9, "choice_filter"),
        ("survey", 10, "required"), ("survey", 11, "name"), ("survey", 12, "type"), ("survey", 13, "constraint"),
        ("survey", 14, "relevant"), ("survey", 15, "type"),
        ("choices", 3, "list_name"), ("choices", 4, "name"), ("choices", 5, "label"), ("choices", 6, "name"),
    ]
    messages = {(e.row, e.column): e.message for e in exc.value.errors if e.sheet == "survey"}
    assert "geographic types (geopoint, geotrace, geoshape) are not supported" in messages[2, "type"]
    assert messages[3, "calculation"] == "a calculate row needs a calculation"
    assert "'nolist' is not on the choices sheet" in messages[4, "type"]
    assert "already used on row 4" in messages[5, "name"]
    assert "needs a label in English" in messages[6, "label"]
    assert "unknown function 'regex'" in messages[7, "relevant"]
    assert messages[8, "relevant"] == "refers to ${nope}, but there is no question named 'nope'"
    assert messages[9, "choice_filter"] == "the choices of 'colours' have no column 'colour'"
    assert "'maybe'" in messages[10, "required"]
    assert "lower-case letters" in messages[11, "name"]
    assert "no matching end group" in messages[12, "type"]
    assert messages[13, "constraint"] == "refers to ${grp}, which is a group, not a question"
    assert "always shown" in messages[14, "relevant"]
    text = str(exc.value)
    assert text.startswith("The XLSForm cannot be imported (problems: 19):")
    assert "- sheet 'survey', row 7, column 'relevant': cannot read the expression" in text
    assert "- sheet 'choices', row 3, column 'list_name': the choice has no list_name" in text


def test_an_unknown_language_name_in_the_settings_is_reported():
    survey = [["type", "name", "label"], ["text", "a", "A"]]
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook(survey, None, [["form_id", "default_language"], ["x", "Elvish"]]))
    assert [(e.sheet, e.row, e.column) for e in exc.value.errors] == [("settings", 2, "default_language")]


@pytest.mark.parametrize("data, message", [
    (b"not a workbook", "not an Excel .xlsx workbook"),
    (workbook([["type", "name", "label"]]), "the survey has no question"),
])
def test_what_is_not_an_xlsform_gets_one_clear_error(data, message):
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(data, questionnaire_id="x")
    assert len(exc.value.errors) == 1 and message in exc.value.errors[0].message


def test_a_workbook_without_a_survey_sheet():
    wb = Workbook()
    wb.active.title = "Sheet1"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(XLSFormImportError, match="no 'survey' sheet"):
        import_xlsform(out.getvalue())


def test_a_broken_matrix_marker_is_reported():
    data = export_xlsform(load_definition(MINI))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["survey"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["name"].value == "access__vehicles":
            cells["name"].value = "vehicles"
        if cells["name"].value == "units":
            cells["spoc_type"].value = "date"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(out.getvalue())
    assert [(e.column, e.message) for e in exc.value.errors] == [
        ("spoc_type", "'date' does not go with the XLSForm type 'select_multiple'"),
        ("name", "a matrix row is named access__<row value>"),
    ]


def test_only_a_matrix_marker_stands_on_a_group():
    data = export_xlsform(load_definition(MINI))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["survey"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["spoc_type"].value == "matrix":
            cells["spoc_type"].value = "ranking"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(out.getvalue())
    assert ("spoc_type", "'ranking' cannot stand on a group (only matrix can)") in [
        (e.column, e.message) for e in exc.value.errors]


@pytest.mark.parametrize("text, number", [("2024031501", 2024031501), ("v3", 3), ("1 (2021-03-01 10:00)", 1),
                                          ("vQx9", 1), ("", 1), ("0", 1), ("99999999999", 1)])
def test_version_is_derived_from_free_text(text, number):
    assert derive_version(text) == number


@pytest.mark.parametrize("text, slug", [("SPOC-Survey 2024", "spoc_survey_2024"), ("2024 survey", "form_2024_survey"),
                                        ("aBc", "abc")])
def test_form_id_becomes_a_slug(text, slug):
    assert slug_of(text) == slug


def test_a_sheet_with_too_many_rows_is_refused():
    survey = [["type", "name", "label"], *(["text", f"q{i}", "Q"] for i in range(5001))]
    with pytest.raises(XLSFormImportError, match="more than 5000 rows"):
        import_xlsform(workbook(survey), questionnaire_id="big")


_TYPES = ["text", "integer", "note", "begin group", "end group", "select_one yes_no", "select_multiple l",
          "calculate", "geopoint", "rank l", "", "select_one", "date"]
_TEXTS = st.one_of(st.none(), st.sampled_from(["", "a", "yes", "1", "${a}", "${a} = 'yes'", ". > 1", "selected(",
                                                "{", '{"min": "x"}', "matrix", "a__b", "=1+1", "'=x"]),
                   st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), st.integers(-5, 5),
                   st.booleans())


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(_TYPES), st.sampled_from(["a", "b", "c", "a__b", "B", ""]),
                               _TEXTS, _TEXTS, _TEXTS, _TEXTS, _TEXTS), max_size=8))
def test_any_survey_gives_a_definition_or_our_error(rows):
    survey = [["type", "name", "label", "relevant", "required", "spoc_type", "spoc_meta"], *map(list, rows)]
    choices = [["list_name", "name", "label"], ["l", "x", "X"], ["yes_no", "yes", "Yes"]]
    try:
        definition = import_xlsform(workbook(survey, choices), questionnaire_id="fuzz")
    except XLSFormImportError as exc:
        assert exc.errors and all(isinstance(e, XLSFormError) for e in exc.errors)
    else:
        assert import_xlsform(export_xlsform(definition)) == definition


def test_uploaded_workbooks_are_parsed_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl then refuses entity expansion (billion laughs) in the XML parts


def test_an_xlsform_bomb_is_refused_without_reading_its_huge_cell(tmp_path):
    from tests.portal.zip_bombs import peak_growth_mb, write_xlsform_bomb

    bomb = write_xlsform_bomb(tmp_path / "form.xlsx", cell_mb=300)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    grew, result = peak_growth_mb(
        "from questionnaires.xlsform import XLSFormImportError, import_xlsform\n"
        "try:\n"
        "    import_xlsform(data, questionnaire_id='x')\n"
        "    result = 'imported'\n"
        "except XLSFormImportError as exc:\n"
        "    result = exc\n", bomb)
    assert "unpacks to more than 20 MB" in result
    assert grew < 100, f"importing the bomb raised the peak memory by {grew:.0f} MB"


def test_a_cell_longer_than_the_limit_is_reported_where_it_is():
    from questionnaires.xlsform.workbook import MAX_CELL_CHARS

    survey = [["type", "name", "label"], ["text", "a", "A" * (MAX_CELL_CHARS + 1)], ["text", "b", "B"]]
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook(survey), questionnaire_id="x")
    found = [(e.sheet, e.row, e.column) for e in exc.value.errors]
    assert ("survey", 2, "label") in found
    assert "10,001 characters" in str(exc.value)
