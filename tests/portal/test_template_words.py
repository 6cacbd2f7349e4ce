"""Issue 19 item 12: every word a page shows comes through the catalogues. A template's own text (outside `_()`,
`ngettext()`, `{% trans %}`) would stay English on a French or German page; this test reads every page template
for two or more words written outside them (mail templates are rendered under the recipient's language whole)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "questionnaires", "reports", "casemgmt")


def _blank(pattern: str, text: str, flags=re.S) -> str:
    return re.sub(pattern, lambda m: " " * len(m.group()), text, flags=flags)


def english_outside_the_catalogues(text: str) -> list[str]:
    text = _blank(r"\{#.*?#\}|\{%-? *trans\b.*?\{%-? *endtrans *-?%\}", text)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: "\x00" * len(m.group()), text, flags=re.S)
    text = _blank(r"<(script|style|code|pre)\b.*?</\1>", text)
    text = _blank(r"<[^>]*>", text)
    text = _blank(r"[\w-]+=\"[^\"]*\"|\b(hidden|selected|checked|disabled|required)\b", text)  # a macro's attributes
    found = []
    for m in re.finditer(r"[A-Za-z][\w'’,.:;()-]*(?:[ \x00\n]+[A-Za-z][\w'’,.:;()-]*)+", text):
        words = [w for w in m.group().replace("\x00", " ").split() if re.search("[a-z]{2}", w)]
        if len(words) >= 2:
            found.append(" ".join(words))
    return found


def test_no_page_template_writes_english_of_its_own():
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).glob("**/templates/**/*.html"):
            if "/mail/" in path.as_posix():
                continue
            if words := english_outside_the_catalogues(path.read_text(encoding="utf-8")):
                found[path.relative_to(ROOT).as_posix()] = words
    assert not found, f"words outside the catalogues (wrap them in _() or {{% trans %}}): {found}"


def test_the_reader_finds_what_it_is_meant_to_find():
    assert english_outside_the_catalogues("<p>Not submitted: {{ n }} answers need attention</p>") == [
        "Not submitted: answers need attention"]
    assert english_outside_the_catalogues("<p>{{ _('Saved at %(t)s', t=t) }} · {% trans %}Two words{% endtrans %}"
                                          "<code>spoc worker</code></p>") == []
