"""External sources through adapters: the shipped file-backed adapter, per SPOC, in a case's run."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from casemgmt.crosscheck.keys import Identifier, Subject
from casemgmt.crosscheck.matching import search
from casemgmt.crosscheck.models import CrossCheckHit
from casemgmt.crosscheck.sources import (
    ExternalIndex,
    FileSource,
    register_source,
    sources_for,
    unregister_source,
)


@pytest.fixture
def sltd(tmp_path):
    path = tmp_path / "sltd.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["record", "doc_no", "issuer", "status"])
        writer.writerow(["SLTD-1", "EK 123456", "UKR", "stolen"])
        writer.writerow(["SLTD-2", "X9", "FRA", "lost"])  # too short: reported, not loaded
    source = FileSource("SLTD", "INTERPOL stolen and lost travel documents (file export)", path,
                        {"document_number": "doc_no", "document_country": "issuer"}, countries=["BE"],
                        ref_column="record")
    register_source(source)
    yield source
    unregister_source("SLTD")


def test_the_file_adapter_finds_documents_and_reports_unreadable_rows(sltd):
    assert sltd.rejected == ["row 2: document_number: 'X9' is too short for a document number"]
    query = Subject(identifiers=(Identifier("doc", "EK123456", "UA"),), ref="q")
    (hit,) = search(ExternalIndex(sltd, query, "BE"), "BE", query)
    assert hit.subject.ref == "SLTD:SLTD-1" and hit.level == "strong"
    assert sltd.search(query, "NL") == []  # another SPOC may not query it
    assert [s.name for s in sources_for("BE")] == ["SLTD"] and sources_for("NL") == []


def test_a_cases_run_searches_the_external_sources_of_its_spoc(sltd, intake, officer, db):
    case_id, _, _ = intake("BE", officer, subject="Passport", body="Is this passport known?", entities=[
        {"kind": "document", "type": "passport", "number": "ek-123456", "country": "UA"}])
    (hit,) = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == case_id)).all()
    assert hit.source == "external:SLTD" and hit.reasons == ["same document number EK123456 (UA)"]
