"""Forms of the meetings pages; choices are filled by the views from the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm  # noqa: F401
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.forms import UnclassifiedForm, marking_field
from portal.meetings.models import ActionStatus, Answer, Topic


class OptionalDateField(DateField):
    """A day that may stay empty: on a submitted form, empty or absent means no day (never the edited object's
    stored datetime, which the form would otherwise keep and hand on as if it were a day)."""

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class MeetingForm(UnclassifiedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    start = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()],
                               description=_l("Local time at the venue, in the time zone below."))
    end = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    timezone = SelectField(_l("Time zone"), choices=[], validate_choice=False, default="Europe/Brussels")
    presidency_code = SelectField(_l("Presidency"), choices=[], validate_choice=False,
                                  description=_l("Leave on 'proposed' to take the Presidency of the start date "
                                              "from the Presidency calendar."))
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    online_url = StringField(_l("Online link"), validators=[Optional(), Length(max=500)],
                             description=_l("For an online or hybrid meeting, e.g. https://…"))
    registration_deadline = OptionalDateField(_l("Registration deadline"), validators=[Optional()],
                                              description=_l("Invitees answer until the end of this day (meeting time zone)."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    marking = marking_field(_l("Marking of the meeting (agenda and invitation)"))
    minutes_marking = marking_field(_l("Marking of the minutes"))
    released_to_observers = BooleanField(
        _l("Documents and minutes released to observers"),
        description=_l("Observers (EU agencies, international organisations) invited to the meeting see its agenda; "
                    "they read its documents and minutes only once released, never those for Member States only."))
    clone_from = SelectField(_l("Copy agenda and invitees from"), choices=[], validate_choice=False,
                             description=_l("Start from an earlier meeting: its agenda items and invitee list."))


class AgendaItemForm(UnclassifiedForm):
    title = StringField(_l("Item"), validators=[DataRequired(), Length(max=300)])
    topic = SelectField(_l("Standing topic"), choices=Topic.choices())
    presenter = StringField(_l("Presenter"), validators=[Optional(), Length(max=200)])
    day = DateField(_l("Day"), validators=[Optional()])
    start_time = TimeField(_l("From"), validators=[Optional()])
    end_time = TimeField(_l("To"), validators=[Optional()])
    register_entry_id = SelectField(_l("Register entry"), choices=[], validate_choice=False,
                                    description=_l("Optional: a topic or obstacle of the register discussed here."))
    marking = marking_field()
    member_states_only = BooleanField(_l("Member States only"),
                                      description=_l("Hidden from observers: the item, its documents and its minutes."))


class DocumentForm(UnclassifiedForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    agenda_item_id = SelectField(_l("For"), choices=[], validate_choice=False)
    file = FileField(_l("File"), description=_l("PDF, Office or OpenDocument files, text, images."))
    marking = marking_field()
    member_states_only = BooleanField(_l("Member States only"), description=_l("Hidden from observers."))


class AnswerForm(UnclassifiedForm):
    answer = SelectField(_l("Your answer"), choices=[("", _l("— choose —"))] + Answer.choices(), validate_choice=False)
    delegate_name = StringField(_l("Delegate"), validators=[Optional(), Length(max=200)],
                                description=_l("When you send a delegate: their name and function."))


class DelegateForm(UnclassifiedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                       description=_l("As on the identity document."))
    function = StringField(_l("Function"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    nationality = StringField(_l("Nationality"), validators=[Optional(), Length(max=100)],
                              description=_l("For building access; erased when the meeting is over."))
    birth_date = DateField(_l("Date of birth"), validators=[Optional()],
                           description=_l("For building access; erased when the meeting is over."))
    document_number = StringField(_l("Identity document number"), validators=[Optional(), Length(max=60)],
                                  description=_l("Passport or identity card; erased when the meeting is over."))


class MinutesForm(UnclassifiedForm):
    text = TextAreaField(_l("Minutes (Markdown)"), validators=[Optional(), Length(max=100_000)])
    version = HiddenField()


class CommentForm(UnclassifiedForm):
    comment = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    agenda_item_id = SelectField(_l("On"), choices=[], validate_choice=False)


class ActionForm(UnclassifiedForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Details"), validators=[Optional(), Length(max=5000)])
    owner = SelectField(_l("Owner"), choices=[], validate_choice=False)
    due_on = DateField(_l("Due"), validators=[Optional()])
    agenda_item_id = SelectField(_l("Agenda item"), choices=[], validate_choice=False)


class ActionUpdateForm(UnclassifiedForm):
    status = SelectField(_l("Status"), choices=ActionStatus.choices())
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    owner = SelectField(_l("Owner"), choices=[], validate_choice=False)
    due_on = DateField(_l("Due"), validators=[Optional()])


class RegisterEntryForm(UnclassifiedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10_000)])
    topic = SelectField(_l("Standing topic"), choices=Topic.choices())
    country_code = SelectField(_l("Raised by"), choices=[], validate_choice=False)


class RegisterNoteForm(UnclassifiedForm):
    comment = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class ReportForm(UnclassifiedForm):
    class Meta:
        csrf = False  # a GET form

    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("To"), validators=[DataRequired()])
    marking = marking_field()


class YearForm(UnclassifiedForm):
    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
