"""XLSForm as people write it: no settings sheet, language names alone, one language only, groups without a
label, cascading choices, range, time, dateTime and calculate, in the import and then in the answering page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from questionnaires.models import Answer
from questionnaires.services.validation import (
    allowed_choices,
    calculated_values,
    effective_answers,
    problems_for_submit,
    value_error,
)
from questionnaires.xlsform import XLSFormError, XLSFormImportError, export_xlsform, import_xlsform
from tests.questionnaires.conftest import form_for, response_url
from tests.questionnaires.test_xlsform import workbook

# --- 11. no settings ------------------------------------------------------------------------------------------


def test_without_a_settings_sheet_the_file_name_gives_the_id_and_title():
    survey = [["type", "name", "label"], ["text", "name", "Name"]]
    definition = import_xlsform(workbook(survey), filename="Household Survey-2024.xlsx")
    assert definition.id == "household_survey_2024" and definition.title == {"en": "Household Survey-2024"}
    # a settings sheet that names neither form_id nor form_title does the same
    settings = [["version", "style"], ["7", "pages"]]
    definition = import_xlsform(workbook(survey, None, settings), filename="C:\\forms\\health.xlsx")
    assert (definition.id, definition.title, definition.version) == ("health", {"en": "health"}, 7)
    # form_title alone names the form, and the file name the id is then not needed
    settings = [["form_title"], ["Clinic visit"]]
    assert import_xlsform(workbook(survey, None, settings), filename="x.xlsx").id == "clinic_visit"


def test_without_settings_or_file_name_the_id_is_asked_for():
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook([["type", "name", "label"], ["text", "a", "A"]]))
    assert exc.value.errors[0].column == "form_id"


# --- 12. languages ------------------------------------------------------------------------------------------

def test_language_columns_named_by_the_language_alone():
    survey = [["type", "name", "label::english", "label:French", "hint::Swahili", "label::Swahili"],
              ["text", "name", "Name", "Nom", "Jina lako", "Jina"]]
    choices = [["list_name", "name", "label::english"], ["l", "a", "A"]]
    definition = import_xlsform(workbook(survey, choices), filename="names.xlsx")
    q = definition.question_map["name"]
    assert q.label == {"en": "Name", "fr": "Nom", "sw": "Jina"} and q.hint == {"sw": "Jina lako"}
    assert definition.languages == ["en", "fr", "sw"]


def test_a_workbook_in_one_language_only_imports_in_that_language():
    survey = [["type", "name", "label::Swahili", "hint::Swahili"],
              ["begin group", "kaya", "Kaya", None],
              ["select_one ndiyo", "maji", "Je, kuna maji?", "Chagua moja"],
              ["end group", None, None, None]]
    choices = [["list_name", "name", "label::Swahili"], ["ndiyo", "ndiyo", "Ndiyo"], ["ndiyo", "hapana", "Hapana"]]
    settings = [["form_title", "form_id"], ["Utafiti wa kaya", "utafiti"]]
    definition = import_xlsform(workbook(survey, choices, settings))
    assert definition.languages == ["sw"] and definition.primary_language == "sw"
    assert definition.title == {"sw": "Utafiti wa kaya"}
    assert definition.sections[0].title == {"sw": "Kaya"}
    q = definition.question_map["maji"]
    assert q.label == {"sw": "Je, kuna maji?"} and q.choices[1].label == {"sw": "Hapana"}
    assert import_xlsform(export_xlsform(definition)) == definition
    # a label missing in that language is named in it
    survey[2][2] = None
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook(survey, choices, settings))
    assert exc.value.errors == [XLSFormError("survey", 3, "label::Swahili", "a question needs a label in Swahili "
                                             "(column label or label::Swahili (sw))")]


def test_a_top_level_group_without_a_label_is_a_section_titled_from_its_name():
    survey = [["type", "name", "label"], ["begin group", "household_info", None], ["text", "a", "A"],
              ["end group", None, None]]
    definition = import_xlsform(workbook(survey), filename="f.xlsx")
    assert [(s.id, s.title) for s in definition.sections] == [("household_info", {"en": "Household info"})]


# --- 13. cascading choices, range, time, dateTime, calculate -----------------------------------------------

CASCADE_SURVEY = [
    ["type", "name", "label", "choice_filter", "parameters", "calculation", "relevant"],
    ["select_one states", "state", "State", None, None, None, None],
    ["select_one counties", "county", "County", "state=${state}", None, None, None],
    ["select_multiple cities", "cities", "Cities", "county = ${county} and big = 'yes'", None, None, None],
    ["range", "rating", "Rating", None, "start=0 end=10 step=2", None, None],
    ["range", "share", "Share", None, "start=0;end=1;step=0.25", None, None],
    ["time", "opens", "Opening time", None, None, None, None],
    ["dateTime", "visited", "Visited at", None, None, None, None],
    ["integer", "staff", "Staff", None, None, None, None],
    ["integer", "messages", "Messages a year", None, None, None, None],
    ["calculate", "per_staff", "Messages per staff", None, None, "${messages} div ${staff}", None],
    ["calculate", "busy", None, None, None, "if(${per_staff} > 100, 'busy', 'calm')", "${staff} > 0"],
]
CASCADE_CHOICES = [
    ["list_name", "name", "label", "state", "county", "big"],
    ["states", "texas", "Texas", None, None, None],
    ["states", "washington", "Washington", None, None, None],
    ["counties", "king", "King", "washington", None, None],
    ["counties", "pierce", "Pierce", "washington", None, None],
    ["counties", "cameron", "Cameron", "texas", None, None],
    ["cities", "seattle", "Seattle", None, "king", "yes"],
    ["cities", "redmond", "Redmond", None, "king", "no"],
    ["cities", "tacoma", "Tacoma", None, "pierce", "yes"],
]


@pytest.fixture
def cascade():
    return import_xlsform(workbook(CASCADE_SURVEY, CASCADE_CHOICES), filename="cascade.xlsx")


def test_the_new_types_import(cascade):
    q = cascade.question_map
    assert q["county"].choice_filter == "${choice.state}=${state}"
    assert [c.filters for c in q["county"].choices] == [{"state": "washington"}, {"state": "washington"},
                                                        {"state": "texas"}]
    assert q["cities"].choice_filter == "${choice.county} = ${county} and ${choice.big} = 'yes'"
    assert (q["rating"].type, q["rating"].min, q["rating"].max, q["rating"].step, q["rating"].integer) == \
        ("number", 0, 10, 2, True)
    assert (q["share"].max, q["share"].step, q["share"].integer) == (1, 0.25, False)
    assert (q["opens"].type, q["visited"].type) == ("time", "datetime")
    assert (q["per_staff"].type, q["per_staff"].calculation) == ("calculated", "${messages} div ${staff}")
    assert q["busy"].label == {"en": "busy"}  # a calculate row without a label shows its name


def test_the_new_types_export_and_come_back(cascade, tmp_path):
    data = export_xlsform(cascade)
    assert import_xlsform(data) == cascade
    from pyxform.xls2xform import convert

    path = tmp_path / "cascade.xlsx"
    path.write_bytes(data)
    xform = convert(xlsform=str(path), validate=False).xform
    assert "instance('county')/root/item[state= /data/general/state ]" in xform
    assert "instance('cities')/root/item[county =  /data/general/county  and big = 'yes']" in xform
    assert 'type="time"' in xform and 'type="dateTime"' in xform
    assert 'calculate=" /data/general/messages  div  /data/general/staff "' in xform


def test_the_server_offers_only_the_choices_the_filter_keeps(cascade):
    county, cities = cascade.question_map["county"], cascade.question_map["cities"]
    assert [c.value for c in allowed_choices(county, {"state": "washington"})] == ["king", "pierce"]
    assert allowed_choices(county, {}) == []
    assert [c.value for c in allowed_choices(cities, {"county": "king"})] == ["seattle"]
    assert value_error(county, "cameron", {"state": "washington"}) == \
        "This option is not offered for your earlier answers: choose again."
    assert value_error(county, "king", {"state": "washington"}) is None
    assert value_error(cities, ["seattle", "redmond"], {"county": "king"}) is not None


@pytest.mark.parametrize("qid, value, message", [
    ("rating", 3, "Choose a value in steps of 2 from 0."), ("rating", 12, "The largest allowed value is 10."),
    ("share", 0.3, "Choose a value in steps of 0.25 from 0."), ("opens", "25:00", "Enter a real time as HH:MM."),
    ("opens", "9h", "Enter a time as HH:MM."), ("visited", "2025-02-30T10:00", "Enter a real date and time as "
                                                                             "YYYY-MM-DDTHH:MM."),
    ("visited", "2025-02-03", "Enter a date and time as YYYY-MM-DDTHH:MM."),
    ("per_staff", 5, "This value is calculated; it cannot be answered."),
])
def test_values_of_the_new_types_are_checked(cascade, qid, value, message):
    assert value_error(cascade.question_map[qid], value, {}) == message


@pytest.mark.parametrize("qid, value", [("rating", 4), ("share", 0.75), ("opens", "08:30"),
                                        ("visited", "2025-02-03T10:15")])
def test_good_values_of_the_new_types(cascade, qid, value):
    assert value_error(cascade.question_map[qid], value, {}) is None


def test_calculated_values_follow_the_answers_in_document_order(cascade):
    answers = {"staff": 4, "messages": 1000}
    assert calculated_values(cascade, answers) == {"per_staff": 250, "busy": "busy"}
    assert effective_answers(cascade, answers) == {**answers, "per_staff": 250, "busy": "busy"}
    assert calculated_values(cascade, {"staff": 0, "messages": 10}) == {"per_staff": None, "busy": None}
    assert calculated_values(cascade, {"staff": 3, "messages": 10}) == {"per_staff": 3.333333, "busy": "calm"}
    # a calculated value is never asked for
    assert [p.question_id for p in problems_for_submit(cascade, {"state": "texas", "county": "king"})] == ["county"]


def test_the_answering_page_filters_choices_and_shows_the_calculation(login_as, open_mini, cascade, db):
    rid = open_mini(definition=cascade.model_dump(mode="json", exclude_defaults=True))
    c, _ = login_as("respondent", "BE")
    r = c.post_form(response_url(rid), form_for({"state": "washington", "staff": "4", "messages": "1000",
                                                 "opens": "08:30", "visited": "2025-02-03T10:15"}))
    assert r.status_code == 302
    page = c.get(response_url(rid)).get_data(as_text=True)
    # the counties of Texas are hidden, Washington's shown; each option carries its columns for the page's filter
    assert re.search(r'<div class="form-check" data-choice="[^"]*&#34;choice.state&#34;: &#34;texas&#34;[^"]*" hidden>',
                     page)
    assert len(re.findall(r'data-choice="[^"]*washington[^"]*">', page)) == 2
    assert 'data-choice-filter="${choice.state}=${state}"' in page
    assert re.search(r'<output[^>]*id="a-per_staff"[^>]*>250</output>', page)
    assert re.search(r'<output[^>]*id="a-busy"[^>]*>busy</output>', page)
    assert 'type="time"' in page and 'value="08:30"' in page and 'type="datetime-local"' in page
    assert "From 0 to 10, whole numbers, in steps of 2." in page
    # a county of another state is refused beside the field, and nothing is saved
    r = c.post_form(response_url(rid), form_for({"state": "washington", "county": "cameron"}))
    assert r.status_code == 422 and "This option is not offered for your earlier answers" in r.get_data(as_text=True)
    r = c.post_form(response_url(rid), form_for({"county": "king", "per_staff": "7"}))
    assert r.status_code == 302
    db.rollback()
    stored = {a.question_id: a.value for a in db.scalars(select(Answer))}
    assert stored["county"] == "king" and "per_staff" not in stored  # a calculated value is never stored


def test_repeats_and_geo_types_stay_refused_naming_sheet_row_and_column():
    survey = [["type", "name", "label", "repeat_count"], ["begin repeat", "members", "Members", "3"],
              ["text", "member", "Member", None], ["end repeat", None, None, None], ["geopoint", "where", "Where", None],
              ["geotrace", "path", "Path", None]]
    with pytest.raises(XLSFormImportError) as exc:
        import_xlsform(workbook(survey), filename="f.xlsx")
    where = [(e.sheet, e.row, e.column) for e in exc.value.errors]
    assert where == [("survey", 2, "repeat_count"), ("survey", 2, "type"), ("survey", 4, "type"), ("survey", 5, "type"),
                     ("survey", 6, "type")]
    assert all("repeats" in e.message for e in exc.value.errors[:3])
    assert all("geographic types" in e.message for e in exc.value.errors[3:])
