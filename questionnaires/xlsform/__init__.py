"""XLSForm interoperability: import an XLSForm workbook (ODK, KoboToolbox) and export ours as one.

How to call::

    from questionnaires.xlsform import export_xlsform, import_xlsform, import_xlsform_file, XLSFormImportError

    definition = import_xlsform(upload_bytes)               # or import_xlsform_file("form.xlsx")
    definition = import_xlsform(data, questionnaire_id="spoc_structures")   # id of ours, not form_id
    definition = import_xlsform(data, filename="Household survey.xlsx")    # id/title when settings name none
    data = export_xlsform(definition)                       # .xlsx bytes (survey, choices, settings)

    try:
        import_xlsform(data)
    except XLSFormImportError as exc:                       # nothing was imported
        for e in exc.errors:                                # XLSFormError(sheet, row, column, message)
            print(e.sheet, e.row, e.column, e.message)      # row: the spreadsheet's row number
        print(exc)                                          # a summary line, then one line per problem

Import rules (also in the README's XLSForm section):

* select_one L → single_choice, select_multiple L → multiple_choice, rank L → ranking (choices from
  list L on the choices sheet); text → text, or long_text with appearance `multiline`; integer →
  number with integer: true; decimal → number; range → number with min/max/step (its parameters);
  date, time, dateTime → date, time, datetime; file → file; calculate → calculated (its calculation).
* choice_filter (selects only): bare names are choice-sheet columns and become ${choice.<column>};
  the choices keep those columns as `filters`.
* A top-level group becomes a section (its name the id, its label the title, its relevant the
  section's). Questions outside any group go to a default section "General" (one per stretch of
  ungrouped rows, so the order is kept). A nested group is flattened into its section: its
  questions join the section and its relevant is ANDed into theirs; its label is not kept.
* A note becomes a paragraph of its section's description (label, then hint); a note with a
  relevant or constraint is an error, since a description is always shown.
* Device metadata rows (start, end, today, deviceid...) are skipped. Repeats, geo types, other
  question types, `or_other`, and a filled default or trigger column are errors.
  appearance (except multiline), required_message, media and unknown columns are ignored.
* Labels: `label` is the settings' default_language (English if none); `label::French (fr)`,
  `label::fr`, `label::French`, `label::swahili` (any CLDR language name) and `label:english` columns
  give the other languages. English is required if the workbook has it; a workbook in one other
  language only is imported in that language. A top-level group without a label is titled from its name.
* Expressions are XLSForm's syntax, which is ours; what our parser rejects (e.g. regex(), if(),
  indexed-repeat()) is an error, and so is a ${reference} to anything but a question.
* settings: form_id (made a slug) or the questionnaire_id argument is the id; form_title the title;
  without either, the file name (as pyxform); version the leading whole number of the text, else 1.

Export writes our richer types with a `spoc_type` marker and a `spoc_meta` JSON column, which other
tools ignore and our import reads, so every shipped questionnaire round-trips exactly: yes_no →
select_one yes_no; long_text → text with appearance multiline; number → integer/decimal with min/max
ANDed into the constraint; matrix → a group (appearance table-list) of one select_one per row named
<question id>__<row value>; ranking → select_multiple; file → file; process → text (its suggested
steps as a choices list). Without the markers (e.g. after another tool rewrote the file) a matrix
imports as separate single-choice questions, ranking as multiple choice, process as text.
"""

from questionnaires.xlsform.errors import XLSFormError, XLSFormImportError
from questionnaires.xlsform.exporter import export_xlsform
from questionnaires.xlsform.importer import import_xlsform, import_xlsform_file

__all__ = ["XLSFormError", "XLSFormImportError", "export_xlsform", "import_xlsform", "import_xlsform_file"]
