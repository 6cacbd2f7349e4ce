"""The shipped questionnaire speaks the Council's three procedural languages: every text a respondent reads
(section titles and descriptions; each question's label, hint, unit and constraint message; its choices, rows,
suggested steps and variants) has a French and a German version (issue 20, part A)."""

from __future__ import annotations

import pytest

from questionnaires.definitions import shipped

LANGUAGES = ("fr", "de")


def _texts(definition):
    """(where, text) of everything the answering page, the PDF and the report may show."""
    yield "title", definition.title
    for section in definition.sections:
        yield f"section {section.id}: title", section.title
        if section.description:
            yield f"section {section.id}: description", section.description
        for q in section.questions:
            for attr in ("label", "hint", "unit", "constraint_message"):
                if getattr(q, attr):
                    yield f"{q.id}: {attr}", getattr(q, attr)
            for kind in ("choices", "rows", "steps", "variants"):
                for c in getattr(q, kind):
                    yield f"{q.id}: {kind} {c.value}", c.label
    for cap in definition.capabilities:
        yield f"capability {cap.key}", cap.label
    if definition.maturity:
        yield "maturity: description", definition.maturity.description


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_of_the_shipped_questionnaire_has_french_and_german(lang):
    definition = shipped("spoc_structures")
    assert lang in definition.languages
    lacking = [where for where, text in _texts(definition) if not (text.get(lang) or "").strip()]
    assert lacking == [], f"{len(lacking)} texts lack {lang}: {lacking[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_question_labels_are_translated_not_copied(lang):
    """A label left in English under 'fr' or 'de' would pass the test above: labels must differ from English."""
    definition = shipped("spoc_structures")
    copied = [q.id for q in definition.questions if q.label[lang].strip() == q.label["en"].strip()]
    assert copied == []
