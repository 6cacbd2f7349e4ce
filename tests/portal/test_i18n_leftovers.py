"""The last English leftovers of a French or German page (issue 19, items 11-12): the upload, marking, definition,
XLSForm, import-file and expression rule errors; Werkzeug's own 404 and 405 in the API's JSON; the labels of every
enumeration; the operations of a case's LED Art. 25 log; a country's name inside a French or German sentence
(the count of participants mailed for feedback: tests/portal/training/test_feedback.py)."""

from __future__ import annotations

import html
import re
from io import BytesIO

import pytest

from portal import enums, i18n
from portal.accounts.models import User
from portal.files import UploadError, zip_problem
from portal.markings import MarkingError, classified_refusal
from questionnaires.definitions import DefinitionError, load_definition_text
from questionnaires.expressions import ExpressionError, parse
from questionnaires.xlsform.errors import XLSFormImportError
from tests.questionnaires.conftest import open_mini as open_mini  # the fixture


def _language(app, user, lang):
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(User, user.id).language = lang


def _raised(fn, *args):
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - the error under test, whichever it is
        return exc
    raise AssertionError("nothing raised")


def _marked():
    message, values = classified_refusal("RESTREINT UE")
    return MarkingError(message, **values)


def _csv_columns():
    from casemgmt.services.import_file import read_rows

    return _raised(read_rows, "cases.csv", b"subject,shoe_size\nCheck,44\n")


ERRORS = {  # each raised as a service raises it; read in each language as a page or the API shows it
    "upload": (lambda: UploadError("This type of file is not accepted (allowed: %(types)s).", types=".pdf"),
               "This type of file is not accepted (allowed: .pdf).",
               "Ce type de fichier n'est pas accepté (types autorisés : .pdf).",
               "Dieser Dateityp wird nicht angenommen (zulässig: .pdf)."),
    "zip": (lambda: zip_problem(b"PK\x03\x04 not a zip"), "The file is damaged (not a readable archive).",
            "Le fichier est endommagé (archive illisible).", "Die Datei ist beschädigt (kein lesbares Archiv)."),
    "marking": (_marked, "Marked RESTREINT UE: the portal holds",
                "Marqué RESTREINT UE", "RESTREINT UE"),
    "definition": (lambda: _raised(load_definition_text, "- just\n- a list\n"),
                   "The file must hold a mapping with id, version, title and sections.",
                   "Le fichier doit contenir une table avec id, version, title et sections.",
                   "Die Datei muss eine Zuordnung mit id, version, title und sections enthalten."),
    "import file": (_csv_columns, "Unknown CSV columns: shoe_size.", "Colonnes CSV inconnues : shoe_size.",
                    "Unbekannte CSV-Spalten: shoe_size."),
    "expression": (lambda: _raised(parse, "${a} = 'open"), "unterminated string at position 8",
                   "chaîne non terminée à la position 8", "nicht abgeschlossene Zeichenkette an Position 8"),
    "expression token": (lambda: _raised(parse, "${a} ="), "unexpected end of expression at position 7",
                         "inattendu : la fin de l'expression à la position 7",
                         "unerwartet: das Ende des Ausdrucks an Position 7"),
}


@pytest.mark.parametrize("kind", list(ERRORS))
def test_each_rule_error_reads_in_the_language_of_the_page_that_shows_it(app, kind):
    make, english, french, german = ERRORS[kind]
    exc = make()
    assert isinstance(exc, (UploadError, MarkingError, DefinitionError, ExpressionError, XLSFormImportError)) or \
        type(exc).__name__ == "ImportFileError"
    assert str(exc).startswith(english)  # outside a request: English (the command line, the worker, a log)
    for lang, text in (("fr", french), ("de", german)):
        with app.test_request_context(headers={"Accept-Language": lang}):
            shown = str(exc)
        assert text in shown, (lang, shown)
        assert english not in shown, (lang, shown)


@pytest.mark.parametrize("lang,message", [
    ("fr", "Ce type de fichier n'est pas accepté (types autorisés : .pdf)."),
    ("de", "Dieser Dateityp wird nicht angenommen (zulässig: .pdf)."),
])
def test_a_refused_upload_is_answered_in_the_token_users_language(app, api, make_user, open_mini, lang, message):
    rid = open_mini()
    user = make_user("respondent", "BE")
    be = api(user)
    _language(app, user, lang)
    r = be.request("PUT", f"/api/v1/rounds/{rid}/responses/BE/answers/chart/file", content_type="multipart/form-data",
                   data={"file": (BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "chart.pdf"), "version": "1",
                         "scan_confirmed": "true"})
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["code"] == "invalid_file" and error["fields"] == {"file": message}


@pytest.mark.parametrize("lang,missing,method", [
    ("fr", "Il n'y a rien à cette adresse, ou vous n'êtes pas autorisé à le voir.",
     "Cette adresse n'accepte pas cette méthode."),
    ("de", "Unter dieser Adresse gibt es nichts, oder Sie dürfen es nicht sehen.",
     "Diese Adresse nimmt diese Methode nicht an."),
])
def test_werkzeugs_404_and_405_are_answered_in_the_requesters_language(app, api, make_user, client, lang, missing,
                                                                       method):
    user = make_user("officer", "BE")
    token = api(user)
    _language(app, user, lang)
    r = token.get("/api/v1/no-such-thing")  # no endpoint: answered before the API authenticates
    assert r.status_code == 404 and r.get_json()["error"] == {"code": "not_found", "message": missing, "fields": {}}
    r = token.request("DELETE", "/api/v1/me")
    assert r.status_code == 405 and r.get_json()["error"]["message"] == method
    assert r.get_json()["error"]["code"] == "method_not_allowed"
    # without a token: the browser's language; English by default
    r = client.get("/api/v1/no-such-thing", headers={"Accept-Language": lang})
    assert r.get_json()["error"]["message"] == missing
    assert "requested URL" not in client.get("/api/v1/no-such-thing").get_json()["error"]["message"]


def _enumerations():
    import importlib

    for name in (*i18n.LABEL_MODULES, "casemgmt.models.enums", "casemgmt.crosscheck.models"):
        importlib.import_module(name)
    pending, found = list(enums.LabelledEnum.__subclasses__()), []
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in i18n.SOURCES:
            found.append(cls)
    return found


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_every_enumeration_has_a_label_in_each_catalogue(lang):
    catalog = i18n.read_catalog(lang)
    classes = _enumerations()
    assert {"ApprovalKind", "ApprovalState", "DutyAlertKind", "DutyRole", "RunStatus", "BuildStatus"} <= \
        {c.__name__ for c in classes}
    for cls in classes:
        for member in cls:
            label = enums._LABELS.get((cls, member.value))
            assert label, f"{cls.__name__}.{member.name} has no label"
            assert label in catalog and catalog[label].string, (lang, cls.__name__, label)


def test_the_new_enumerations_read_in_french(app):
    from casemgmt.models.enums import ApprovalState, DutyAlertKind, RunStatus

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert ApprovalState.PENDING.label == "En attente d'approbation"
        assert DutyAlertKind.NEW_URGENT.label == "Nouveau dossier urgent"
        assert RunStatus.FAILED.label == "échec"


@pytest.mark.parametrize("lang,collected", [("fr", "Collecte"), ("de", "Erhebung"), ("en", "Collection")])
def test_the_case_log_names_each_operation_by_its_label(app, login_as, lang, collected):
    from casemgmt.schemas import validate_intake
    from casemgmt.services.intake import Uploads, register_incoming_message
    from tests.casemgmt.conftest import make_payload

    data, errors = validate_intake(make_payload())
    assert not errors, errors
    with app.extensions["spoc_db"].unit_of_work() as session:
        number = register_incoming_message(session, "BE", data, None, uploads=Uploads(
            app.config["UPLOAD_FOLDER"], 10 * 1024 * 1024)).case.registration_number
    c, user = login_as("officer", "BE")
    _language(app, user, lang)
    page = html.unescape(c.get(f"/cases/{number}").get_data(as_text=True))
    log = page[page.index('id="log-h"'):]
    log = log[:log.index("</table>")]
    actions = re.findall(r"<tr><td[^>]*>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", log)
    assert collected in actions, actions
    assert not {"collection", "consultation"} & set(actions), actions


# a preposition or a verb of French right before a country's name needs its article ("ne lie pas le Danemark",
# "de la France", "aux Pays-Bas"), which depends on the country: such a name stands after a colon or a dash
_FRENCH_BEFORE_NAME = re.compile(r"(?:\bde|\bà|\bpour|\bpar|\bpas|\bavec|\bdu SPOC de) %\((country|counterpart)\)s")


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_a_countrys_name_never_needs_an_article_in_a_sentence(app, lang):
    catalog = i18n.read_catalog(lang)
    german = re.compile(r"\b(?:von|für|an|in|nach|aus) %\((country|counterpart)\)s(?! \()")
    codes = {"%(country)s answered", "Raised by %(country)s"}  # a code (BE, NL), not a name
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.id in codes:
            continue
        text = message.string
        assert not (_FRENCH_BEFORE_NAME if lang == "fr" else german).search(text), (message.id, text)
    with app.test_request_context(headers={"Accept-Language": lang}):
        from casemgmt.services import CaseError

        shown = str(CaseError("Directive (EU) 2023/977 does not bind %(country)s (see its recitals); choose another "
                              "legal framework.", country="Pays-Bas" if lang == "fr" else "Niederlande"))
    assert ("ce pays : Pays-Bas" if lang == "fr" else "dieses Land nicht bindend: Niederlande") in shown
