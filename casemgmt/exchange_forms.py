"""Forms of the folder's exchanges (issue 16, point 1): the API's rules, checked by
casemgmt.services.exchanges and, for the SPOC's own requests, casemgmt.services.requests."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from casemgmt.forms import BLANK, MultiCheckboxField
from casemgmt.models import (
    Channel,
    ChannelReason,
    CounterpartKind,
    Direction,
    ExchangeOutcome,
    HandlingCode,
    InformationAccess,
    LegalFramework,
    RefusalGround,
    UrgencyGround,
)
from portal.enums import N_

EXCHANGE_MESSAGE_TYPES = [("reply", N_("Reply (information provided)")), ("refusal", N_("Refusal (Art. 6)")),
                          ("delay_notice", N_("Delay notice (Art. 5(2))")), ("update", N_("Update on a delay (Art. 5(2)(b))")),
                          ("clarification_request", N_("Request for clarification (Art. 6(3))")),
                          ("clarification_reply", N_("Clarification given")), ("reminder", N_("Reminder to the partner")),
                          ("acknowledgement", N_("Acknowledgement of receipt"))]
FIRST_MESSAGE_TYPES = [("request", N_("Request")), ("own_initiative", N_("Information on own initiative (Art. 7)")),
                       ("copy", N_("Copy (Art. 4(1))"))]


class ExchangeMessageForm(FlaskForm):
    """A message of one of the folder's exchanges; `exchange` is its number in the case."""

    exchange = SelectField("Exchange", coerce=int, choices=[], validate_choice=False)
    type = SelectField("Message", choices=EXCHANGE_MESSAGE_TYPES, validate_choice=False)
    body = TextAreaField("Text", validators=[Optional(), Length(max=200_000)],
                         description="For a delay notice or an update: the reasons.")
    channel = SelectField("Channel", choices=[("", N_("The exchange's channel")), *Channel.choices()], validate_choice=False)
    channel_reason = SelectField("Reason for not using SIENA (Art. 13)", choices=BLANK + ChannelReason.choices(),
                                 validate_choice=False)
    refusal_grounds = MultiCheckboxField("Grounds of refusal (Art. 6(1))", choices=RefusalGround.choices())
    partial = BooleanField("Partial refusal: the rest is provided")
    expected_delay_hours = IntegerField("Expected delay (hours)", validators=[Optional(), NumberRange(1, 8760)])
    handling_code = SelectField("Handling code", choices=BLANK + HandlingCode.choices(), validate_choice=False)
    handling_text = StringField("H3: restriction", validators=[Optional(), Length(max=2000)])
    sent_at = StringField("Sent at (if sent outside the portal)", validators=[Optional(), Length(max=40)],
                          description="Leave empty for now; otherwise e.g. 2026-12-05 14:30 (your time zone).")
    justification = StringField("Justification", validators=[Optional(), Length(max=2000)])


class ExchangeCloseForm(FlaskForm):
    exchange = SelectField("Exchange", coerce=int, choices=[], validate_choice=False)
    outcome = SelectField("Outcome", choices=BLANK + ExchangeOutcome.choices(), validate_choice=False)
    note = StringField("Note", validators=[Optional(), Length(max=2000)])


class NewExchangeForm(FlaskForm):
    """A further exchange in the folder: the SPOC's own request to another partner in the same matter,
    a copy, or information on its own initiative."""

    direction = SelectField("Direction", choices=Direction.choices(), validate_choice=False, default="out")
    type = SelectField("Type", choices=FIRST_MESSAGE_TYPES, validate_choice=False, default="request")
    counterpart_kind = SelectField("Counterpart", choices=CounterpartKind.choices(), validate_choice=False,
                                   default="member_state")
    counterpart_country = SelectField("Country", choices=[], validate_choice=False,
                                      description="For a Member State or a third country.")
    counterpart_name = StringField("Name", validators=[Optional(), Length(max=200)],
                                   description="For an agency, an organisation or an authority (e.g. EUROPOL).")
    channel = SelectField("Channel", choices=Channel.choices(), validate_choice=False, default="SIENA")
    channel_reason = SelectField("Reason for not using SIENA (Art. 13)", choices=BLANK + ChannelReason.choices(),
                                 validate_choice=False)
    legal_framework = SelectField("Legal framework", choices=[("", N_("By channel and counterpart (default)")),
                                                             *LegalFramework.choices()], validate_choice=False)
    urgent = BooleanField("Urgent (Art. 4(4))")
    urgency_ground = SelectField("Urgency ground", choices=BLANK + UrgencyGround.choices(), validate_choice=False)
    information_access = SelectField("Information asked for", choices=BLANK + InformationAccess.choices(),
                                     validate_choice=False)
    language = StringField("Language", validators=[Optional(), Length(max=2)], description="e.g. en, fr, de")
    subject = StringField("Subject", validators=[DataRequired(message="Give the subject."), Length(max=300)])
    body = TextAreaField("Text", validators=[Optional(), Length(max=200_000)])


class RequestForm(FlaskForm):
    """The SPOC's own request to another Member State's SPOC (Art. 4); checked by casemgmt.services.requests."""

    counterpart_country = SelectField("Requested Member State", choices=[], validate_choice=False)
    channel = SelectField("Channel", choices=Channel.choices(), validate_choice=False, default="SIENA")
    channel_reason = SelectField("Reason for not using SIENA (Art. 13)", choices=BLANK + ChannelReason.choices(),
                                 validate_choice=False)
    language = StringField("Language", validators=[Optional(), Length(max=2)],
                           description="One the requested Member State accepts (Art. 11; English always).")
    urgent = BooleanField("Urgent (Art. 4(4))")
    urgency_ground = SelectField("Urgency ground", choices=BLANK + UrgencyGround.choices(), validate_choice=False)
    information_access = SelectField("Information asked for", choices=BLANK + InformationAccess.choices(),
                                     validate_choice=False)
    subject = StringField("Subject", validators=[DataRequired(message="Give the subject."), Length(max=300)])
    information_sought = TextAreaField("Information sought (Art. 4(5)(a))", validators=[Optional()])
    purpose = TextAreaField("Purpose", validators=[Optional()])
    objective_reasons = TextAreaField("Objective reasons to believe the requested State has it",
                                      validators=[Optional()])
    connection = TextAreaField("Connection between the purpose and the person", validators=[Optional()])
    urgency_reasons = TextAreaField("Reasons for urgency (when urgent)", validators=[Optional()])
    restrictions = StringField("Restrictions on use", validators=[Optional(), Length(max=5000)],
                               description="Or 'none'.")
    europol_copy = SelectField("Copy to Europol (Art. 12)", choices=[("", "—"), ("yes", N_("Yes")), ("no", N_("No"))],
                               validate_choice=False)
    europol_reason = StringField("Reason for the decision on a copy to Europol", validators=[Optional(),
                                                                                           Length(max=2000)])
