"""The closed lists of case management, each value stored as a string with a display label."""

from __future__ import annotations

from portal.enums import LabelledEnum as Labelled
from portal.enums import set_labels


class Channel(Labelled):
    SIENA = "SIENA"
    SIRENE = "SIRENE"
    INTERPOL = "INTERPOL"
    BILATERAL = "BILATERAL"
    PCCC = "PCCC"
    NATIONAL = "NATIONAL"
    OTHER = "OTHER"


class ChannelReason(Labelled):
    """Directive (EU) 2023/977 Art. 13: why a channel other than SIENA was used."""

    THIRD_COUNTRY = "third_country_or_international_organisation"
    URGENCY = "urgency"
    INCIDENT = "technical_or_operational_incident"


class Direction(Labelled):
    IN = "in"
    OUT = "out"


class MessageType(Labelled):
    REQUEST = "request"
    REPLY = "reply"
    OWN_INITIATIVE = "own_initiative"
    COPY = "copy"
    CLARIFICATION_REQUEST = "clarification_request"
    CLARIFICATION_REPLY = "clarification_reply"
    REFUSAL = "refusal"
    DELAY_NOTICE = "delay_notice"
    UPDATE = "update"  # Art. 5(2)(b): the requester kept informed of a delay
    REMINDER = "reminder"  # a chaser sent to a partner about an outgoing request
    ACKNOWLEDGEMENT = "acknowledgement"  # receipt acknowledged (no effect on the clock)

    @property
    def opens_exchange(self) -> bool:
        """A request, own-initiative information or a copy opens an exchange of its own; anything else
        answers one (and is filed into the exchange it answers, or opens one as information)."""
        return self in (MessageType.REQUEST, MessageType.OWN_INITIATIVE, MessageType.COPY)


class LegalFramework(Labelled):
    """The legal basis of an exchange; only 2023/977 has an Art. 5 clock and Art. 18 figures."""

    DIRECTIVE_2023_977 = "2023/977"
    SIS_SIRENE = "sis_sirene"
    INTERPOL = "interpol"
    EUROPOL_REGULATION = "europol_regulation"
    PRUM = "prum"
    MUTUAL_LEGAL_ASSISTANCE = "mutual_legal_assistance"
    NATIONAL = "national"
    OTHER_AGREEMENT = "other_agreement"


class CounterpartKind(Labelled):
    MEMBER_STATE = "member_state"
    THIRD_COUNTRY = "third_country"
    AGENCY = "agency"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    NATIONAL_AUTHORITY = "national_authority"
    DESIGNATED_AUTHORITY = "designated_authority"


class ExchangeOutcome(Labelled):
    INFORMATION_PROVIDED = "information_provided"
    PARTLY_REFUSED = "partly_refused"
    REFUSED = "refused"
    NO_INFORMATION = "no_information"
    WITHDRAWN = "withdrawn"
    INFORMATION_ONLY = "information_only"
    TRANSFERRED = "transferred"


class ExchangeState(Labelled):
    OPEN = "open"
    AWAITING_CLARIFICATION = "awaiting_clarification"  # Art. 6(3): the clock stands still
    AWAITING_PARTNER = "awaiting_partner"  # an outgoing request waits for its answer
    ANSWERED = "answered"
    CLOSED = "closed"


class CounterpartType(Labelled):
    SPOC = "spoc"
    DESIGNATED_AUTHORITY = "designated_authority"
    COMPETENT_AUTHORITY = "competent_authority"
    EUROPOL = "europol"
    OTHER = "other"


class UrgencyGround(Labelled):
    """Directive (EU) 2023/977 Art. 4(4)."""

    PUBLIC_SECURITY = "public_security_threat"
    LIFE = "life_or_physical_integrity"
    LIBERTY = "deprivation_of_liberty"
    RELEVANCE = "loss_of_relevance"


class InformationAccess(Labelled):
    DIRECT = "direct"
    INDIRECT = "indirect"


class CaseStatus(Labelled):
    RECEIVED = "received"
    EVALUATED = "evaluated"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    CROSS_CHECKED = "cross_checked"
    DISSEMINATED = "disseminated"
    AWAITING_NATIONAL_REPLY = "awaiting_national_reply"
    AWAITING_PARTNER = "awaiting_partner"  # the SPOC's own request waits for the partner's answer
    REPLIED = "replied"
    CLOSED = "closed"
    ARCHIVED = "archived"


OPEN_STATUSES = tuple(s for s in CaseStatus if s not in (CaseStatus.CLOSED, CaseStatus.ARCHIVED))


class RefusalGround(Labelled):
    """Directive (EU) 2023/977 Art. 6(1)(a)-(h); the codes are ours."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"
    F = "f"
    G = "g"
    H = "h"


class SourceCode(Labelled):
    """4x4 system (Europol Regulation Art. 29): reliability of the source."""

    A = "A"
    B = "B"
    C = "C"
    X = "X"


class InformationCode(Labelled):
    """4x4 system: reliability of the information."""

    ONE = "1"
    TWO = "2"
    THREE = "3"
    FOUR = "4"


class HandlingCode(Labelled):
    H0 = "H0"
    H1 = "H1"
    H2 = "H2"
    H3 = "H3"


class DataSubjectCategory(Labelled):
    SUSPECT = "suspect"
    CONVICTED = "convicted"
    VICTIM = "victim"
    WITNESS = "witness"
    CONTACT = "contact_or_associate"
    INFORMANT = "informant"
    OTHER = "other"
    UNKNOWN = "unknown"


class DatePrecision(Labelled):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class EntityKind(Labelled):
    PERSON = "person"
    DOCUMENT = "document"
    VEHICLE = "vehicle"
    PHONE = "phone"
    EMAIL = "email"
    COMPANY = "company"
    ADDRESS = "address"
    BANK_ACCOUNT = "bank_account"
    IP_ADDRESS = "ip_address"
    CRYPTO_ADDRESS = "crypto_address"
    HANDLE = "handle"


class TaskStatus(Labelled):
    OPEN = "open"
    DONE = "done"


class RetentionDecision(Labelled):
    KEEP = "keep"
    ERASE = "erase"


class ApprovalKind(Labelled):
    """What waits for a supervisor's approval (four eyes, issue 17 point 5)."""

    REFUSAL = "refusal"
    RESTRICTED = "restricted"  # H2/H3 information leaving the SPOC
    REQUEST = "request"  # the SPOC's own request


class ApprovalState(Labelled):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


class DutyAlertKind(Labelled):
    NEW_URGENT = "new_urgent"
    UNASSIGNED = "unassigned"
    DEADLINE = "deadline"


class DutyRole(Labelled):
    DUTY_OFFICER = "duty_officer"
    SHIFT_LEADER = "shift_leader"


class RunStatus(Labelled):
    """A cross-check run's state (casemgmt.crosscheck)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class HitStatus(Labelled):
    """The officer's decision on a cross-check hit."""

    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


_LABELS: dict[str, dict[str, str]] = {  # class name -> {value: label}
    "Channel": {"SIENA": "SIENA (Europol)", "SIRENE": "SIRENE", "INTERPOL": "INTERPOL (I-24/7)",
                "BILATERAL": "Liaison officer / bilateral", "PCCC": "PCCC", "NATIONAL": "National authority",
                "OTHER": "Other"},
    "ChannelReason": {
        "third_country_or_international_organisation": "Third country or international organisation (e.g. INTERPOL)",
        "urgency": "Urgency",
        "technical_or_operational_incident": "Technical or operational incident"},
    "Direction": {"in": "Incoming", "out": "Outgoing"},
    "MessageType": {"request": "Request", "reply": "Reply", "own_initiative": "Own-initiative information",
                    "copy": "Copy for information", "clarification_request": "Clarification request",
                    "clarification_reply": "Clarification reply", "refusal": "Refusal",
                    "delay_notice": "Delay notice", "update": "Update on a delay",
                    "reminder": "Reminder to the partner", "acknowledgement": "Acknowledgement of receipt"},
    "LegalFramework": {"2023/977": "Directive (EU) 2023/977", "sis_sirene": "SIS / SIRENE",
                       "interpol": "INTERPOL", "europol_regulation": "Europol Regulation", "prum": "Prüm",
                       "mutual_legal_assistance": "Mutual legal assistance",
                       "national": "National (own authorities)", "other_agreement": "Other agreement"},
    "CounterpartKind": {"member_state": "Member State", "third_country": "Third country",
                        "agency": "EU agency", "international_organisation": "International organisation",
                        "national_authority": "National competent authority",
                        "designated_authority": "Designated law-enforcement authority"},
    "ExchangeOutcome": {"information_provided": "Information provided", "partly_refused": "Partly refused",
                        "refused": "Refused", "no_information": "No information available",
                        "withdrawn": "Withdrawn by the requester",
                        "information_only": "Information only (no reply needed)",
                        "transferred": "Transferred to another channel or authority"},
    "ExchangeState": {"open": "Open", "awaiting_clarification": "Awaiting clarification (clock stopped)",
                      "awaiting_partner": "Awaiting the partner's answer", "answered": "Answered",
                      "closed": "Closed"},
    "CounterpartType": {"spoc": "SPOC", "designated_authority": "Designated law-enforcement authority",
                        "competent_authority": "Competent law-enforcement authority", "europol": "Europol",
                        "other": "Other"},
    "UrgencyGround": {
        "public_security_threat": "Immediate and serious threat to public security",
        "life_or_physical_integrity": "Imminent threat to life or physical integrity",
        "deprivation_of_liberty": "Decision that may involve deprivation of liberty",
        "loss_of_relevance": "Imminent risk that the information loses relevance"},
    "InformationAccess": {"direct": "Directly accessible", "indirect": "Indirectly accessible"},
    "CaseStatus": {"received": "Received", "evaluated": "Evaluated",
                   "awaiting_clarification": "Awaiting clarification", "cross_checked": "Cross-checked",
                   "disseminated": "Disseminated", "awaiting_national_reply": "Awaiting national reply",
                   "awaiting_partner": "Awaiting the partner's answer",
                   "replied": "Replied", "closed": "Closed", "archived": "Archived"},
    "RefusalGround": {
        "a": "(a) not available to the SPOC or the competent authorities",
        "b": "(b) the request does not meet the requirements of Art. 4",
        "c": "(c) the judicial authorisation required by national law was refused",
        "d": "(d) personal data outside the categories of Art. 10(b)",
        "e": "(e) inaccurate, incomplete or no longer up to date",
        "f": "(f) national security, an ongoing investigation or a person's safety, or a legal person's interests",
        "g": "(g) offence punishable by at most one year, or not an offence in the requested State",
        "h": "(h) obtained from another State that has not consented"},
    "SourceCode": {"A": "A – no doubt as to authenticity and reliability", "B": "B – reliable in most instances",
                   "C": "C – unreliable in most instances", "X": "X – cannot be assessed"},
    "InformationCode": {"1": "1 – accuracy not in doubt", "2": "2 – known personally to the source",
                        "3": "3 – corroborated by information already recorded",
                        "4": "4 – cannot be corroborated"},
    "HandlingCode": {"H0": "H0 – law-enforcement purposes only",
                     "H1": "H1 – not for judicial proceedings without permission",
                     "H2": "H2 – not to be disseminated without permission", "H3": "H3 – other restrictions"},
    # lower case: written inside a sentence or a list
    "DataSubjectCategory": {"suspect": "suspect", "convicted": "convicted", "victim": "victim", "witness": "witness",
                            "contact_or_associate": "contact or associate", "informant": "informant",
                            "other": "other", "unknown": "unknown"},
    "EntityKind": {"person": "person", "company": "company", "vehicle": "vehicle", "document": "document",
                   "phone": "phone", "email": "email", "address": "address", "bank_account": "bank account",
                   "ip_address": "IP address", "crypto_address": "crypto address", "handle": "handle"},
    "DatePrecision": {"day": "day", "month": "month", "year": "year"},
    # as the hits page says them (its catalogue messages)
    "HitStatus": {"unreviewed": "not reviewed", "confirmed": "confirmed", "rejected": "rejected"},
    "RunStatus": {"pending": "pending", "done": "done", "failed": "failed"},
    "TaskStatus": {"open": "Open", "done": "Done"},
    "RetentionDecision": {"keep": "Keep", "erase": "Erase"},
    "ApprovalKind": {"refusal": "Refusal", "restricted": "Information restricted by H2 or H3",
                     "request": "The SPOC's own request"},
    "ApprovalState": {"pending": "Waiting for approval", "approved": "Approved", "returned": "Returned"},
    "DutyAlertKind": {"new_urgent": "New urgent case", "unassigned": "Urgent case not yet assigned",
                      "deadline": "Deadline near or passed"},
    "DutyRole": {"duty_officer": "Duty officer", "shift_leader": "Shift leader"},
}

set_labels({globals()[name]: by_value for name, by_value in _LABELS.items()})
