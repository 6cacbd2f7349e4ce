"""Question types are one registry of type objects (issue 22, point 4): every type of the file format
has one, and the services (form parsing, validation, display, XLSForm, reports) ask it, not a switch."""

from __future__ import annotations

import re

import pytest

from portal.registry import TypeRegistry
from questionnaires.definitions import QUESTION_TYPES, Question
from questionnaires.question_types import question_type, question_types
from questionnaires.services.display import display_text
from questionnaires.services.form_values import parse_question
from questionnaires.services.validation import shape_error
from reports.frame import CHOICE_TYPES, FREE_TEXT_TYPES


def test_every_type_of_the_format_has_its_object():
    assert set(question_types.names()) == set(QUESTION_TYPES)
    for name in QUESTION_TYPES:
        kind = question_type(name)
        assert kind.name == name and kind.report
        assert all(callable(getattr(kind, a)) for a in ("parse", "check", "display", "xlsform"))


def test_an_unknown_type_and_a_second_registration_are_refused():
    with pytest.raises(KeyError, match="unknown question type 'colour'"):
        question_type("colour")
    types = TypeRegistry("question type")
    types.add("number", question_type("number"))
    with pytest.raises(ValueError, match="registered twice"):
        types.add("number", question_type("text"))


def test_the_reports_kinds_come_from_the_types():
    assert CHOICE_TYPES == ("single_choice", "yes_no", "multiple_choice")
    assert FREE_TEXT_TYPES == ("text", "long_text", "file")


def _q(**kw) -> Question:
    return Question.model_validate({"id": "q1", "label": {"en": "How many?"}, **kw})


@pytest.mark.parametrize(("question", "form", "value", "shown"), [
    (dict(type="number", unit={"en": "officers"}), {"a.q1": ["1 200,0"]}, 1200, "1200 officers"),
    (dict(type="long_text"), {"a.q1": ["two\r\nlines "]}, "two\nlines", "two\nlines"),
    (dict(type="multiple_choice", choices=[{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]),
     {"a.q1": ["b", "a", "b"]}, ["a", "b"], "A; B"),
    (dict(type="ranking", choices=[{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]),
     {"a.q1.rank.1": ["b"], "a.q1.rank.2": ["a"]}, ["b", "a"], "1. B > 2. A"),
    (dict(type="datetime"), {"a.q1": ["2026-05-01T10:30"]}, "2026-05-01T10:30", "2026-05-01 10:30"),
])
def test_a_value_goes_from_the_form_through_validation_to_its_display(question, form, value, shown):
    q = _q(**question)
    parsed, error = parse_question(q, form)
    assert (parsed, error) == (value, None)
    assert shape_error(q, parsed) is None
    assert display_text(q, parsed) == shown


@pytest.mark.parametrize(("question", "value", "message"), [
    (dict(type="number", min=1), 0, "The smallest allowed value is 1."),
    (dict(type="text"), "a\nb", "Enter a single line."),
    (dict(type="date"), "2026-02-30", "Enter a real date as YYYY-MM-DD."),
    (dict(type="time"), "9h", "Enter a time as HH:MM."),
    (dict(type="process"), [{"step": "x"}], "Step 1: missing actor, depends_on, prerequisite, rating, task."),
])
def test_each_type_says_what_is_wrong_in_plain_words(question, value, message):
    assert shape_error(_q(**question), value) == message


def test_a_round_export_takes_each_questions_columns_from_its_type():
    from questionnaires.definitions import Definition
    from questionnaires.round_export import columns

    choices = [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]
    definition = Definition.model_validate({
        "id": "t", "title": {"en": "T"}, "version": 1, "sections": [{"id": "s", "title": {"en": "S"}, "questions": [
            {"id": "rank", "type": "ranking", "label": {"en": "Order"}, "choices": choices},
            {"id": "staff", "type": "number", "label": {"en": "Staff"}, "unit": {"en": "people"}}]}]})
    cols = {c.name: c for c in columns(definition)}
    assert list(cols) == ["rank__a", "rank__b", "rank__labels", "staff"]
    assert cols["rank__b"].value(["b", "a"]) == 1 and cols["staff"].label == "Staff (people)"
    assert cols["staff"].value(12.0) == 12


def test_the_reports_take_each_types_rows_tables_and_chart_from_the_type():
    from questionnaires.question_types import REPORT_TABLES
    from reports.frame import answer_rows
    from reports.report import CHARTS
    from reports.tables import CHOICES, COUNTED, FIGURES, NUMBERS, RANKED

    for name in QUESTION_TYPES:
        kind = question_type(name)
        assert kind.tables <= set(REPORT_TABLES) and kind.chart in ("", *CHARTS)
    assert CHOICES == ("single_choice", "yes_no", "multiple_choice", "ranking", "matrix")
    assert COUNTED == ("single_choice", "yes_no", "multiple_choice", "matrix") and RANKED == ("ranking",)
    assert (NUMBERS, FIGURES) == (("number", "date"), ("number",))
    choices = [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]
    assert answer_rows(_q(type="ranking", choices=choices), ["b", "a"], "en") == [("1", "b", "B"), ("2", "a", "A")]
    assert answer_rows(_q(type="time"), "09:30", "en") == [("", "09:30", "09:30")]
    assert answer_rows(_q(type="number"), True, "en") == [] and answer_rows(_q(type="number"), "7", "en") == [
        ("", 7.0, "7")]
    assert answer_rows(_q(type="calculated", calculation="1 + 2"), 3, "en") == [("", "3", "3")]
    assert answer_rows(_q(type="text"), "", "en") == []


def test_the_xlsform_types_a_marker_may_stand_on_come_from_the_type():
    from questionnaires.question_types import xlsform_types_of

    assert xlsform_types_of("ranking") == {"select_multiple", "rank"}
    assert xlsform_types_of("matrix") == {"begin group"} and xlsform_types_of("long_text") == {"text"}
    assert xlsform_types_of("no_such_type") == frozenset()
    assert all(xlsform_types_of(name) for name in QUESTION_TYPES)


def test_no_module_switches_on_a_question_types_name():
    """The per-type behaviours (asked or computed, carried over, uploaded, demo values, XLSForm rows, a
    matrix's rows left, the format's rules on what a question carries) are on the type objects; a switch on
    a type's name elsewhere, the definition's validation included, fails here."""
    import re
    from pathlib import Path

    import questionnaires
    import reports

    switch = re.compile(r"""\.type\s*(==|!=|\bin\b|\bnot in\b)\s*[\(\[\{]?\s*["']""")
    found = []
    for package in (questionnaires, reports):
        root = Path(package.__file__).parent
        for path in root.rglob("*.py"):
            rel = path.relative_to(root.parent).as_posix()
            if rel.startswith("questionnaires/question_types/"):
                continue  # the types themselves
            text = path.read_text(encoding="utf-8")
            found += [f"{rel}:{text[:m.start()].count(chr(10)) + 1}" for m in switch.finditer(text)]
    assert not found, found


_CHOICES = [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]


@pytest.mark.parametrize(("question", "message"), [
    (dict(type="single_choice"), "question q1 (single_choice) needs choices"),
    (dict(type="ranking"), "question q1 (ranking) needs choices"),
    (dict(type="matrix", choices=_CHOICES), "question q1 (matrix) needs rows"),
    (dict(type="text", variants=[{"value": "v", "label": {"en": "V"}}]),
     "question q1: only a process question has variants"),
    (dict(type="calculated"), "question q1 (calculated) needs a calculation"),
    (dict(type="number", calculation="1 + 1"), "question q1: only a calculated question has a calculation"),
    (dict(type="yes_no", choice_filter="true()"),
     "question q1: only single and multiple choice questions have a choice_filter"),
    (dict(type="ranking", choices=_CHOICES, choice_filter="true()"),
     "question q1: only single and multiple choice questions have a choice_filter"),
    (dict(type="text", step=1), "question q1: step is for number questions and must be above 0"),
    (dict(type="number", step=0), "question q1: step is for number questions and must be above 0"),
])
def test_the_format_s_rules_on_a_question_come_from_its_type(question, message):
    """What a question of each type must or may carry (choices, rows, variants, a calculation, a choice
    filter, a step) is said by its type object; the definition's validation asks it."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        _q(**question)


@pytest.mark.parametrize("question", [
    dict(type="single_choice", choices=_CHOICES, choice_filter="true()"),
    dict(type="multiple_choice", choices=_CHOICES, choice_filter="true()"),
    dict(type="matrix", choices=_CHOICES, rows=[{"value": "r", "label": {"en": "R"}}]),
    dict(type="calculated", calculation="1 + 1"), dict(type="number", step=0.5), dict(type="yes_no"),
])
def test_a_question_that_keeps_the_format_s_rules_is_accepted(question):
    assert _q(**question).type == question["type"]


def test_a_yes_no_question_s_choices_are_its_type_s_own():
    q = _q(type="yes_no")
    assert q.choice_values == ["yes", "no"] and [q.choice_label(v) for v in ("yes", "no", "maybe")] == [
        "Yes", "No", "maybe"]
    chosen = _q(type="single_choice", choices=_CHOICES)
    assert chosen.choice_values == ["a", "b"] and chosen.choice_label("b", "fr") == "B"
