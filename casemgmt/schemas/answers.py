"""The API's answers: intake results, case lists and cases, exchanges, Art. 18 figures."""

from __future__ import annotations

import datetime as dt

from pydantic import (
    BaseModel,
    Field,
)


class PossibleDuplicate(BaseModel):
    registration_number: str
    exchange: str | None
    reason: str


class IntakeResponse(BaseModel):
    registration_number: str
    case_id: int
    exchange: str | None = Field(description="the exchange the message opened or was filed into, CC-YYYY-NNNNNN/n")
    due_at: dt.datetime | None = Field(description="the exchange's Art. 5(1) deadline; null without a legal clock")
    legal_framework: str | None
    duplicate_of: str | None = Field(description="an exact repeat of a message already registered: that case")
    attached_to: str | None = Field(description="an answer filed into the open exchange it quotes")
    possible_duplicates: list[PossibleDuplicate] = Field(
        description="a new request that quotes a known reference or registration number: the officer confirms "
                    "or dismisses each suggestion")


class CaseSummary(BaseModel):
    registration_number: str
    case_id: int
    status: str
    subject: str
    channel: str
    counterpart_country: str | None
    urgent: bool
    priority: int
    received_at: dt.datetime
    due_at: dt.datetime | None = Field(description="the first exchange's Art. 5(1) deadline; null without one")
    merged_into: str | None


class CaseList(BaseModel):
    items: list[CaseSummary]
    next_after: str | None = Field(description="pass as `after` to get the next page; null on the last page")


class MessageOut(BaseModel):
    id: int
    direction: str
    type: str
    channel: str
    at: dt.datetime
    external_reference: str
    subject: str
    counterpart_country: str | None


class EntityOut(BaseModel):
    kind: str
    id: int
    label: str
    flagged_inaccurate: bool
    flag_reason: str


class ExchangeOut(BaseModel):
    id: str = Field(description="CC-YYYY-NNNNNN/n")
    direction: str
    type: str
    legal_framework: str
    counterpart: dict
    channel: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    target_at: dt.datetime | None
    state: str
    outcome: str | None
    late: bool
    art5_2_deviation: bool
    possible_duplicates: list[PossibleDuplicate]




class CaseDetail(CaseSummary):
    direction: str
    request_type: str
    urgency_ground: str | None
    information_access: str | None
    deadline_state: str
    replied_at: dt.datetime | None
    references: list[str]
    messages: list[MessageOut]
    entities: list[EntityOut]
    linked_cases: list[str]
    exchanges: list[ExchangeOut]
    personal_data_withheld: bool = Field(default=False, description="a closed case read without a justification: "
                                                                    "no subject, references, messages or entities")


class CountByCountry(BaseModel):
    total: int
    by_country: dict[str, int]


class UrgencySplit(BaseModel):
    total: int
    urgent: int
    non_urgent: int
    by_country: dict[str, dict[str, int]]


class Refusals(BaseModel):
    total: int
    by_country: dict[str, int]
    by_ground: dict[str, int]
    by_country_and_ground: dict[str, dict[str, int]]


class Art18Figures(BaseModel):
    year: int
    country: str
    requests_sent: CountByCountry
    requests_received: UrgencySplit
    requests_answered: UrgencySplit
    refusals: Refusals
    deadline_deviations_art5_2: CountByCountry

class ExchangeMessageOut(BaseModel):
    id: int
    exchange: ExchangeOut
