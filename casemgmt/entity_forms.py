"""Forms of a case's persons and objects (casemgmt.services.entities); their values are checked by the
intake's model (casemgmt.schemas), as the API's (casemgmt.entities_api)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from casemgmt.models import DataSubjectCategory
from portal.enums import N_

ENTITY_KIND_CHOICES = [("person", N_("Person")), ("document", N_("Identity document")), ("vehicle", N_("Vehicle")),
                       ("phone", N_("Phone number")), ("email", N_("Email address")), ("company", N_("Company")),
                       ("address", N_("Postal address")), ("bank_account", N_("Bank account")), ("ip_address", N_("IP address")),
                       ("crypto_address", N_("Crypto-currency address")), ("handle", N_("Social-media or messaging handle"))]
_KIND_LABELS = dict(ENTITY_KIND_CHOICES)


def kind_label(kind: str) -> str:
    """An entity's kind as the reader says it (the form's label, in the page's language): "Identity document",
    not "document"."""
    from portal.enums import translated

    label = _KIND_LABELS.get(kind)
    return translated(label) if label else kind.replace("_", " ")


class PersonFieldsMixin:
    surname = StringField("Surname", validators=[Optional(), Length(max=200)])
    given_names = StringField("Given names", validators=[Optional(), Length(max=200)])
    date_of_birth = StringField("Date of birth", validators=[Optional()],
                                description="YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.")
    nationality = StringField("Nationality", validators=[Optional(), Length(max=2)], description="e.g. PL")
    category = SelectField("Data-subject category", choices=DataSubjectCategory.choices(), validate_choice=False,
                           default="unknown")
    assessment = BooleanField("This is an assessment, not a fact")


class EntityForm(PersonFieldsMixin, FlaskForm):
    """One person or object added to a case; values are checked by the intake's model (casemgmt.schemas)."""

    kind = SelectField("Kind", choices=ENTITY_KIND_CHOICES, validate_choice=False, default="person")
    doc_type = StringField("Document type", validators=[Optional(), Length(max=40)],
                           description="passport, id_card, driving_licence…")
    doc_number = StringField("Document number", validators=[Optional(), Length(max=80)])
    plate = StringField("Plate", validators=[Optional(), Length(max=30)])
    vin = StringField("VIN", validators=[Optional(), Length(max=30)])
    country = StringField("Country (document, vehicle, company, address)", validators=[Optional(), Length(max=2)])
    phone = StringField("Phone number", validators=[Optional(), Length(max=40)])
    email = StringField("Email address", validators=[Optional(), Length(max=254)])
    company = StringField("Company name", validators=[Optional(), Length(max=200)])
    street = StringField("Street", validators=[Optional(), Length(max=200)])
    house_number = StringField("House number", validators=[Optional(), Length(max=20)])
    postcode = StringField("Postcode", validators=[Optional(), Length(max=20)])
    city = StringField("City", validators=[Optional(), Length(max=120)])
    iban = StringField("IBAN", validators=[Optional(), Length(max=50)], description="Its check digits are verified.")
    bic = StringField("BIC", validators=[Optional(), Length(max=20)])
    holder = StringField("Account holder", validators=[Optional(), Length(max=200)])
    ip = StringField("IP address", validators=[Optional(), Length(max=60)], description="IPv4 or IPv6.")
    crypto_currency = StringField("Currency", validators=[Optional(), Length(max=10)],
                                  description="BTC or ETH (told by the address when left empty), or another code.")
    crypto_address = StringField("Crypto-currency address", validators=[Optional(), Length(max=130)])
    platform = StringField("Platform", validators=[Optional(), Length(max=30)],
                           description="e.g. telegram, x, instagram, whatsapp, signal")
    handle = StringField("Handle", validators=[Optional(), Length(max=200)], description="@name or profile link")
    justification = StringField("Why it is added", validators=[
        DataRequired(message="Say why the case's data are changed."), Length(max=2000)],
        description="e.g. the requester's follow-up message of today")

    # the form's fields for each kind: {schema field: form field}
    FIELDS = {
        "person": {"surname": "surname", "given_names": "given_names", "date_of_birth": "date_of_birth",
                   "nationality": "nationality", "category": "category", "assessment": "assessment"},
        "document": {"type": "doc_type", "number": "doc_number", "country": "country"},
        "vehicle": {"plate": "plate", "country": "country", "vin": "vin"},
        "phone": {"number": "phone"},
        "email": {"address": "email"},
        "company": {"name": "company", "country": "country"},
        "address": {"street": "street", "number": "house_number", "postcode": "postcode", "city": "city",
                    "country": "country"},
        "bank_account": {"iban": "iban", "bic": "bic", "holder": "holder"},
        "ip_address": {"address": "ip"},
        "crypto_address": {"currency": "crypto_currency", "address": "crypto_address"},
        "handle": {"platform": "platform", "handle": "handle"},
    }
    FIRST = {"person": "surname", "document": "doc_number", "vehicle": "plate", "phone": "phone", "email": "email",
             "company": "company", "address": "street", "bank_account": "iban", "ip_address": "ip",
             "crypto_address": "crypto_address", "handle": "handle"}

    def entity_data(self) -> dict:
        kind = self.kind.data if self.kind.data in self.FIELDS else "person"
        data: dict = {"kind": self.kind.data}
        for name, field in self.FIELDS[kind].items():
            value = getattr(self, field).data
            if isinstance(value, str):
                value = value.strip()
                if value == "" and name in ("date_of_birth", "nationality", "country"):
                    value = None
            data[name] = value
        return {k: v for k, v in data.items() if v is not None}

    def field_for(self, key: str) -> str:
        """The form field a schema error belongs to ("body": the kind's first field, or the kind
        itself when it is unknown); a key of no field (such as "case") is shown above the page."""
        if self.kind.data not in self.FIELDS:
            return "kind" if key in ("body", "kind") else key
        name = key.split(".")[0]
        if name == "body":
            return self.FIRST[self.kind.data]
        return self.FIELDS[self.kind.data].get(name, "justification" if name == "justification" else key)


class PersonForm(PersonFieldsMixin, FlaskForm):
    justification = StringField("Why it is changed", validators=[
        DataRequired(message="Say why the case's data are changed."), Length(max=2000)])


class FlagForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired(message="Give the reason."), Length(max=2000)])
    inaccurate = SelectField("Flag", choices=[("1", N_("flag as inaccurate or out of date")), ("0", N_("remove the flag"))],
                             default="1")
