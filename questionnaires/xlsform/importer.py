"""XLSForm workbook → Definition: the settings and choices sheets, then the survey, all or nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from portal.enums import N_
from questionnaires.definitions import SLUG, Definition, DefinitionError, load_definition
from questionnaires.xlsform.errors import LanguageName, Problems
from questionnaires.xlsform.layout import (
    CHOICES,
    SETTINGS,
    SPOC_META,
    SURVEY,
    language_code,
    language_column,
)
from questionnaires.xlsform.survey import SurveyReader
from questionnaires.xlsform.workbook import Sheet, read_sheets

SETTINGS_META_KEYS = set(Definition.model_fields) - {"id", "version", "sections"}
MAX_VERSION = 2**31 - 1


def import_xlsform(data: bytes, *, questionnaire_id: str | None = None, filename: str | None = None) -> Definition:
    """The questionnaire an XLSForm workbook (.xlsx bytes) describes.

    `questionnaire_id`, when given, is the id of the result (otherwise the settings' form_id, made a
    slug; without one, the file name's, as pyxform does). Pure: returns a valid Definition or raises
    XLSFormImportError listing every problem."""
    problems = Problems()
    sheets = read_sheets(data, problems)
    problems.raise_if_any()  # not a workbook, or one too big to read on
    if SURVEY not in sheets:
        problems.add(SURVEY, None, None, N_("the workbook has no 'survey' sheet"))
        problems.raise_if_any()
    settings = _read_settings(sheets.get(SETTINGS, []), questionnaire_id, filename, problems)
    default_language = settings.pop("_default_language")
    survey = Sheet(SURVEY, sheets[SURVEY], default_language, problems)
    choices = Sheet(CHOICES, sheets.get(CHOICES, []), default_language, problems)
    found = [*survey.languages(), *choices.languages()]
    # English when the workbook has it (or no text at all); else the workbook's own language comes first.
    primary = "en" if not found or "en" in found else (default_language if default_language in found else found[0])
    if primary != "en" and primary not in settings["title"]:  # form_title is in the workbook's language
        title = dict(settings["title"])
        settings["title"] = {primary: title.pop("en"), **title}
    lists, extras = _read_choices(choices, primary, problems)
    sections = SurveyReader(survey, lists, problems, primary=primary, extras=extras).read()
    if not any(s["questions"] for s in sections) and not problems:
        problems.add(SURVEY, None, None, N_("the survey has no question"))
    problems.raise_if_any()

    languages = list(dict.fromkeys([primary, *settings.pop("languages", []), *found]))
    if primary != "en":
        languages = [lang for lang in languages if lang != "en" or lang in found]
    try:
        return load_definition({**settings, "languages": languages, "sections": sections})
    except DefinitionError as exc:  # what only the whole questionnaire can tell (e.g. spoc_meta references)
        problems.add(SETTINGS if SPOC_META in str(exc) else SURVEY, None, None, str(exc))
        problems.raise_if_any()
        raise  # unreachable


def import_xlsform_file(path: str | Path) -> Definition:
    """import_xlsform() of a file on disk, e.g. `import_xlsform_file("form.xlsx")` (id 'form' if the workbook names none)."""
    path = Path(path)
    return import_xlsform(path.read_bytes(), filename=path.name)


def slug_of(text: str) -> str:
    """A form_id such as 'SPOC-Survey 2024' as an id of ours: 'spoc_survey_2024'."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if slug and not slug[0].isalpha():
        slug = f"form_{slug}"
    return slug


def derive_version(text: str) -> int:
    """XLSForm versions are free text ('2024031501', 'v3', '1 (2021-03-01)'): the leading whole number, or 1.

    Advisory only: publishing stores the next version number of the questionnaire whatever the file says."""
    m = re.match(r"\s*[vV]?\s*([0-9]+)", text)
    number = int(m.group(1)) if m else 1
    return number if 1 <= number <= MAX_VERSION else 1


def _read_settings(raw: list[tuple], questionnaire_id: str | None, filename: str | None, problems: Problems) -> dict:
    sheet = Sheet(SETTINGS, raw, "en", problems)
    row = sheet.rows[0] if sheet.rows else None
    get = (lambda base: sheet.get(row, base)) if row else (lambda base: "")
    number = row.number if row else 2
    out: dict = {}

    default_language = "en"
    if spec := get("default_language"):
        code = "en" if spec.lower() == "default" else language_code(spec)
        if code is None:
            problems.add(SETTINGS, number, sheet.header("default_language"),
                         N_("cannot tell the language %(spec)s: write e.g. 'English (en)' or 'en'"), spec=repr(spec))
        else:
            default_language = code
    out["_default_language"] = default_language

    if questionnaire_id is not None:
        if not SLUG.fullmatch(questionnaire_id):
            problems.add("", None, None, N_("the questionnaire id %(id)s must be a slug (a-z, 0-9, _)"),
                         id=repr(questionnaire_id))
        out["id"] = questionnaire_id
    elif source := get("form_id") or get("form_title"):
        out["id"] = slug_of(source)
        if not out["id"]:
            column = "form_id" if get("form_id") else "form_title"
            problems.add(SETTINGS, number, sheet.header(column), N_("cannot make an id from %(source)s"),
                         source=repr(source))
    elif filename and (stem := _file_stem(filename)):
        out["id"] = slug_of(stem)  # as pyxform: a workbook that names no form takes its file's name
        if not out["id"]:
            problems.add("", None, None, N_("cannot make an id from the file name %(name)s: add a settings sheet "
                                            "with form_id"), name=repr(filename))
    else:
        problems.add(SETTINGS, number if row else None, "form_id",
                     N_("the settings sheet gives neither form_id nor form_title (or import with a questionnaire "
                        "id)"))
        out["id"] = "form"
    title = get("form_title") or get("form_id") or (_file_stem(filename) if filename else "") or out["id"]
    out["title"] = {"en": title}
    out["version"] = derive_version(get("version"))

    if text := get(SPOC_META):
        try:
            meta = json.loads(text)
        except ValueError:
            meta = None
        if not isinstance(meta, dict) or set(meta) - SETTINGS_META_KEYS:
            problems.add(SETTINGS, number, sheet.header(SPOC_META),
                         N_("must be a JSON object with some of the keys %(keys)s"), keys=sorted(SETTINGS_META_KEYS))
        else:
            meta_title = meta.pop("title", None)
            if isinstance(meta_title, dict) and meta_title.get("en") == title:
                out["title"] = meta_title  # the translations our export kept, while form_title is unchanged
            out.update(meta)
    return out


def _file_stem(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    return re.sub(r"\.(xlsx|xls|xlsm)$", "", name, flags=re.IGNORECASE).strip()


# Columns of the choices sheet that are not a choice's own data (a choice_filter cannot read them).
CHOICE_OWN_COLUMNS = {"list_name", "name", "label", "image", "audio", "video", "media::image", "media::audio",
                      "media::video", "big-image", "media::big-image", "$kuid", "$autovalue", "order", "spoc_meta"}


def _read_choices(sheet: Sheet, primary: str,
                  problems: Problems) -> tuple[dict[str, list[dict]], dict[tuple[str, str], dict[str, str]]]:
    """({list name: choices}, {(list name, value): the choice's other columns, which a choice_filter may read})."""
    lists: dict[str, list[dict]] = {}
    extras: dict[tuple[str, str], dict[str, str]] = {}
    rows_of: dict[tuple[str, str], int] = {}
    if sheet.rows and not (sheet.has("list_name") and sheet.has("name")):
        problems.add(CHOICES, 1, None, N_("the choices sheet needs list_name and name columns"))
        return lists, extras
    other = [base for base in sheet.columns if base not in CHOICE_OWN_COLUMNS and not base.startswith("_")]
    for row in sheet.rows:
        list_name, value = sheet.get(row, "list_name"), sheet.get(row, "name")
        label = sheet.texts(row, "label")
        if not list_name:
            problems.add(CHOICES, row.number, sheet.header("list_name"), N_("the choice has no list_name"))
            continue
        if not value:
            problems.add(CHOICES, row.number, sheet.header("name"), N_("the choice has no name (its value)"))
            continue
        if re.search(r"\s", value):
            problems.add(CHOICES, row.number, sheet.header("name"), N_("a choice name cannot contain spaces: %(value)s"),
                         value=repr(value))
            continue
        if (list_name, value) in rows_of:
            problems.add(CHOICES, row.number, sheet.header("name"),
                         N_("%(value)s is already in the list %(name)s (row %(line)s)"), value=repr(value),
                         name=repr(list_name), line=rows_of[list_name, value])
            continue
        rows_of[list_name, value] = row.number
        if not label.get(primary):
            problems.add(CHOICES, row.number, sheet.header("label"), N_("the choice needs a label in %(language)s "
                                                                        "(column label or label::%(header)s)"),
                         language=LanguageName(primary), header=language_column(primary))
            continue
        lists.setdefault(list_name, []).append({"value": value, "label": label})
        extras[list_name, value] = {base: sheet.get(row, base) for base in other if sheet.get(row, base)}
    return lists, extras
