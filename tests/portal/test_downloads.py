"""One Content-Disposition for every download (RFC 6266), read back as a mail client or browser would."""

from __future__ import annotations

import pytest
from werkzeug.http import parse_options_header

from portal.files import content_disposition


def _read(header: str) -> str:
    """The file name an RFC 6266 client takes from the header (`filename*` wins over `filename`)."""
    return parse_options_header(header)[1]["filename"]


@pytest.mark.parametrize("name", ['Résumé "final".txt', "Raport Żółć.pdf", "Παπαδόπουλος.docx",
                                  "Справка; 100%.xlsx", "back\\slash.csv", "plain.csv"])
def test_the_name_survives_and_the_fallback_is_plain_ascii(name):
    header = content_disposition(name)
    header.encode("latin-1")  # a header Werkzeug can send (non-Latin-1 letters made the download fail)
    assert header.startswith("attachment; ")
    assert _read(header) == name
    fallback = header.split('filename="', 1)[1].split('"; filename*=', 1)[0]
    assert fallback.isascii() and '"' not in fallback and "\\" not in fallback
    assert fallback.rsplit(".", 1)[1] == name.rsplit(".", 1)[1]


def test_accents_fall_back_to_their_base_letter_and_inline_is_kept():
    header = content_disposition("Résumé.pdf", inline=True)
    assert header.startswith('inline; filename="Resume.pdf"')


def test_control_characters_and_empty_names_never_reach_the_header():
    assert _read(content_disposition("a\r\nb.txt")) == "ab.txt"
    assert _read(content_disposition("")) == "download"


def test_no_view_writes_its_own_content_disposition():
    """Every download goes through portal.files.download_response (one RFC 6266 header, no-store)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own = []
    for package in ("portal", "questionnaires", "reports", "casemgmt"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name != "files.py" and ("Content-Disposition" in text or "send_file(" in text):
                own.append(str(path.relative_to(root)))
    # the Art. 18 statistics export is being rebuilt separately and moves to the helper with it
    assert own == [], own
