"""The page chrome in the three procedural languages (English, French, German) with Flask-Babel.

- The locale: the user's chosen language when it is one of LANGUAGES, then the browser's
  Accept-Language among them, then English. The time zone: the user's.
- Messages are marked with `_()` / `gettext` (templates, views) and `lazy_gettext` (forms, module
  constants). Messages that the shared layout translates when it shows them are marked by where they
  are written: `flash("...")` and `NavItem(endpoint, "...")` are extraction keywords (KEYWORDS), so a
  domain's flash and menu entry need no wrapper.
- Catalogues: portal/translations/<lang>/LC_MESSAGES/messages.po, compiled to .mo (committed, shipped
  as package data, and recompiled at start when a .po is newer or the .mo is missing).
  `spoc i18n extract` writes the template (messages.pot), `spoc i18n update` merges it into the
  catalogues, `spoc i18n compile` compiles them. tests/portal/test_i18n.py fails when a catalogue lacks
  a message.
"""

from __future__ import annotations

import ast
import copy
import io
import os
from contextlib import contextmanager, nullcontext
from pathlib import Path

from babel.messages import pofile
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel, get_translations, gettext, lazy_gettext
from flask_login import current_user

from portal import enums

LANGUAGES = ("en", "fr", "de")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch"}  # each in its own language
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
BABEL_CFG = ROOT / "babel.cfg"
# the packages whose code and templates carry messages
SOURCES = ("portal", "questionnaires", "reports", "casemgmt")
# Python: the function and the position of its message argument. A domain's rule error (a RuleError subclass) is
# a message where it is raised with a plain string (named placeholders for what changes, given as keywords):
# portal/errors.py looks it up when it is shown (`str(exc)`, `rule_message`), in the reader's language.
# `nothing_done` (portal/api.py): an API answer's summary.
RULE_ERRORS = {name: 0 for name in (
    "MeetingError", "TrainingError", "InvalidFeedback", "QuestionnaireError", "StaleVersion", "Locked",
    "DirectoryError", "FundingError", "AccountError", "CaseError", "CaseClosedError", "NothingChanged",
    "CrossCheckError", "NoSuchHit", "UploadError", "MarkingError", "DefinitionError", "ImportFileError",
    "ExpressionError", "NotFoundError", "ConflictError", "ReportError")}
# `APIError(status, code, message)` (portal/api.py): an API answer's message, translated when the JSON is made.
# `say` (portal.enums): a text that a service writes for people (a report's titles and lines), in the reader's language;
# `say_in(language, message)`: one in a language chosen for it (a partner SPOC's request); say_n_in: its plural form
PYTHON_KEYWORDS = {**RULE_ERRORS, "N_": 0, "say": 0, "say_in": 1, "_": 0, "gettext": 0, "lazy_gettext": 0, "_l": 0,
                   "flash": 0, "NavItem": 1, "nothing_done": 0, "APIError": 2}
TEMPLATE_METHODS = [("**/static/**", "ignore"), ("**/translations/**", "ignore"),
                    ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.do", "trimmed": "true"}}


def select_locale() -> str:
    """The page's (or the API answer's: its token's user, portal/api.py) language."""
    user = g.get("api_user") or current_user
    chosen = getattr(user, "language", None) if user and user.is_authenticated else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def select_timezone() -> str | None:
    user = current_user
    if user and user.is_authenticated:
        return getattr(user, "timezone", None) or None
    return None


def forced_language() -> str | None:
    """The language Flask-Babel's `force_locale` imposes (a mail in its recipient's language, a report built by the
    worker in its requester's: reports/jobs.py), in or out of a request; None when none is forced."""
    if not has_app_context():
        return None
    forced = getattr(g.get("_flask_babel"), "forced_babel_locale", None)
    return forced.language if forced is not None else None


@contextmanager
def in_language(language: str):
    """Write a file or mail in `language` (Flask-Babel's `force_locale`): messages (`say`, `_`), labels and days
    in it whatever the page's language, and the page's again afterwards (portal/mail.py, a certificate)."""
    if not has_app_context():  # the command line without an app: nothing to force
        yield
        return
    from flask_babel import force_locale

    outer = getattr(g.get("_flask_babel"), "forced_babel_locale", None)  # forced already (a build, a mail)
    g.pop("page_language", None)  # current_language follows the forced locale ...
    try:
        with force_locale(language if language in LANGUAGES else "en"):
            yield
    finally:
        g.pop("page_language", None)  # ... and the page's again afterwards
        if outer is not None:  # Flask-Babel forgets an outer force_locale when an inner one ends
            g._flask_babel.forced_babel_locale = outer


def translate_in(language: str, message, plural: str | None = None, num: int = 1) -> str:
    """A message (N_, `say`; `say_n_in`: its `plural` for `num`) in `language`, whatever the page's: a text in the
    language chosen for it (a partner SPOC's request, a report built for its reader). Unchanged outside the app."""
    if not message or not has_app_context():
        return str(plural if plural is not None and num != 1 else message or "")
    same = language == current_language() and (has_request_context() or forced_language() is not None)
    with nullcontext() if same else in_language(language):
        found = page_translations()
        return found.ugettext(str(message)) if plural is None else found.ungettext(str(message), plural, num)


def current_language() -> str:
    """The language of the page being rendered, or the one forced (`forced_language`); 'en' outside a request."""
    forced = forced_language()
    if forced is not None:
        return forced
    if not has_request_context():
        return "en"
    lang = g.get("page_language")
    if lang is None:
        from flask_babel import get_locale

        locale = get_locale()
        lang = g.page_language = locale.language if locale else "en"
    return lang


def _locale_language() -> str:
    """The language of the page or mail being made: Flask-Babel's locale (a mail's under `force_locale`)."""
    if not has_request_context():
        return "en"
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "en"


def page_translations():
    """Flask-Babel's get_translations(), looked up once per request and locale: each lookup reads the
    request's context and spells the locale out again, a fifth of the questionnaire page's time for its
    ~1,000 messages (issue 24). Kept beside the locale it was made for, so `force_locale` (a mail in the
    recipient's language) gets its own."""
    try:
        ctx = g._flask_babel
        memo = ctx.spoc_translations
        if memo[0] is ctx.babel_locale:
            return memo[1]
    except (AttributeError, RuntimeError):  # no request yet, no locale chosen yet, or no memo
        pass
    translations = get_translations()
    ctx = g.get("_flask_babel") if has_request_context() else None
    if ctx is not None and getattr(ctx, "babel_locale", None) is not None:
        ctx.spoc_translations = (ctx.babel_locale, translations)
    return translations


def translate(message) -> str:
    """A message already written (a flashed message, a menu entry, a form label) in the page's language;
    unchanged when the catalogue does not have it. No %-formatting: the text is shown as it is."""
    if not message:
        return message or ""
    if not has_request_context() and forced_language() is None:
        return str(message)
    return page_translations().ugettext(str(message))


def translate_choices(field) -> str:
    """The options of a select or checkbox list in the page's language, before the shared field macro renders
    it: each label looked up in the catalogue (an enumeration's label, a list marked N_), a name as typed.
    Changes the bound field of this request's form only; returns "" (for `{% set _ = ... %}`)."""
    choices = getattr(field, "choices", None)
    if not choices or not has_request_context():
        return ""
    if isinstance(choices, dict):  # option groups
        field.choices = {translate(group): [_translated_choice(c) for c in items] for group, items in choices.items()}
    else:
        field.choices = [_translated_choice(c) for c in choices]
    return ""


def _translated_choice(choice):
    if isinstance(choice, tuple) and len(choice) >= 2 and isinstance(choice[1], str):
        return (choice[0], translate(choice[1]), *choice[2:])
    return choice


# ---- catalogues ----

def _python_messages(path: Path):
    """(line, message) of each marked call in a Python file: a plain string, or each branch of
    `"a" if c else "b"`; an f-string or a concatenation is not a message (it cannot be looked up)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else None
        plural = {"ngettext": 0, "say_n_in": 1}.get(name)  # a plural message: (singular, plural)
        if plural is not None and len(node.args) >= plural + 2 and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[plural:plural + 2]):
            yield node.lineno, (node.args[plural].value, node.args[plural + 1].value)
            continue
        if name and name.endswith("Field") and name != "Field":  # a WTForms field (pydantic's is `Field`): its label
            # and description, plain strings translated where the field macro shows them (`|t`, templates/_macros.html)
            for node_ in (*node.args[:1], *(k.value for k in node.keywords if k.arg in ("label", "description"))):
                yield from _literals(node_)
            continue
        if name not in PYTHON_KEYWORDS or len(node.args) <= PYTHON_KEYWORDS[name]:
            continue
        yield from _literals(node.args[PYTHON_KEYWORDS[name]])


def _literals(node):
    if isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        yield node.lineno, node.value


def extract() -> Catalog:
    """Every marked message of the portal's code and templates, as a Babel catalogue (the template)."""
    catalog = Catalog(project="spoc-portal", version="1", msgid_bugs_address="", charset="utf-8", fuzzy=False)
    for package in SOURCES:
        base = ROOT / package
        for path in sorted(base.rglob("*.py")):
            for lineno, message in _python_messages(path):
                catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)])
        for filename, lineno, message, comments, context in extract_from_dir(
                str(base), method_map=TEMPLATE_METHODS, options_map=OPTIONS, keywords=DEFAULT_KEYWORDS,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            path = os.path.relpath(os.path.join(base, filename), ROOT)
            catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    for label, where in labels().items():
        if label not in catalog:
            catalog.add(label, None, [(where, 0)])
    return catalog


LABEL_MODULES = ("portal.accounts.models", "questionnaires.models", "casemgmt.models", "portal.training.models",
                 "portal.meetings.enums", "portal.funding.enums", "reports.models")


def labels() -> dict[str, str]:
    """The labels of enumerations and roles (tables in code, shown through portal.enums.translated): label -> module."""
    import importlib

    found: dict[str, str] = {}
    for name in LABEL_MODULES:
        importlib.import_module(name)
    from portal.accounts.models import ROLE_LABELS
    from questionnaires.models import ResponseEvent, ResponseStatus, RoundStatus

    for (cls, _value), label in enums._LABELS.items():
        if cls.__module__.split(".")[0] not in SOURCES:
            continue  # a test's own enumeration
        found.setdefault(label, cls.__module__.replace(".", "/") + ".py")
    for label in ROLE_LABELS.values():
        found.setdefault(label, "portal/accounts/models.py")
    for cls in (ResponseStatus, RoundStatus):
        for member in cls:
            found.setdefault(member.label, "questionnaires/models.py")
    for label in ResponseEvent.LABELS.values():
        found.setdefault(label, "questionnaires/models.py")
    return found


def read_catalog(lang: str, directory: Path = TRANSLATIONS) -> Catalog:
    with open(directory / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return pofile.read_po(fh, locale=lang)


def compile_catalogues(directory: Path = TRANSLATIONS, force: bool = False) -> list[Path]:
    """Compile each messages.po whose .mo is missing or older (or all, `force`); the compiled paths."""
    done = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as fh:
            catalog = pofile.read_po(fh, locale=po.parent.parent.name)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        if not mo.exists() or mo.read_bytes() != buffer.getvalue():
            temporary = mo.with_suffix(f".{os.getpid()}.tmp")  # a reader never sees half a file
            temporary.write_bytes(buffer.getvalue())
            os.replace(temporary, mo)
        else:
            os.utime(mo)  # the same content: only newer than its .po from now on
        done.append(mo)
    return done


def _translation_directory(app: Flask) -> str:
    """The shipped catalogues, compiled when needed; into the instance folder when the package is read-only."""
    try:
        compile_catalogues(TRANSLATIONS)
        return str(TRANSLATIONS)
    except OSError:
        target = Path(app.instance_path) / "translations"
        for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
            dest = target / po.parent.relative_to(TRANSLATIONS)
            dest.mkdir(parents=True, exist_ok=True)
            (dest / "messages.po").write_bytes(po.read_bytes())
        compile_catalogues(target)
        return str(target)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Brussels")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = _translation_directory(app)
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["t"] = translate
    app.jinja_env.install_gettext_callables(  # as Flask-Babel's, through the request's memo (page_translations)
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n), newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n))
    enums.set_translator(translate)  # enumeration and role labels in the page's language
    enums.set_language(_locale_language)  # country names (portal.directory.reference.country_name)
    enums.set_translator_in(translate_in)  # a text in a language chosen for it (portal.enums.say_in)
    app.jinja_env.globals["page_language"] = current_language
    app.jinja_env.globals["translate_choices"] = translate_choices
    from portal.directory.reference import country_name

    app.jinja_env.globals["country_name"] = country_name  # in the page's language (issue 19)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.filters["native_language"] = native_language_name


def native_language_name(code: str) -> str:
    """A language by its name in itself (Babel's locale data: 'nl' -> 'Nederlands', 'pl' -> 'Polski'), for a choice
    of language; the code when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


__all__ = ["LANGUAGES", "gettext", "lazy_gettext", "translate", "extract", "compile_catalogues", "init_app"]


def update_catalogues(template: Catalog, directory: Path = TRANSLATIONS) -> dict[str, int]:
    """Merge the extracted messages into each language's catalogue; how many each lacks afterwards."""
    missing = {}
    for lang in LANGUAGES:
        path = directory / lang / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_catalog(lang, directory) if path.exists() else \
            Catalog(locale=lang, project="spoc-portal", version="1", fuzzy=False)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)  # messages are shared, not copied
        if lang == "en":  # English is the source: each message is its own translation (both forms of a plural)
            for message in catalog:
                if message.id and _lacks(message):
                    message.string = message.id
        catalog.obsolete.clear()
        with open(path, "wb") as fh:
            pofile.write_po(fh, catalog, width=110, sort_output=True)
        missing[lang] = sum(1 for m in catalog if m.id and (_lacks(m) or m.fuzzy))
    return missing


def _lacks(message) -> bool:
    """The message has no translation, or a plural lacks one of its forms (its string is then a tuple)."""
    strings = message.string
    return not all(strings) if isinstance(strings, tuple) else not strings
