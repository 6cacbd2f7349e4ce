"""Forms of the training pages; choices are given by the views (topics, trainers, countries)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.accounts.forms import email_address
from portal.forms import UnclassifiedForm
from portal.training.models import ActivityFormat, ActivityStatus

DECISIONS = [("approved", "Approve"), ("rejected", "Reject"), ("parked", "Park (decide later)")]
RELEVANCE = [("", "Choose…"), ("1", "1 - low"), ("2", "2"), ("3", "3 - useful"), ("4", "4"), ("5", "5 - essential")]


class TrainerForm(UnclassifiedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[Optional(), email_address("This is not an email address."),
                                            Length(max=254)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    country_code = SelectField("Country", choices=[], validate_choice=False)
    topics = SelectMultipleField("Areas of expertise", choices=[], coerce=int, validate_choice=False,
                                 description="Hold Ctrl (Cmd on a Mac) to choose several.")
    languages = StringField("Languages", validators=[Optional(), Length(max=200)],
                            description="Two-letter codes separated by commas, e.g. en, fr, de.")
    availability = TextAreaField("Availability", validators=[Optional(), Length(max=2000)],
                                 description="e.g. two weeks a year, not in July-August.")
    bio = TextAreaField("Experience", validators=[Optional(), Length(max=4000)])
    active = BooleanField("Active in the pool", default=True)


class CoreGroupForm(UnclassifiedForm):
    topics = SelectMultipleField("Areas of expertise", choices=[], coerce=int, validate_choice=False)
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)],
                         description="Experience, languages, availability for the core group's work.")


class OpportunityForm(UnclassifiedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    topic_id = SelectField("Topic", choices=[], validate_choice=False)
    description = TextAreaField("What is proposed", validators=[Optional(), Length(max=5000)],
                                description="The provider (e.g. CEPOL, a Member State, an agency), content, "
                                            "format and dates if known.")
    target_audience = TextAreaField("Target audience", validators=[Optional(), Length(max=2000)])
    estimated_cost = DecimalField("Estimated cost (EUR)", places=2, validators=[Optional()],
                                  description="Leave empty if unknown.")


class AssessmentForm(UnclassifiedForm):
    relevance = SelectField("Relevance for SPOC staff", choices=RELEVANCE, validate_choice=False)
    target_audience = TextAreaField("Target audience", validators=[Optional(), Length(max=2000)])
    estimated_cost = DecimalField("Cost (EUR)", places=2, validators=[Optional()])
    assessment = TextAreaField("Written assessment", validators=[Optional(), Length(max=5000)],
                               description="The core group's reasons: it is kept in the history.")
    decision = SelectField("Decision", choices=DECISIONS, validate_choice=False)


class ActivityForm(UnclassifiedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    topic_id = SelectField("Topic", choices=[], validate_choice=False)
    format = SelectField("Format", choices=ActivityFormat.choices(), validate_choice=False)
    start_date = DateField("First day", validators=[Optional()], description="YYYY-MM-DD")
    end_date = DateField("Last day", validators=[Optional()], description="YYYY-MM-DD")
    place = StringField("Place", validators=[Optional(), Length(max=200)],
                        description="City and venue; leave empty for an online activity.")
    language = StringField("Language", validators=[Optional(), Length(max=40)], default="en")
    capacity = IntegerField("Capacity (participants)", validators=[Optional()])
    country_quota = IntegerField("Places per country", validators=[Optional()],
                                 description="Leave empty for the default quota.")
    cepol_support = BooleanField("Supported by CEPOL")
    cepol_reference = StringField("CEPOL reference", validators=[Optional(), Length(max=100)],
                                  description="e.g. the CEPOL course number.")
    trainer_ids = SelectMultipleField("Trainers", choices=[], coerce=int, validate_choice=False,
                                      description="Hold Ctrl (Cmd on a Mac) to choose several.")
    learning_objectives = TextAreaField("Learning objectives", validators=[Optional(), Length(max=5000)])
    audience = TextAreaField("Audience", validators=[Optional(), Length(max=2000)])
    status = SelectField("Status", choices=ActivityStatus.choices(), validate_choice=False)


class NominationForm(UnclassifiedForm):
    nominee_name = StringField("Name of the staff member", validators=[DataRequired(), Length(max=200)])
    nominee_email = EmailField("Email", validators=[DataRequired(), email_address("This is not an email address."),
                                                    Length(max=254)])
    nominee_position = StringField("Position", validators=[Optional(), Length(max=200)])
    country_code = SelectField("Country", choices=[], validate_choice=False)


class QuotaForm(UnclassifiedForm):
    default_quota = IntegerField("Default places per country", validators=[
        InputRequired(message="Give the number of places per country."),
        NumberRange(1, 100, message="The quota must be a whole number between 1 and 100.")],
                                 description="Used by every activity that has no quota of its own.")


class TopicForm(UnclassifiedForm):
    label = StringField("Name", validators=[DataRequired(), Length(max=120)])
    key = StringField("Key", validators=[Optional(), Length(max=40)],
                      description="Short identifier (a-z, 0-9, _); made from the name when empty.")
    needs_choice = SelectField("Questionnaire training need", choices=[], validate_choice=False,
                               description="The answer of the questionnaire's training-needs question this topic "
                                           "covers (for the needs matrix).")
    active = BooleanField("In use", default=True)
