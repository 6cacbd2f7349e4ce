"""Forms of the accounts pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from portal.accounts.models import ROLE_LABELS
from portal.accounts.services import EMAIL_RE


def email_address(message: str = _l("Give an email address such as name@police.example.eu.")):
    """The portal's one email check for forms (reserved domains such as .invalid are accepted)."""
    return Regexp(EMAIL_RE, message=message)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(message=_l("Enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                                 description=_l("At least 10 characters; not a common password."))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", "The two passwords differ.")])


class SetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                                 description=_l("At least 10 characters; not a common password."))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", "The two passwords differ.")])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[Optional(), Length(max=100)],
                       description=_l("What the token is for, e.g. 'statistics export'."))


def _role_choices():
    return [(r.value, label) for r, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(message=_l("Enter an email address.")), Length(max=254),
                                            email_address()])
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=_role_choices)
    country_code = SelectField(_l("Country"), choices=[], validate_choice=False,
                               description="Every role but administrator, secretariat and observer "
                                           "belongs to one country.")
    agency_code = SelectField(_l("Agency"), choices=[], validate_choice=False,
                              description=_l("Only for agency observers."))

    def set_scopes(self, countries, agencies):
        self.country_code.choices = [("", "—")] + [(c.code, f"{c.name} ({c.code})") for c in countries]
        self.agency_code.choices = [("", "—")] + [(a.code, a.name) for a in agencies]


class UserEditForm(UserForm):
    email = None  # the email identifies the account and does not change
