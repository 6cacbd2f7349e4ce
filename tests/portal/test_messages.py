"""Validation messages say what to type, never a regular expression or a Python type name."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, Field, ValidationError

from portal.messages import plain_message

PATTERN_LIKE = re.compile(r"\^|\$|\[[^\]]*\]|\\\\|pattern|Input should|int_|float_")


class Sample(BaseModel):
    phone: str = Field("+32 2 000", pattern=r"^\+?[0-9 ()./-]+$")
    country: str = Field("BE", pattern=r"^[A-Z]{2}$")
    language: str = Field("", pattern=r"^([a-z]{2})?$")
    count: int = 0
    when: str = Field("x", pattern=r"^x+$")


@pytest.mark.parametrize(("field", "bad", "words"), [
    ("phone", "call me", "A phone number has digits, spaces and + ( ) . / - only."),
    ("country", "Belgium", "two-letter country code"),
    ("language", "English", "two-letter language code"),
    ("count", "many", "whole number"),
    ("when", "y", "not allowed"),
])
def test_each_error_says_what_to_type(field, bad, words):
    with pytest.raises(ValidationError) as caught:
        Sample(**{field: bad})
    (error,) = caught.value.errors()
    text = plain_message(error)
    assert words in text and not PATTERN_LIKE.search(text), text


def test_the_case_api_names_the_phone_rule_in_words(app, make_user):
    from casemgmt.schemas import validate_entity

    entity, errors = validate_entity({"kind": "phone", "number": "ring ring"})
    assert entity is None
    assert errors == {"number": "A phone number has digits, spaces and + ( ) . / - only."}
