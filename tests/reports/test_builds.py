"""The round report's DOCX/XLSX is built by the worker: the page starts the build, shows its progress,
and offers the file when it is ready (jobs run immediately in the tests)."""

from __future__ import annotations

import io
import re

import docx
import openpyxl
from sqlalchemy import select

from reports.models import ReportBuild
from reports.services.builds import request_build


def test_the_page_starts_a_build_and_offers_the_file(login_as, submitted_round, db):
    rid = submitted_round()
    c, _ = login_as("secretariat")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert f'action="/reports/rounds/{rid}/build.docx"' in page and "Build DOCX" in page
    r = c.post_form(f"/reports/rounds/{rid}/build.docx")
    assert r.status_code == 302 and re.fullmatch(r"/reports/builds/\d+", r.headers["Location"])
    status = c.get(r.headers["Location"]).get_data(as_text=True)
    assert "The file is ready." in status and 'http-equiv="refresh"' not in status
    link = re.search(r'id="build-file" href="([^"]+)"', status).group(1)
    d = docx.Document(io.BytesIO(c.get(link).data))
    assert any("Small survey 2026" in p.text for p in d.paragraphs)
    build = db.scalar(select(ReportBuild))
    assert (build.status, build.progress, build.fmt) == ("done", 100, "docx") and build.finished_at is not None

    r = c.post_form(f"/reports/rounds/{rid}/build.xlsx")
    status = c.get(r.headers["Location"]).get_data(as_text=True)
    wb = openpyxl.load_workbook(io.BytesIO(c.get(re.search(r'id="build-file" href="([^"]+)"', status).group(1)).data))
    assert wb.sheetnames
    assert c.post_form(f"/reports/rounds/{rid}/build.pdf").status_code == 404


def test_a_build_waiting_for_the_worker_shows_its_progress_and_refreshes(app, login_as, submitted_round):
    rid = submitted_round()
    c, user = login_as("secretariat")
    with app.extensions["spoc_db"].unit_of_work() as session:
        build_id = request_build(session, rid, "docx", user).id  # queued, no worker has taken it yet
    page = c.get(f"/reports/builds/{build_id}").get_data(as_text=True)
    assert "Waiting for the worker" in page and '<progress class="w-100" id="build-progress" value="0"' in page
    assert 'http-equiv="refresh" content="2"' in page and "build-file" not in page
    assert c.get(f"/reports/builds/{build_id}/file").status_code == 404  # nothing to download yet


def test_a_build_is_its_requesters_only(app, login_as, submitted_round):
    rid = submitted_round()
    owner, _ = login_as("secretariat")
    location = owner.post_form(f"/reports/rounds/{rid}/build.docx").headers["Location"]
    other, _ = login_as("secretariat")
    assert other.get(location).status_code == 404 and other.get(location + "/file").status_code == 404
    nl, _ = login_as("respondent", "NL")  # may read the report, not someone else's file
    assert nl.get(location).status_code == 404


def test_the_progress_is_stored_as_a_step_and_shown_in_the_readers_language(app, login_as, submitted_round, db):
    from portal.accounts.models import User

    rid = submitted_round()
    c, user = login_as("secretariat")
    db.get(User, user.id).language = "fr"
    db.commit()
    with app.extensions["spoc_db"].unit_of_work() as session:
        build_id = request_build(session, rid, "xlsx", user).id
    assert db.get(ReportBuild, build_id).step == "waiting"  # a code, not an English sentence
    assert "En attente du traitement en arrière-plan" in c.get(f"/reports/builds/{build_id}").get_data(as_text=True)
    db.get(ReportBuild, build_id).step = "drawing_xlsx"
    db.commit()
    page = c.get(f"/reports/builds/{build_id}").get_data(as_text=True)
    assert "Création des graphiques et rédaction du classeur" in page and "Drawing" not in page
    assert "Fichier XLSX" in page
