"""Forms of the directory pages."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.forms import UnclassifiedForm


class SpocForm(UnclassifiedForm):
    name = StringField("Name of the SPOC", validators=[DataRequired(), Length(max=200)])
    address = TextAreaField("Postal address", validators=[Optional(), Length(max=1000)])
    phone_24_7 = StringField("24/7 phone", validators=[Optional(), Length(max=40)],
                             description="International form, e.g. +32 2 123 45 67.")
    email = StringField("Functional email", validators=[Optional(), Length(max=254)])
    languages = StringField("Languages accepted", validators=[Optional(), Length(max=200)],
                            description="Two-letter codes separated by commas, e.g. en, fr, nl.")
    head_name = StringField("Head of SPOC", validators=[Optional(), Length(max=200)])
    bound_by_2023_977 = BooleanField(
        "Bound by Directive (EU) 2023/977",
        description="Its recitals 44-48: Denmark is not bound unless it implements it; Ireland and the "
                    "Schengen-associated countries are. Exchanges under the Directive with a country it does not "
                    "bind are refused.")


class PresidencyForm(UnclassifiedForm):
    year = IntegerField("Year", validators=[DataRequired(), NumberRange(2000, 2100)])
    half = SelectField("Half-year", choices=[("1", "January-June"), ("2", "July-December")])
    country_code = SelectField("Presidency", choices=[], validate_choice=False)
