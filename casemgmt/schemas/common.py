"""Shared pieces of the case-management schemas: country codes, trimmed text, strict models."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
)

from casemgmt.models import EntityKind
from portal.enums import say, translated
from portal.messages import plain_message

CountryCode = Annotated[str, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
                        StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
_DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _msg(error: dict) -> str:
    """One pydantic error as a sentence in the reader's language (a check's ValueError message is marked N_
    where it is raised and looked up here)."""
    msg = error["msg"]
    if error["type"] == "union_tag_invalid":
        return say("kind must be one of %(kinds)s", kinds=", ".join(k.value for k in EntityKind))
    if error["type"] == "union_tag_not_found":
        return say("each entity needs a kind")
    return translated(plain_message(error)) if msg else msg
