"""What the API takes for the exchanges of a folder: messages, a further exchange, an own request, decisions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from casemgmt.models import (
    Channel,
    ChannelReason,
    Direction,
    InformationAccess,
    LegalFramework,
    UrgencyGround,
)
from casemgmt.schemas.common import (
    Strict,
    Text,
)
from casemgmt.schemas.intake import (
    AttachmentIn,
    CounterpartIn,
)


class ExchangeMessageIn(Strict):
    """A message of an exchange: sent now, or at `sent_at` when it was sent outside the portal."""

    type: Literal["reply", "refusal", "delay_notice", "clarification_request", "clarification_reply", "update",
                  "reminder", "acknowledgement"]
    body: Annotated[str, Field(max_length=200_000)] = ""
    channel: Channel | None = None
    channel_reason: ChannelReason | None = None
    channel_reason_text: Annotated[Text, Field(max_length=2000)] = ""
    refusal_grounds: Annotated[list[str], Field(max_length=8)] = []
    partial: bool = False
    expected_delay_hours: Annotated[int, Field(ge=1, le=8760)] | None = None
    handling_code: Literal["H0", "H1", "H2", "H3"] | None = None
    handling_text: Annotated[Text, Field(max_length=2000)] = ""
    source_code: Literal["A", "B", "C", "X"] | None = None
    information_code: Literal["1", "2", "3", "4"] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^([a-z]{2})?$")] | None = None
    sent_at: AwareDatetime | None = None
    justification: Annotated[Text, Field(max_length=2000)] = ""
    attachments: Annotated[list[AttachmentIn], Field(max_length=10)] = []


class ExchangeOpenIn(Strict):
    """A further exchange in a case's folder, with its first message (issue 16, point 1)."""

    direction: Direction
    type: Literal["request", "own_initiative", "copy"]
    counterpart: CounterpartIn
    channel: Channel
    channel_reason: ChannelReason | None = None
    legal_framework: LegalFramework | None = None
    urgent: bool = False
    urgency_ground: UrgencyGround | None = None
    information_access: InformationAccess | None = None
    language: Annotated[str, StringConstraints(pattern=r"^([a-z]{2})?$")] = ""
    subject: Annotated[Text, Field(min_length=1, max_length=300)]
    body: Annotated[str, Field(max_length=200_000)] = ""
    sent_at: AwareDatetime | None = None


class RequestContentIn(Strict):
    """Art. 4(5) of Directive (EU) 2023/977: what a request states at least."""

    information_sought: Annotated[str, Field(max_length=5000)] = ""
    purpose: Annotated[str, Field(max_length=5000)] = ""
    objective_reasons: Annotated[str, Field(max_length=5000)] = ""
    connection: Annotated[str, Field(max_length=5000)] = ""
    urgency_reasons: Annotated[str, Field(max_length=5000)] = ""
    restrictions: Annotated[str, Field(max_length=5000)] = ""


class RequestIn(Strict):
    """The SPOC's own request to another Member State's SPOC (issue 17, point 1)."""

    counterpart: CounterpartIn
    channel: Channel = Channel.SIENA
    channel_reason: ChannelReason | None = None
    urgent: bool = False
    urgency_ground: UrgencyGround | None = None
    information_access: InformationAccess | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    subject: Annotated[Text, Field(min_length=1, max_length=300)]
    content: RequestContentIn
    europol_copy: bool | None = Field(default=None, description="Art. 12: does Europol get a copy?")
    europol_reason: Annotated[Text, Field(max_length=2000)] = ""
    sent_at: AwareDatetime | None = None




class SuggestionDecisionIn(Strict):
    of: Annotated[Text, Field(min_length=1, max_length=20, description="the suggested case's registration number")]
    decision: Literal["confirm", "dismiss"]
    link: bool = Field(default=False, description="on dismiss: link the two cases")
    justification: Annotated[Text, Field(max_length=2000)] = ""


class ExchangeCloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
