"""Models of case management (SQLAlchemy 2 typed ORM)."""

from casemgmt.models.approvals import Approval
from casemgmt.models.case import (
    Case,
    CaseCounter,
    CaseLink,
    CaseSetting,
    ExternalReference,
    NationalAuthority,
)
from casemgmt.models.duty import DutyAlert, DutyShift, HandoverNote
from casemgmt.models.entities import (
    ENTITY_KINDS,
    ENTITY_MODELS,
    Address,
    BankAccount,
    Company,
    CryptoAddress,
    Document,
    Email,
    Handle,
    IpAddress,
    Person,
    Phone,
    Vehicle,
)
from casemgmt.models.enums import (
    OPEN_STATUSES,
    ApprovalKind,
    ApprovalState,
    CaseStatus,
    Channel,
    ChannelReason,
    CounterpartKind,
    CounterpartType,
    DataSubjectCategory,
    DatePrecision,
    Direction,
    DutyAlertKind,
    DutyRole,
    EntityKind,
    ExchangeOutcome,
    ExchangeState,
    HandlingCode,
    HitStatus,
    InformationAccess,
    InformationCode,
    LegalFramework,
    MessageType,
    RefusalGround,
    RetentionDecision,
    RunStatus,
    SourceCode,
    TaskStatus,
    UrgencyGround,
)
from casemgmt.models.exchange import Exchange
from casemgmt.models.folder import Attachment, Dissemination, Message, Note, RetentionReview, Task
from casemgmt.models.search import CaseSearchDoc, SavedSearch
from casemgmt.models.statistics import StatisticsCount
from casemgmt.models.templates import MessageTemplate

__all__ = [
    "Approval", "CaseSearchDoc", "SavedSearch", "DutyAlert", "DutyShift", "HandoverNote", "MessageTemplate",
    "Case", "CaseCounter", "CaseLink", "CaseSetting", "ExternalReference", "NationalAuthority",
    "ENTITY_KINDS", "ENTITY_MODELS", "Company", "Document", "Email", "Person", "Phone", "Vehicle",
    "Address", "BankAccount", "IpAddress", "CryptoAddress", "Handle",
    "OPEN_STATUSES", "CaseStatus", "Channel", "ChannelReason", "CounterpartType", "DataSubjectCategory",
    "DatePrecision", "Direction", "EntityKind", "HandlingCode", "InformationAccess", "InformationCode",
    "MessageType", "RefusalGround", "RetentionDecision", "SourceCode", "TaskStatus", "UrgencyGround",
    "CounterpartKind", "ExchangeOutcome", "ExchangeState", "LegalFramework", "Exchange",
    "ApprovalKind", "ApprovalState", "DutyAlertKind", "DutyRole", "HitStatus", "RunStatus",
    "Attachment", "Dissemination", "Message", "Note", "RetentionReview", "Task", "StatisticsCount",
]
