"""Forms of the training pages; choices are given by the views (topics, trainers, countries)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), email_address("This is not an email address."),
                                            Length(max=254)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    country_code = SelectField(_l("Country"), choices=[], validate_choice=False)
    topics = SelectMultipleField(_l("Areas of expertise"), choices=[], coerce=int, validate_choice=False,
                                 description=_l("Hold Ctrl (Cmd on a Mac) to choose several."))
    languages = StringField(_l("Languages"), validators=[Optional(), Length(max=200)],
                            description=_l("Two-letter codes separated by commas, e.g. en, fr, de."))
    availability = TextAreaField(_l("Availability"), validators=[Optional(), Length(max=2000)],
                                 description=_l("e.g. two weeks a year, not in July-August."))
    bio = TextAreaField(_l("Experience"), validators=[Optional(), Length(max=4000)])
    active = BooleanField(_l("Active in the pool"), default=True)


class CoreGroupForm(UnclassifiedForm):
    topics = SelectMultipleField(_l("Areas of expertise"), choices=[], coerce=int, validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)],
                         description=_l("Experience, languages, availability for the core group's work."))


class OpportunityForm(UnclassifiedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    topic_id = SelectField(_l("Topic"), choices=[], validate_choice=False)
    description = TextAreaField(_l("What is proposed"), validators=[Optional(), Length(max=5000)],
                                description="The provider (e.g. CEPOL, a Member State, an agency), content, "
                                            "format and dates if known.")
    target_audience = TextAreaField(_l("Target audience"), validators=[Optional(), Length(max=2000)])
    estimated_cost = DecimalField(_l("Estimated cost (EUR)"), places=2, validators=[Optional()],
                                  description=_l("Leave empty if unknown."))


class AssessmentForm(UnclassifiedForm):
    relevance = SelectField(_l("Relevance for SPOC staff"), choices=RELEVANCE, validate_choice=False)
    target_audience = TextAreaField(_l("Target audience"), validators=[Optional(), Length(max=2000)])
    estimated_cost = DecimalField(_l("Cost (EUR)"), places=2, validators=[Optional()])
    assessment = TextAreaField(_l("Written assessment"), validators=[Optional(), Length(max=5000)],
                               description=_l("The core group's reasons: it is kept in the history."))
    decision = SelectField(_l("Decision"), choices=DECISIONS, validate_choice=False)


class ActivityForm(UnclassifiedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    topic_id = SelectField(_l("Topic"), choices=[], validate_choice=False)
    format = SelectField(_l("Format"), choices=ActivityFormat.choices(), validate_choice=False)
    start_date = DateField(_l("First day"), validators=[Optional()], description=_l("YYYY-MM-DD"))
    end_date = DateField(_l("Last day"), validators=[Optional()], description=_l("YYYY-MM-DD"))
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)],
                        description=_l("City and venue; leave empty for an online activity."))
    language = StringField(_l("Language"), validators=[Optional(), Length(max=40)], default="en")
    capacity = IntegerField(_l("Capacity (participants)"), validators=[Optional()])
    country_quota = IntegerField(_l("Places per country"), validators=[Optional()],
                                 description=_l("Leave empty for the default quota."))
    cepol_support = BooleanField(_l("Supported by CEPOL"))
    cepol_reference = StringField(_l("CEPOL reference"), validators=[Optional(), Length(max=100)],
                                  description=_l("e.g. the CEPOL course number."))
    trainer_ids = SelectMultipleField(_l("Trainers"), choices=[], coerce=int, validate_choice=False,
                                      description=_l("Hold Ctrl (Cmd on a Mac) to choose several."))
    learning_objectives = TextAreaField(_l("Learning objectives"), validators=[Optional(), Length(max=5000)])
    audience = TextAreaField(_l("Audience"), validators=[Optional(), Length(max=2000)])
    status = SelectField(_l("Status"), choices=ActivityStatus.choices(), validate_choice=False)


class NominationForm(UnclassifiedForm):
    nominee_name = StringField(_l("Name of the staff member"), validators=[DataRequired(), Length(max=200)])
    nominee_email = EmailField(_l("Email"), validators=[DataRequired(), email_address("This is not an email address."),
                                                    Length(max=254)])
    nominee_position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    country_code = SelectField(_l("Country"), choices=[], validate_choice=False)


class QuotaForm(UnclassifiedForm):
    default_quota = IntegerField(_l("Default places per country"), validators=[
        InputRequired(message=_l("Give the number of places per country.")),
        NumberRange(1, 100, message=_l("The quota must be a whole number between 1 and 100."))],
                                 description=_l("Used by every activity that has no quota of its own."))


class TopicForm(UnclassifiedForm):
    label = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    key = StringField(_l("Key"), validators=[Optional(), Length(max=40)],
                      description=_l("Short identifier (a-z, 0-9, _); made from the name when empty."))
    needs_choice = SelectField(_l("Questionnaire training need"), choices=[], validate_choice=False, default="",
                               description="The answer of the questionnaire's training-needs question this topic "
                                           "covers (for the needs matrix).")
    active = BooleanField(_l("In use"), default=True)
