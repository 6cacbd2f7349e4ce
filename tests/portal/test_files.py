"""Uploads: a ZIP bomb is refused from what its archive declares, without being unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from portal.files import UploadError, sniff_type, store_upload
from tests.portal.zip_bombs import peak_growth_mb, write_odt_bomb


def test_a_400_mb_zip_bomb_is_refused_without_unpacking_it(tmp_path):
    bomb = write_odt_bomb(tmp_path / "report.odt", unpacked_mb=400)
    assert bomb.stat().st_size < 1024 * 1024  # about 400 KB on the wire
    grew, result = peak_growth_mb(
        "from portal.files import UploadError, store_upload\n"
        "try:\n"
        "    store_upload(None, '/nonexistent', data, 'report.odt', max_bytes=10 * 2**20)\n"
        "    result = 'stored'\n"
        "except UploadError as exc:\n"
        "    result = exc\n", bomb)
    assert "unpacks to more than" in result
    assert grew < 50, f"reading the bomb raised the peak memory by {grew:.0f} MB"
    # the type check on its own reads only the few bytes it needs
    grew, result = peak_growth_mb("result = portal.files.sniff_type(data)", bomb)
    assert result == "None" and grew < 50, grew


def _odt(mimetype: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", mimetype)
        z.writestr("content.xml", b"<x/>")
    return buf.getvalue()


def test_a_real_opendocument_file_is_still_recognised():
    assert sniff_type(_odt(b"application/vnd.oasis.opendocument.text")) == "application/vnd.oasis.opendocument.text"
    assert sniff_type(_odt(b"application/vnd.oasis.opendocument.text" + b" " * 200)) is None


def test_a_damaged_archive_is_refused_with_a_message(tmp_path):
    data = _odt(b"application/vnd.oasis.opendocument.text")[:-30]
    with pytest.raises(UploadError, match="damaged"):
        store_upload(None, str(tmp_path), data, "x.odt", max_bytes=2**20)


@pytest.mark.parametrize("language,damaged,empty,refused", [
    ("fr", "Le fichier est endommagé (archive illisible).", "Le fichier est vide.", "Le fichier dépasse 1 Mo."),
    ("de", "Die Datei ist beschädigt (kein lesbares Archiv).", "Die Datei ist leer.", "Die Datei ist größer als 1 MB."),
])
def test_a_refused_upload_is_explained_in_the_readers_language(app, tmp_path, language, damaged, empty, refused):
    from portal.errors import rule_message
    from portal.i18n import in_language

    data = _odt(b"application/vnd.oasis.opendocument.text")
    with app.test_request_context(), in_language(language):
        for upload, message in ((data[:-30], damaged), (b"", empty), (b"x" * (2 * 2**20), refused)):
            with pytest.raises(UploadError) as refusal:
                store_upload(None, str(tmp_path), upload, "x.odt", max_bytes=2**20)
            assert str(refusal.value) == rule_message(refusal.value) == message
        with pytest.raises(UploadError) as refusal:
            store_upload(None, str(tmp_path), b"MZ\x90\x00", "tool.exe", max_bytes=2**20)
        assert ".pdf" in str(refusal.value) and "not accepted" not in str(refusal.value)
    assert refusal.value.english.startswith("This type of file is not accepted (allowed: .csv, .docx")


def test_a_zip_bomb_is_refused_in_the_readers_language(app, tmp_path):
    from portal.files import zip_problem
    from portal.i18n import in_language

    bomb = write_odt_bomb(tmp_path / "report.odt", unpacked_mb=120).read_bytes()
    with app.test_request_context(), in_language("de"):
        refusal = zip_problem(bomb)
        assert str(refusal) == "Die Datei wird abgelehnt: Entpackt ist sie größer als 100 MB."
    assert refusal.english == "The file unpacks to more than 100 MB: it is refused."
