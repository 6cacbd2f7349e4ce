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
    """On the meeting page beside the agenda item form, whose fields have the same names: its own ids (the
    labels, hints and errors point at its fields, not the item form's)."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)], id="document-title")
    agenda_item_id = SelectField(_l("For"), choices=[], validate_choice=False, id="document-agenda_item_id")
    file = FileField(_l("File"), description=_l("PDF, Office or OpenDocument files, text, images."), id="document-file")
    marking = marking_field(id="document-marking")
    member_states_only = BooleanField(_l("Member States only"), description=_l("Hidden from observers."),
                                      id="document-member_states_only")
    scan_confirmed = BooleanField(_l("A scanned PDF: I confirm it holds no EU classified marking"),
                                  description=_l("The portal reads every PDF for a classification marking, but "
                                                 "cannot read a scan that has no text layer."),
                                  id="document-scan_confirmed")


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

    answer = SelectField(_l("Your answer"), choices=[("", _l("— choose —"))] + Answer.choices(), validate_choice=False)
    participants = FieldList(FormField(ParticipantForm), max_entries=MAX_DELEGATES)


BLANK_ROWS = 2  # rows offered for new participants; saving offers two more


def answer_form_for(invitation) -> AnswerForm:
    """The invitation's answer with its delegation: a row per participant, then blank rows for new ones."""
    rows = [dict(delegate_id=str(d.id), name=d.name, function=d.function, email=d.email, nationality=d.nationality,
                 birth_date=d.birth_date, document_number=d.document_number) for d in invitation.delegates]
    rows += [{}] * max(0, min(BLANK_ROWS, MAX_DELEGATES - len(rows)))
    return AnswerForm(formdata=None, data={"answer": invitation.answer or "", "participants": rows})


class MinutesForm(UnclassifiedForm):
    text = TextAreaField(_l("Minutes (Markdown)"), validators=[Optional(), Length(max=100_000)])
    version = HiddenField()


class CommentForm(UnclassifiedForm):
    comment = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    agenda_item_id = SelectField(_l("On"), choices=[], validate_choice=False, default="")  # checked in the view


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
