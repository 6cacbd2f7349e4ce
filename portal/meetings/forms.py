"""Forms of the meetings pages; choices are filled by the views from the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm  # noqa: F401
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
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
from portal.meetings.services.delegations import MAX_DELEGATES


class MeetingForm(UnclassifiedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    start = DateTimeLocalField("Starts", format="%Y-%m-%dT%H:%M", validators=[DataRequired()],
                               description="Local time at the venue, in the time zone below.")
    end = DateTimeLocalField("Ends", format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    timezone = SelectField("Time zone", choices=[], validate_choice=False, default="Europe/Brussels")
    presidency_code = SelectField("Presidency", choices=[], validate_choice=False,
                                  description="Leave on 'proposed' to take the Presidency of the start date "
                                              "from the Presidency calendar.")
    venue = StringField("Venue", validators=[Optional(), Length(max=300)])
    online_url = StringField("Online link", validators=[Optional(), Length(max=500)],
                             description="For an online or hybrid meeting, e.g. https://…")
    registration_deadline = DateField("Registration deadline", validators=[Optional()],
                                      description="Invitees answer until the end of this day (meeting time zone).")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    marking = marking_field("Marking of the meeting (agenda and invitation)")
    minutes_marking = marking_field("Marking of the minutes")
    released_to_observers = BooleanField(
        "Documents and minutes released to observers",
        description="Observers (EU agencies, international organisations) invited to the meeting see its agenda; "
                    "they read its documents and minutes only once released, never those for Member States only.")
    clone_from = SelectField("Copy agenda and invitees from", choices=[], validate_choice=False,
                             description="Start from an earlier meeting: its agenda items and invitee list.")


class AgendaItemForm(UnclassifiedForm):
    title = StringField("Item", validators=[DataRequired(), Length(max=300)])
    topic = SelectField("Standing topic", choices=Topic.choices())
    presenter = StringField("Presenter", validators=[Optional(), Length(max=200)])
    day = DateField("Day", validators=[Optional()])
    start_time = TimeField("From", validators=[Optional()])
    end_time = TimeField("To", validators=[Optional()])
    register_entry_id = SelectField("Register entry", choices=[], validate_choice=False,
                                    description="Optional: a topic or obstacle of the register discussed here.")
    marking = marking_field()
    member_states_only = BooleanField("Member States only",
                                      description="Hidden from observers: the item, its documents and its minutes.")


class DocumentForm(UnclassifiedForm):
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    agenda_item_id = SelectField("For", choices=[], validate_choice=False)
    file = FileField("File", description="PDF, Office or OpenDocument files, text, images.")
    marking = marking_field()
    member_states_only = BooleanField("Member States only", description="Hidden from observers.")
    scan_confirmed = BooleanField(_l("A scanned PDF: I confirm it holds no EU classified marking"),
                                  description=_l("The portal reads every PDF for a classification marking, but "
                                                 "cannot read a scan that has no text layer."))


class ParticipantForm(Form):
    """One participant of a delegation: a row of the answer form (the form's own CSRF token covers it)."""

    delegate_id = HiddenField()
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)],
                       description=_l("As on the identity document."))
    function = StringField(_l("Function"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    nationality = StringField(_l("Nationality"), validators=[Optional(), Length(max=100)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    document_number = StringField(_l("Identity document number"), validators=[Optional(), Length(max=60)],
                                  description=_l("Passport or identity card."))
    remove = BooleanField(_l("Remove from the delegation"))

    def is_blank(self) -> bool:
        return not self.delegate_id.data and not any(
            (f.data or "") for f in (self.name, self.function, self.email, self.nationality, self.document_number)
        ) and self.birth_date.data is None


# portal.markings.SCAN_NOTE marked for the catalogues: the layout shows the flashed note in the page's language
SCAN_NOTE = _l("This PDF has no text layer (a scan, or text drawn as pictures): the portal cannot read it for an "
               "EU classification marking. Tick the box to confirm that it holds none, and upload it again.")


class AnswerForm(UnclassifiedForm):
    """The answer to an invitation with the delegation in one form (as Indico's registration); after the
    registration deadline, until the meeting is over, the delegation alone."""

    answer = SelectField(_l("Your answer"), choices=[("", "— choose —")] + Answer.choices(), validate_choice=False)
    participants = FieldList(FormField(ParticipantForm), max_entries=MAX_DELEGATES)


BLANK_ROWS = 2  # rows offered for new participants; saving offers two more


def answer_form_for(invitation) -> AnswerForm:
    """The invitation's answer with its delegation: a row per participant, then blank rows for new ones."""
    rows = [dict(delegate_id=str(d.id), name=d.name, function=d.function, email=d.email, nationality=d.nationality,
                 birth_date=d.birth_date, document_number=d.document_number) for d in invitation.delegates]
    rows += [{}] * max(0, min(BLANK_ROWS, MAX_DELEGATES - len(rows)))
    return AnswerForm(formdata=None, data={"answer": invitation.answer or "", "participants": rows})


class MinutesForm(UnclassifiedForm):
    text = TextAreaField("Minutes (Markdown)", validators=[Optional(), Length(max=100_000)])
    version = HiddenField()


class CommentForm(UnclassifiedForm):
    comment = TextAreaField("Comment", validators=[DataRequired(), Length(max=5000)])
    agenda_item_id = SelectField("On", choices=[], validate_choice=False)


class ActionForm(UnclassifiedForm):
    title = StringField("Action", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Details", validators=[Optional(), Length(max=5000)])
    owner = SelectField("Owner", choices=[], validate_choice=False)
    due_on = DateField("Due", validators=[Optional()])
    agenda_item_id = SelectField("Agenda item", choices=[], validate_choice=False)


class ActionUpdateForm(UnclassifiedForm):
    status = SelectField("Status", choices=ActionStatus.choices())
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=5000)])
    owner = SelectField("Owner", choices=[], validate_choice=False)
    due_on = DateField("Due", validators=[Optional()])


class RegisterEntryForm(UnclassifiedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=10_000)])
    topic = SelectField("Standing topic", choices=Topic.choices())
    country_code = SelectField("Raised by", choices=[], validate_choice=False)


class RegisterNoteForm(UnclassifiedForm):
    comment = TextAreaField("Note", validators=[Optional(), Length(max=5000)])


class ReportForm(UnclassifiedForm):
    class Meta:
        csrf = False  # a GET form

    start = DateField("From", validators=[DataRequired()])
    end = DateField("To", validators=[DataRequired()])
    marking = marking_field()


class YearForm(UnclassifiedForm):
    class Meta:
        csrf = False

    year = IntegerField("Year", validators=[DataRequired(), NumberRange(2000, 2100)])
