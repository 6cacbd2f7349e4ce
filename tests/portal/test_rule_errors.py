"""One RuleError base (portal/errors.py): every domain's refusals are RuleErrors naming their field,
shown beside that field on a page and answered with their status by the API."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from casemgmt.crosscheck.services import CrossCheckError
from casemgmt.services import CaseError
from portal.accounts.services import AccountError
from portal.directory.services import DirectoryError
from portal.errors import ConflictError, RuleError, show_beside_field
from portal.funding.services import FundingError
from portal.meetings.services import MeetingError
from portal.training.services import TrainingError
from questionnaires.services import Locked, QuestionnaireError, StaleVersion


@pytest.mark.parametrize("error", [AccountError, DirectoryError, FundingError, MeetingError, TrainingError,
                                   QuestionnaireError, CaseError, CrossCheckError])
def test_every_domain_error_is_a_rule_error_with_its_field(error):
    exc = error("Enter a title.", "title")
    assert isinstance(exc, RuleError) and exc.field == "title" and str(exc) == "Enter a title."
    assert exc.status == 422


def test_conflicts_answer_409():
    assert ConflictError("Already adopted.").status == 409
    assert StaleVersion("Changed meanwhile.").status == 409 and Locked("Submitted.").status == 409


class _Form(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title")
    place = StringField("Place")


def test_the_error_is_shown_beside_its_field_or_as_a_message(app):
    with app.test_request_context("/"):
        from flask import get_flashed_messages

        form = _Form(formdata=None)
        show_beside_field(form, MeetingError("Enter a place.", "place"))
        assert form.place.errors == ["Enter a place."] and not form.title.errors
        show_beside_field(form, MeetingError("Not now.", "minutes_state"))
        assert get_flashed_messages(with_categories=True) == [("danger", "Not now.")]
        show_beside_field(form, TrainingError("Not now."), fallback="first")
        assert form.title.errors == ["Not now."]


def test_a_service_name_is_mapped_to_the_form_field(app):
    with app.test_request_context("/"):
        form = _Form(formdata=None)
        show_beside_field(form, AccountError("This password is too common; choose another.", "password"),
                          fields={"password": "place"})
        assert form.place.errors == ["This password is too common; choose another."] and not form.title.errors


def test_input_and_format_errors_are_rule_errors_naming_their_field():
    from casemgmt.services.import_file import ImportFileError
    from portal.files import ScanNotConfirmed, UploadError
    from portal.markings import MarkingError
    from questionnaires.definitions import DefinitionError
    from questionnaires.expressions import ExpressionError
    from questionnaires.xlsform.errors import XLSFormError, XLSFormImportError

    for exc, field in ((UploadError("Too large."), "file"), (ScanNotConfirmed("A scan."), "scan_confirmed"),
                       (ImportFileError("No header."), "file"), (MarkingError("Classified."), "markings"),
                       (DefinitionError("Bad."), "file"), (ExpressionError("Bad.", 3), "expression"),
                       (XLSFormImportError([XLSFormError("survey", 2, "type", "Unknown type.")]), "file")):
        assert isinstance(exc, RuleError) and exc.status == 422 and exc.field == field
    assert str(ExpressionError("Unexpected end", 4)) == "Unexpected end at position 4"


def test_a_missing_object_is_a_404_naming_no_field(app):
    from casemgmt.crosscheck.services import NoSuchHit

    exc = NoSuchHit("There is no such hit in this case.", "hit")
    assert isinstance(exc, CrossCheckError) and exc.status == 404
