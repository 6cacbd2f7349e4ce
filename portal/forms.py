"""What every form of network material shares: text marked as EU classified information is refused beside the
field that holds it, and the marking is chosen from the secretariat's list (portal.markings)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from portal.markings import classified_problem, marking_choices


def marking_field(label: str = "Marking", **kwargs) -> SelectField:
    return SelectField(label, choices=[("", "None")], validate_choice=False, default="",
                       description="Printed on the page and in the header and footer of every file made of it.", **kwargs)


class UnclassifiedForm(FlaskForm):
    """A form whose text fields refuse EU classified markings (RESTREINT UE and above)."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField | TextAreaField) and isinstance(field.data, str):
                if problem := classified_problem(field.data):
                    field.errors = [*field.errors, problem]
                    ok = False
        return ok

    def fill_markings(self, session, current: str = "") -> None:
        """Offer the secretariat's markings in every marking field (keeping one the object already carries)."""
        for field in self:
            if isinstance(field, SelectField) and field.name.endswith("marking"):
                field.choices = marking_choices(session, current or (field.data or ""))
