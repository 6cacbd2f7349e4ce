"""A case attachment downloads under its own name, whatever its letters, and no cache keeps it."""

from __future__ import annotations

from urllib.parse import unquote

import pytest


@pytest.mark.parametrize("name", ["Raport Żółć Παπαδόπουλος.pdf", "Справка.txt", "Résumé final.txt"])
def test_an_attachment_keeps_its_name_and_stays_out_of_caches(intake, work, officer, login_as, uploads, name):
    from casemgmt.services.intake import attach_file

    content = b"%PDF-1.4 report" if name.endswith(".pdf") else "Текст".encode()
    case_id, number, _ = intake("BE", officer)
    att = work(case_id, lambda s, c: attach_file(s, c, content, name, officer, uploads, scan_confirmed=True).id)
    client, _ = login_as("officer", "BE")
    r = client.get(f"/cases/{number}/attachments/{att}")
    assert r.status_code == 200 and r.data == content
    disposition = r.headers["Content-Disposition"]
    utf8 = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(utf8) == name
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith(name.rsplit(".", 1)[1])
    assert disposition.startswith("inline" if name.endswith(".pdf") else "attachment")
    assert "no-store" in r.headers["Cache-Control"]
    assert r.headers["Content-Type"].count("charset") <= 1
