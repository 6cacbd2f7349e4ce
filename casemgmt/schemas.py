"""The intake payload (API, file import and web form all validate through it) and API answers."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from casemgmt.models import (
    Channel,
    ChannelReason,
    CounterpartKind,
    CounterpartType,
    DataSubjectCategory,
    Direction,
    EntityKind,
    InformationAccess,
    LegalFramework,
    MessageType,
    UrgencyGround,
)
from portal.messages import plain_message

CountryCode = Annotated[str, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
                        StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
_DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentFields(Strict):
    type: Annotated[Text, Field(max_length=40)] = ""
    number: Annotated[Text, Field(min_length=1, max_length=80)]
    country: CountryCode | None = None


def parse_date_of_birth(value: str | None) -> tuple[dt.date | None, str | None]:
    """'1980-04-03' (day), '1980-04' (month) or '1980' (year) -> (date, precision)."""
    if value is None or value == "":
        return None, None
    if not _DOB.match(value):
        raise ValueError("use YYYY-MM-DD, YYYY-MM or YYYY")
    parts = [int(p) for p in value.split("-")]
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    try:
        day = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError("this date does not exist") from None
    if day.year < 1880 or day > dt.date.today():
        raise ValueError("the date of birth is not plausible")
    return day, precision


class PersonFields(Strict):
    """What is recorded of a person, at intake and when the person is edited later."""

    surname: Annotated[Text, Field(min_length=1, max_length=200)]
    given_names: Annotated[Text, Field(max_length=200)] = ""
    date_of_birth: str | None = Field(default=None, description="YYYY-MM-DD, or YYYY-MM / YYYY when only "
                                                                "the month or year is known")
    nationality: CountryCode | None = None
    category: DataSubjectCategory = DataSubjectCategory.UNKNOWN
    assessment: bool = Field(default=False, description="true when this is an assessment, not a fact")

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value):
        parse_date_of_birth(value)
        return value or None


class PersonIn(PersonFields):
    kind: Literal["person"]
    documents: Annotated[list[DocumentFields], Field(max_length=20)] = []


class DocumentIn(DocumentFields):
    kind: Literal["document"]


class VehicleIn(Strict):
    kind: Literal["vehicle"]
    plate: Annotated[Text, Field(max_length=30)] = ""
    country: CountryCode | None = None
    vin: Annotated[Text, Field(max_length=30)] = ""

    @model_validator(mode="after")
    def _plate_or_vin(self):
        if not self.plate and not self.vin:
            raise ValueError("a vehicle needs a plate or a VIN")
        return self


class PhoneIn(Strict):
    kind: Literal["phone"]
    number: Annotated[Text, Field(min_length=3, max_length=40, pattern=r"^\+?[0-9 ()./-]+$")]


class EmailIn(Strict):
    kind: Literal["email"]
    address: Annotated[Text, Field(min_length=3, max_length=254)]

    @field_validator("address")
    @classmethod
    def _address(cls, value):
        if not _EMAIL.match(value):
            raise ValueError("not an email address")
        return value


class CompanyIn(Strict):
    kind: Literal["company"]
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    country: CountryCode | None = None


ENTITY_KINDS = frozenset(k.value for k in EntityKind)  # the union's tags
Entity = Annotated[PersonIn | DocumentIn | VehicleIn | PhoneIn | EmailIn | CompanyIn, Field(discriminator="kind")]


ENTITY_ADAPTER = TypeAdapter(Entity)


def _errors(exc: ValidationError, drop_tag: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in exc.errors():
        parts = [str(p) for p in e["loc"]]
        if drop_tag and parts and parts[0] in ENTITY_KINDS:
            del parts[0]
        out.setdefault(".".join(parts) or "body", _msg(e))
    return out


def validate_entity(data: object) -> tuple[PersonIn | DocumentIn | VehicleIn | PhoneIn | EmailIn | CompanyIn | None,
                                           dict[str, str]]:
    """One entity added to a case after intake, checked as the intake checks it: (entity, {}) or
    (None, {field: message}), a rule across fields (a vehicle's plate or VIN) under "body"."""
    if not isinstance(data, dict):
        return None, {"body": "The entity must be a JSON object."}
    try:
        return ENTITY_ADAPTER.validate_python(data), {}
    except ValidationError as exc:
        return None, _errors(exc, drop_tag=True)


def validate_person(data: object) -> tuple[PersonFields | None, dict[str, str]]:
    """A person's recorded fields as edited (the same rules as at intake)."""
    if not isinstance(data, dict):
        return None, {"body": "The person must be a JSON object."}
    try:
        return PersonFields.model_validate(data), {}
    except ValidationError as exc:
        return None, _errors(exc, drop_tag=False)


class ReferenceIn(Strict):
    channel: Channel
    reference: Annotated[Text, Field(min_length=1, max_length=120)]


class AttachmentIn(Strict):
    filename: Annotated[Text, Field(min_length=1, max_length=200)]
    content_base64: str

    def content(self) -> bytes:
        try:
            return base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("not valid base64") from None


class CounterpartIn(Strict):
    """Who the exchange is with: a Member State or third country (ISO 3166-1 code; EL for Greece), an EU
    agency or international organisation (a name), or a national / designated authority of the SPOC's own."""

    kind: CounterpartKind
    country: CountryCode | None = None
    name: Annotated[Text, Field(max_length=200)] = ""


class IntakePayload(Strict):
    """One message arriving at (or sent by) the SPOC."""

    channel: Channel
    channel_reason: ChannelReason | None = Field(
        default=None, description="Art. 13: why a channel other than SIENA is used (required unless SIENA)")
    channel_reason_text: Annotated[Text, Field(max_length=2000)] = ""
    direction: Direction = Direction.IN
    type: MessageType = MessageType.REQUEST
    external_reference: Annotated[Text, Field(max_length=120)] = Field(
        default="", description="The channel's own reference of this message (SIENA, SIRENE, INTERPOL number…)")
    external_references: Annotated[list[ReferenceIn], Field(max_length=20)] = Field(
        default=[], description="References of the same matter on other channels, quoted by the message")
    received_at: AwareDatetime
    urgent: bool = False
    urgency_ground: UrgencyGround | None = Field(default=None, description="Art. 4(4); required when urgent")
    information_access: InformationAccess | None = Field(
        default=None, description="direct or indirect; required when urgent (8 hours or 3 days)")
    counterpart: CounterpartIn | None = Field(
        default=None, description="who the exchange is with, e.g. {\"kind\": \"member_state\", \"country\": \"FR\"} "
                                  "or {\"kind\": \"agency\", \"name\": \"EUROPOL\"}")
    counterpart_country: CountryCode | None = Field(
        default=None, description="first version of the API, still accepted: the counterpart's country")
    counterpart_type: CounterpartType = CounterpartType.SPOC
    legal_framework: LegalFramework | None = Field(
        default=None, description="the exchange's legal basis; by default 2023/977 with a Member State on SIENA, "
                                  "BILATERAL or PCCC, sis_sirene on SIRENE, interpol on INTERPOL, "
                                  "europol_regulation with Europol, national on NATIONAL")
    language: Annotated[str, StringConstraints(pattern=r"^([a-z]{2})?$")] = ""
    subject: Annotated[Text, Field(min_length=1, max_length=300)]
    body: Annotated[str, Field(max_length=200_000)] = ""
    crime_category: Annotated[Text, Field(max_length=60)] = ""
    handling_code: Literal["H0", "H1", "H2", "H3"] | None = Field(
        default=None, description="the provider's handling code of this message's information")
    handling_text: Annotated[Text, Field(max_length=2000)] = Field(default="", description="H3: the restriction")
    source_code: Literal["A", "B", "C", "X"] | None = Field(default=None, description="4x4: the source's reliability")
    information_code: Literal["1", "2", "3", "4"] | None = Field(
        default=None, description="4x4: the information's reliability")
    entities: Annotated[list[Entity], Field(max_length=500)] = []
    attachments: Annotated[list[AttachmentIn], Field(max_length=10)] = []

    @field_validator("received_at")
    @classmethod
    def _plausible(cls, value: dt.datetime):
        if value.year < 2000 or value > dt.datetime.now(dt.UTC) + dt.timedelta(days=400):
            raise ValueError("the time is not plausible")
        return value.astimezone(dt.UTC)


def _rules(data: dict) -> dict[str, str]:
    """Rules across fields, each reported against the field to fix (run on the raw data too, so that
    a form shows them together with the field errors)."""
    errors: dict[str, str] = {}
    urgent = data.get("urgent") is True
    if urgent and not data.get("urgency_ground"):
        errors["urgency_ground"] = "An urgent request needs one of the four Art. 4(4) grounds."
    if data.get("urgent") is False and data.get("urgency_ground"):
        errors["urgency_ground"] = "Give a ground only for an urgent request."
    if urgent and not data.get("information_access"):
        errors["information_access"] = "Say whether the information is directly or indirectly accessible."
    channel = data.get("channel")
    framework = data.get("legal_framework")
    # Art. 13 binds exchanges under the Directive only; the others have their own channels
    if framework is not None:
        outside = framework not in ("2023/977", LegalFramework.DIRECTIVE_2023_977)
    else:  # the defaults of casemgmt.services.frameworks.default_framework
        outside = channel in (Channel.SIRENE, Channel.NATIONAL, Channel.INTERPOL, "SIRENE", "NATIONAL", "INTERPOL")
    if channel and channel != Channel.SIENA and not data.get("channel_reason") and not outside:
        errors["channel_reason"] = "A channel other than SIENA needs an Art. 13 reason."
    if data.get("handling_code") == "H3" and not (data.get("handling_text") or "").strip():
        errors["handling_text"] = "H3 needs the text of the restriction."
    if not data.get("counterpart") and not data.get("counterpart_country"):
        errors["counterpart"] = "Say who the exchange is with (counterpart)."
    return errors


def _counterpart_errors(payload: IntakePayload) -> dict[str, str]:
    from casemgmt.services import CaseError
    from casemgmt.services.frameworks import check_counterpart, is_iso_country

    if payload.counterpart is not None:
        c = payload.counterpart
        try:
            check_counterpart(c.kind.value, c.country, c.name)
        except CaseError as exc:
            return {exc.field or "counterpart": str(exc)}
    elif payload.counterpart_country and not is_iso_country(payload.counterpart_country):
        return {"counterpart_country": f"{payload.counterpart_country} is not an ISO 3166-1 country code."}
    return {}


def validate_intake(data: object) -> tuple[IntakePayload | None, dict[str, str]]:
    """(payload, {}) or (None, {field: message}); nothing is created either way."""
    if not isinstance(data, dict):
        return None, {"body": "The message must be a JSON object."}
    try:
        payload = IntakePayload.model_validate(data)
    except ValidationError as exc:
        errors = {_loc(e["loc"]) or "body": _msg(e) for e in exc.errors()}
        return None, {**_rules(data), **errors}
    errors = {**_rules(payload.model_dump()), **_counterpart_errors(payload)}
    for i, att in enumerate(payload.attachments):
        try:
            att.content()
        except ValueError as exc:
            errors[f"attachments.{i}.content_base64"] = str(exc)
    return (None, errors) if errors else (payload, {})


def _loc(loc: tuple) -> str:
    # drop the discriminator tag pydantic adds inside unions: entities.0.person.surname -> entities.0.surname
    parts = [str(p) for p in loc]
    if len(parts) >= 3 and parts[0] == "entities" and parts[2] in ENTITY_KINDS:
        del parts[2]
    return ".".join(parts)


def _msg(error: dict) -> str:
    msg = error["msg"]
    if error["type"] == "union_tag_invalid":
        return "kind must be one of person, document, vehicle, phone, email, company"
    if error["type"] == "union_tag_not_found":
        return "each entity needs a kind"
    return plain_message(error) if msg else msg


EXAMPLE = {
    "channel": "SIENA",
    "external_reference": "SIENA-1234567-8",
    "external_references": [{"channel": "SIRENE", "reference": "DE-SIR-2026-0042"}],
    "received_at": "2026-03-02T09:15:00+01:00",
    "direction": "in",
    "type": "request",
    "urgent": True,
    "urgency_ground": "life_or_physical_integrity",
    "information_access": "direct",
    "counterpart_country": "DE",
    "counterpart_type": "spoc",
    "language": "en",
    "subject": "Urgent: identity and address of a person",
    "body": "Please check the person and the vehicle below in your national databases.",
    "crime_category": "kidnapping or hostage-taking",
    "entities": [
        {"kind": "person", "surname": "Kowalski", "given_names": "Jan", "date_of_birth": "1980-04-03",
         "nationality": "PL", "category": "suspect",
         "documents": [{"type": "passport", "number": "EA1234567", "country": "PL"}]},
        {"kind": "vehicle", "plate": "1-ABC-234", "country": "BE", "vin": "WVWZZZ1JZXW000001"},
        {"kind": "phone", "number": "+32 470 12 34 56"},
        {"kind": "email", "address": "j.kowalski@example.invalid"},
        {"kind": "company", "name": "Kowalski Logistics sp. z o.o.", "country": "PL"},
    ],
}

EXAMPLE_OTHER_CHANNEL = {**EXAMPLE, "channel": "INTERPOL", "channel_reason": "third_country_or_international_organisation",
                         "channel_reason_text": "The request comes from a third country through INTERPOL."}


# API answers ---------------------------------------------------------------------------------
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


class ExchangeMessageOut(BaseModel):
    id: int
    exchange: ExchangeOut


class SuggestionDecisionIn(Strict):
    of: Annotated[Text, Field(min_length=1, max_length=20, description="the suggested case's registration number")]
    decision: Literal["confirm", "dismiss"]
    link: bool = Field(default=False, description="on dismiss: link the two cases")
    justification: Annotated[Text, Field(max_length=2000)] = ""


class ExchangeCloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


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
