"""Forms of the case pages; the intake form is checked by the same model as the API."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from casemgmt.models import (
    Channel,
    ChannelReason,
    CounterpartType,
    DataSubjectCategory,
    Direction,
    HandlingCode,
    InformationAccess,
    InformationCode,
    MessageType,
    RefusalGround,
    SourceCode,
    UrgencyGround,
)
from portal.enums import N_

BLANK = [("", "—")]


def country_choices() -> list[tuple[str, str]]:
    from casemgmt.services.frameworks import iso_choices
    from portal.directory.reference import country_names

    return [("", "—"), *country_names(), *iso_choices()]  # in the reader's language


SCAN_LABEL = "A scanned PDF: I confirm it holds no EU classified marking"  # casemgmt.services.scans


class IntakeForm(FlaskForm):
    """Values are checked by the intake model (casemgmt.schemas), like the API's."""

    channel = SelectField("Channel", choices=Channel.choices(), validate_choice=False, default="SIENA")
    channel_reason = SelectField("Reason for not using SIENA (Art. 13)", choices=BLANK + ChannelReason.choices(), validate_choice=False,
                                 description="Required for every channel other than SIENA.")
    channel_reason_text = StringField("Explanation of the channel", validators=[Optional(), Length(max=2000)])
    direction = SelectField("Direction", choices=Direction.choices(), validate_choice=False, default="in")
    type = SelectField("Type of message", choices=MessageType.choices(), validate_choice=False, default="request")
    external_reference = StringField("Channel reference", validators=[Optional(), Length(max=120)],
                                     description="The number the channel gave the message, e.g. the SIENA number.")
    external_references = TextAreaField("References on other channels", validators=[Optional(), Length(max=2000)],
                                        description="One per line as CHANNEL:reference, e.g. SIRENE:DE-SIR-42.")
    received_at = StringField("Received at", validators=[DataRequired()],
                              description="When the SPOC received it, in your time zone; the time limit "
                                          "runs from here.")
    counterpart_country = SelectField("Counterpart country", choices=[], validators=[DataRequired(
        "Choose the counterpart's country from the list.")], description="Member States first, then every other "
                                      "country (ISO 3166-1); Greece is EL.")
    legal_framework = SelectField("Legal framework", choices=[], default="", description=(
        "By default: Directive (EU) 2023/977 with a Member State on SIENA, BILATERAL or PCCC; SIS / SIRENE on "
        "SIRENE; INTERPOL on INTERPOL; Europol Regulation with Europol; national on NATIONAL."))
    counterpart_type = SelectField("Counterpart", choices=CounterpartType.choices(), validate_choice=False, default="spoc")
    language = StringField("Language", validators=[Optional(), Length(max=2)], description="e.g. en, fr, nl")
    urgent = BooleanField("Urgent request (Art. 4(4))")
    urgency_ground = SelectField("Urgency ground", choices=BLANK + UrgencyGround.choices(), validate_choice=False)
    information_access = SelectField("Information asked for", choices=BLANK + InformationAccess.choices(), validate_choice=False,
                                     description="Directly accessible: 8 hours when urgent; indirectly: 3 days.")
    crime_category = StringField("Crime category", validators=[Optional(), Length(max=60)],
                                 description="As in the SPOC's list (e.g. terrorism, fraud); it sets the priority.")
    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Text of the message", validators=[Optional(), Length(max=200_000)])
    person_surname = StringField("Surname", validators=[Optional(), Length(max=200)])
    person_given_names = StringField("Given names", validators=[Optional(), Length(max=200)])
    person_date_of_birth = StringField("Date of birth", validators=[Optional()],
                                       description="YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.")
    person_nationality = StringField("Nationality", validators=[Optional(), Length(max=2)])
    person_category = SelectField("Data-subject category", choices=DataSubjectCategory.choices(), validate_choice=False, default="unknown")
    person_document = StringField("Document (type number country)", validators=[Optional(), Length(max=140)],
                                  description="e.g. passport EA1234567 PL")
    vehicles = TextAreaField("Vehicles", validators=[Optional()],
                             description="One per line: plate, country, VIN (VIN optional).")
    phones = TextAreaField("Phone numbers", validators=[Optional()], description="One per line.")
    emails = TextAreaField("Email addresses", validators=[Optional()], description="One per line.")
    addresses = TextAreaField("Postal addresses", validators=[Optional()],
                              description="One per line: street; number; postcode; city; country (e.g. BE).")
    bank_accounts = TextAreaField("Bank accounts", validators=[Optional()], description="One per line: IBAN, BIC "
                                                                                         "(BIC optional).")
    ip_addresses = TextAreaField("IP addresses", validators=[Optional()], description="One per line (v4 or v6).")
    crypto_addresses = TextAreaField("Crypto-currency addresses", validators=[Optional()],
                                     description="One per line: address, currency (currency optional for BTC, ETH).")
    handles = TextAreaField("Social-media or messaging handles", validators=[Optional()],
                            description="One per line: platform handle (e.g. telegram @name).")
    attachment = FileField("Attachment")
    scan_confirmed = BooleanField(SCAN_LABEL)


class EvaluateForm(FlaskForm):
    urgent = BooleanField("Urgent (Art. 4(4))")
    urgency_ground = SelectField("Urgency ground", choices=BLANK + UrgencyGround.choices())
    information_access = SelectField("Information asked for", choices=BLANK + InformationAccess.choices())
    crime_category = SelectField("Crime category", choices=[], validate_choice=False)
    source_code = SelectField("Source (4x4)", choices=BLANK + SourceCode.choices())
    information_code = SelectField("Information (4x4)", choices=BLANK + InformationCode.choices())
    handling_code = SelectField("Handling code", choices=BLANK + HandlingCode.choices())
    handling_text = StringField("H3: restriction", validators=[Optional(), Length(max=2000)])


class ReplyForm(FlaskForm):
    body = TextAreaField("Information provided", validators=[DataRequired(message="Write the information provided.")])
    handling_code = SelectField("Handling code", choices=HandlingCode.choices(), default="H0")
    handling_text = StringField("H3: restriction", validators=[Optional(), Length(max=2000)])
    justification = StringField("Justification of the disclosure", validators=[
        DataRequired(message="Say why the information may be provided."), Length(max=2000)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RefuseForm(FlaskForm):
    grounds = MultiCheckboxField("Grounds of refusal (Art. 6(1))", choices=RefusalGround.choices())
    justification = TextAreaField("Justification", validators=[DataRequired(message="Justify the refusal.")])
    partial = BooleanField("Partial refusal: the rest of the information is provided")
    body = TextAreaField("Information provided (partial refusal)", validators=[Optional()])
    handling_code = SelectField("Handling code (partial refusal)", choices=BLANK + HandlingCode.choices())
    handling_text = StringField("H3: restriction", validators=[Optional(), Length(max=2000)])


class DelayNoticeForm(FlaskForm):
    expected_delay_days = IntegerField("Expected delay (days)", validators=[
        InputRequired(message="Give the expected delay in days."), NumberRange(1, 365)])
    reasons = TextAreaField("Reasons", validators=[DataRequired(message="Give the reasons for the delay.")],
                            description="Judicial authorisation is pending (Art. 5(2)); the requester is told.")


class DisseminateForm(FlaskForm):
    authority_id = SelectField("National authority", coerce=int, choices=[], validate_choice=False)
    summary = TextAreaField("What is passed on", validators=[DataRequired(message="Say what is passed on.")])
    handling_code = SelectField("Handling code", choices=HandlingCode.choices(), default="H0")
    handling_text = StringField("H3: restriction", validators=[Optional(), Length(max=2000)])
    justification = StringField("Justification", validators=[
        DataRequired(message="Say why the authority needs it."), Length(max=2000)])
    confirm_hits = BooleanField("I have seen the strong cross-check hits not reviewed yet and disseminate anyway")


class AssignForm(FlaskForm):
    assignee_id = SelectField("Assign to", coerce=int, choices=[], validate_choice=False)


class TaskForm(FlaskForm):
    title = StringField("Task", validators=[DataRequired(message="Say what is to be done."), Length(max=300)])
    assignee_id = SelectField("For", coerce=int, choices=[], validate_choice=False)


class NoteForm(FlaskForm):
    text = TextAreaField("Note", validators=[DataRequired(message="Write the note.")])


class LinkForm(FlaskForm):
    other = StringField("Registration number of the related case", validators=[
        DataRequired(message="Give the registration number.")])
    reason = StringField("Why they are related", validators=[Optional(), Length(max=500)])


class MergeForm(FlaskForm):
    target = StringField("Merge into (registration number)", validators=[
        DataRequired(message="Give the registration number.")])
    justification = StringField("Why they are the same matter", validators=[
        DataRequired(message="Say why the cases are the same matter."), Length(max=2000)])


class PriorityForm(FlaskForm):
    priority = SelectField("Priority", choices=[("", N_("computed by the rules")), ("1", N_("1 – critical")),
                                                ("2", N_("2 – high")), ("3", N_("3 – elevated")), ("4", N_("4 – normal")),
                                                ("5", N_("5 – low"))])
    reason = StringField("Reason", validators=[DataRequired(message="Give the reason for the override.")])


class AttachmentForm(FlaskForm):
    file = FileField("File")
    scan_confirmed = BooleanField(SCAN_LABEL)


class JustificationForm(FlaskForm):
    justification = StringField("Justification", validators=[
        DataRequired(message="Give the justification."), Length(max=2000)])


class RetentionForm(FlaskForm):
    decision = SelectField("Decision", choices=[("keep", N_("Keep the data")), ("erase", N_("Erase the personal data"))])
    reason = TextAreaField("Reason", validators=[DataRequired(message="Give the reason.")])
    next_review = DateField("Next review (when kept)", validators=[Optional()])


class AuthorityForm(FlaskForm):
    name = StringField("Authority", validators=[DataRequired(message="Give the authority's name."),
                                                Length(max=200)])
    kind = StringField("Kind", validators=[Optional(), Length(max=60)], description="e.g. police, customs")
    email = StringField("Email", validators=[Optional(), Length(max=254)])


class SettingsForm(FlaskForm):
    # internal targets: Art. 5(1) sets the legal limits; a SPOC may only aim shorter
    limit_urgent_direct_hours = IntegerField("Target: urgent, directly accessible (hours, at most 8)", validators=[
        InputRequired(), NumberRange(1, 8, "The law allows at most 8 hours (Art. 5(1)(a)); give 1 to 8.")])
    limit_urgent_indirect_hours = IntegerField("Target: urgent, indirectly accessible (hours, at most 72)", validators=[
        InputRequired(), NumberRange(1, 72, "The law allows at most 3 calendar days (Art. 5(1)(b)); give 1 to 72.")])
    limit_other_hours = IntegerField("Target: other requests (hours, at most 168)", validators=[
        InputRequired(), NumberRange(1, 168, "The law allows at most 7 calendar days (Art. 5(1)(c)); give 1 to 168.")])
    due_soon_hours = IntegerField("Mark as due soon within (hours)", validators=[InputRequired(), NumberRange(1, 10_000)])
    reminder_hours = IntegerField("Remind assignees (hours before)", validators=[InputRequired(), NumberRange(1, 10_000)])
    retention_review_months = IntegerField("Retention review after (months)", validators=[
        InputRequired(), NumberRange(1, 10_000)])
    crime_categories = TextAreaField("Crime categories", validators=[DataRequired()],
                                     description="One per line: category = level (1 highest … 4).")
    escalate_unassigned_minutes = IntegerField("Urgent request nobody took: to the shift leader after (minutes)",
                                               validators=[Optional(), NumberRange(1, 1440)], default=30)
    four_eyes = MultiCheckboxField("Needs a supervisor's approval before it leaves (four eyes)", choices=[
        ("refusal", N_("Refusals (Art. 6)")), ("restricted", N_("Information restricted by H2 or H3")),
        ("request", N_("The SPOC's own requests (Art. 4)"))])


class MessageTemplateForm(FlaskForm):
    """A SPOC's message template; the kinds and placeholders are casemgmt.services.templates'."""

    kind = SelectField("For", choices=[], validate_choice=False)
    ground = SelectField("Ground (refusals)", choices=BLANK + RefusalGround.choices(), validate_choice=False)
    language = StringField("Language", validators=[Optional(), Length(max=2)], default="en",
                           description="Two letters: en, fr, de, nl…")
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    text = TextAreaField("Text", validators=[Optional(), Length(max=20_000)],
                         description="Placeholders in braces, e.g. {registration_number}, {deadline}.")


class DutyShiftForm(FlaskForm):
    user_id = SelectField("Who", coerce=int, choices=[], validate_choice=False)
    role = SelectField("As", choices=[("duty_officer", N_("Duty officer")), ("shift_leader", N_("Shift leader"))])
    starts_at = StringField("From", validators=[DataRequired(message="Give the start.")],
                            description="e.g. 2026-12-05 20:00 (your time zone)")
    ends_at = StringField("Until", validators=[DataRequired(message="Give the end.")])


class HandoverForm(FlaskForm):
    text = TextAreaField("Handover note", validators=[DataRequired(message="Write the handover note."),
                                                      Length(max=5000)])
