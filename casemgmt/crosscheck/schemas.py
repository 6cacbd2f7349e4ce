"""What the JSON API says of a case's cross-check: the latest run, its hits and a decision on a hit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class RunOut(BaseModel):
    id: int
    status: str = Field(description="pending, done or failed")
    trigger: str = Field(description="intake, on_demand, edit (the case's persons or objects changed) or new_data (reference data loaded)")
    started_at: dt.datetime
    finished_at: dt.datetime | None
    queries: int = Field(description="entities of the case searched")
    hits: int
    sources: list[str] = Field(description="cases, dataset:NAME, external:NAME")


class DecisionOut(BaseModel):
    status: str = Field(description="unreviewed, confirmed or rejected")
    note: str
    decided_at: dt.datetime | None


class HitOut(BaseModel):
    id: int
    level: str = Field(description="strong or possible")
    score: float = Field(description="0-1; the page shows it as a percentage")
    query: str = Field(description="the entity of this case")
    matched: str = Field(description="what it matched")
    source: str
    matched_case: str | None = Field(description="registration number of the matched case of the same SPOC")
    reasons: list[str]
    decision: DecisionOut


class ExpiredDatasetOut(BaseModel):
    name: str
    expires_on: dt.date
    legal_basis: str
    owner: str


class CrossCheckOut(BaseModel):
    registration_number: str
    run: RunOut | None = Field(description="the latest run; null when never run")
    pending: bool
    strong: int
    unreviewed_strong: int = Field(description="strong hits to confirm or reject before dissemination")
    hits: list[HitOut] = Field(description="the hits found by the latest run, best score first, as on the page")
    expired_datasets: list[ExpiredDatasetOut] = Field(
        default=[], description="the SPOC's reference data sets past their expiry date: no longer searched")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirmed", "rejected", "unreviewed"]
    note: Annotated[str, Field(max_length=2000)] = ""


EXAMPLE = {"decision": "confirmed", "note": "same passport number in both requests"}
