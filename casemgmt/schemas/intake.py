"""The intake payload: the API, the file import and the web form all validate through it."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from casemgmt.models import (
    Channel,
    ChannelReason,
    CounterpartKind,
    CounterpartType,
    Direction,
    InformationAccess,
    LegalFramework,
    MessageType,
    UrgencyGround,
)
from casemgmt.schemas.common import (
    CountryCode,
    Strict,
    Text,
    _msg,
)
from casemgmt.schemas.entities import (
    ENTITY_KINDS,
    Entity,
)
from portal.enums import N_, say, translated


class ReferenceIn(Strict):
    channel: Channel
    reference: Annotated[Text, Field(min_length=1, max_length=120)]


class AttachmentIn(Strict):
    filename: Annotated[Text, Field(min_length=1, max_length=200)]
    content_base64: str
    # a PDF without a text layer (a scan) cannot be read for an EU classified marking: the sender confirms it
    # holds none (casemgmt.services.scans)
    scan_confirmed: bool = False

    def content(self) -> bytes:
        try:
            return base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(N_("not valid base64")) from None


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
            raise ValueError(N_("the time is not plausible"))
        return value.astimezone(dt.UTC)


def _rules(data: dict) -> dict[str, str]:
    """Rules across fields, each reported against the field to fix (run on the raw data too, so that
    a form shows them together with the field errors)."""
    errors: dict[str, str] = {}
    urgent = data.get("urgent") is True
    if urgent and not data.get("urgency_ground"):
        errors["urgency_ground"] = N_("An urgent request needs one of the four Art. 4(4) grounds.")
    if data.get("urgent") is False and data.get("urgency_ground"):
        errors["urgency_ground"] = N_("Give a ground only for an urgent request.")
    if urgent and not data.get("information_access"):
        errors["information_access"] = N_("Say whether the information is directly or indirectly accessible.")
    channel = data.get("channel")
    framework = data.get("legal_framework")
    # Art. 13 binds exchanges under the Directive only; the others have their own channels
    if framework is not None:
        outside = framework not in ("2023/977", LegalFramework.DIRECTIVE_2023_977)
    else:  # the defaults of casemgmt.services.frameworks.default_framework
        outside = channel in (Channel.SIRENE, Channel.NATIONAL, Channel.INTERPOL, "SIRENE", "NATIONAL", "INTERPOL")
    if channel and channel != Channel.SIENA and not data.get("channel_reason") and not outside:
        errors["channel_reason"] = N_("A channel other than SIENA needs an Art. 13 reason.")
    if data.get("handling_code") == "H3" and not (data.get("handling_text") or "").strip():
        errors["handling_text"] = N_("H3 needs the text of the restriction.")
    if not data.get("counterpart") and not data.get("counterpart_country"):
        errors["counterpart"] = N_("Say who the exchange is with (counterpart).")
    return errors


def _counterpart_errors(payload: IntakePayload) -> dict[str, str]:
    from casemgmt.services import CaseError
    from casemgmt.services.frameworks import check_counterpart, is_iso_country
    from portal.errors import rule_message

    if payload.counterpart is not None:
        c = payload.counterpart
        try:
            check_counterpart(c.kind.value, c.country, c.name)
        except CaseError as exc:
            return {exc.field or "counterpart": rule_message(exc)}
    elif payload.counterpart_country and not is_iso_country(payload.counterpart_country):
        return {"counterpart_country": say("%(country)s is not an ISO 3166-1 country code.",
                                           country=payload.counterpart_country)}
    return {}


def validate_intake(data: object) -> tuple[IntakePayload | None, dict[str, str]]:
    """(payload, {}) or (None, {field: message}); nothing is created either way."""
    if not isinstance(data, dict):
        return None, {"body": say("The message must be a JSON object.")}
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
            errors[f"attachments.{i}.content_base64"] = translated(str(exc))
    return (None, errors) if errors else (payload, {})


def _loc(loc: tuple) -> str:
    # drop the discriminator tag pydantic adds inside unions: entities.0.person.surname -> entities.0.surname
    parts = [str(p) for p in loc]
    if len(parts) >= 3 and parts[0] == "entities" and parts[2] in ENTITY_KINDS:
        del parts[2]
    return ".".join(parts)




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
