"""Sources the cross-check searches besides the SPOC's own cases and reference data: external
databases (SIS, INTERPOL SLTD, a national register), one adapter class per source.

The adapter interface
---------------------
An adapter is a class with

* ``name`` — a short code shown with each hit ("SLTD", "SIS", "NATREG");
* ``label`` — the full name for people;
* ``countries`` — the SPOCs that may query it (``None``: every SPOC; a SPOC never sees another
  SPOC's sources);
* ``search(query: Subject, country: str) -> list[Subject]`` — the candidate records for one
  normalised query (see keys.Subject). Each returned Subject has a stable ``ref`` (the source's
  own record id) and a ``display`` text. The adapter decides how to find candidates — an HTTP
  call, a local file, a national index — and the cross-check scores them with the same rules
  and reasons as everything else, so that an officer reads every hit the same way.

Adapters are registered with ``register_source(adapter)``. Real links (SIS, I-24/7) cannot be
reached from here; ``FileSource`` is the shipped adapter: a CSV export of the source (for
example INTERPOL SLTD's stolen and lost travel documents) read once into a key index in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from casemgmt.crosscheck.keys import Subject, query_keys, record_keys


class ExternalSource(Protocol):
    name: str
    label: str
    countries: frozenset[str] | None

    def search(self, query: Subject, country: str) -> list[Subject]: ...


class MemoryIndex:
    """A CandidateIndex in memory (lookup / fetch like index.SqlIndex), for files and tests."""

    def __init__(self):
        self.keys: dict[tuple[str, str, str], list[int]] = {}
        self.subjects: dict[int, Subject] = {}

    def add(self, country: str, subject: Subject) -> int:
        new_id = len(self.subjects) + 1
        subject.id = new_id
        self.subjects[new_id] = subject
        for kt, kv in record_keys(subject):
            self.keys.setdefault((country, kt, kv), []).append(new_id)
        return new_id

    def lookup(self, country: str, keys: Sequence[tuple[str, str]], cap: int) -> dict[tuple[str, str], list[int]]:
        found = {}
        for kt, kv in keys:
            ids = self.keys.get((country, kt, kv))
            if ids:
                found[(kt, kv)] = ids[: cap + 1]
        return found

    def fetch(self, ids: Sequence[int], plausible=None) -> dict[int, Subject]:
        return {i: self.subjects[i] for i in ids if i in self.subjects}


class FileSource:
    """An external source served from a CSV export (the shipped, offline adapter).

    The file's columns are mapped like a reference data set (see reference.COLUMN_FIELDS); `ref`
    names the column holding the source's record id (else the row number)."""

    def __init__(self, name: str, label: str, path: str | Path, mapping: dict[str, str], *,
                 countries: Sequence[str] | None = None, ref_column: str | None = None,
                 default_country: str | None = None):
        from casemgmt.crosscheck.reference import subject_from_row

        self.name = name
        self.label = label
        self.countries = frozenset(countries) if countries else None
        self.index = MemoryIndex()
        self.rejected: list[str] = []
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for number, row in enumerate(csv.DictReader(fh), start=1):
                ref = (row.get(ref_column) if ref_column else None) or f"row:{number}"
                try:
                    subject = subject_from_row(row, mapping, ref=f"{name}:{ref}", default_country=default_country)
                except ValueError as exc:
                    self.rejected.append(f"row {number}: {exc}")
                    continue
                self.index.add("*", subject)

    def search(self, query: Subject, country: str) -> list[Subject]:
        if self.countries is not None and country not in self.countries:
            return []
        found = self.index.lookup("*", sorted(query_keys(query)), 50)
        ids = {i for ids in found.values() for i in ids}
        return list(self.index.fetch(sorted(ids)).values())


_SOURCES: dict[str, ExternalSource] = {}


def register_source(source: ExternalSource) -> None:
    """Add (or replace, by name) an external source."""
    _SOURCES[source.name] = source


def unregister_source(name: str) -> None:
    _SOURCES.pop(name, None)


def sources_for(country: str) -> list[ExternalSource]:
    """The external sources one SPOC may query."""
    return [s for s in _SOURCES.values() if s.countries is None or country in s.countries]


class ExternalIndex:
    """Wraps one adapter's candidates as a CandidateIndex, so matching.search scores them."""

    def __init__(self, source: ExternalSource, query: Subject, country: str):
        self.candidates = {i: s for i, s in enumerate(source.search(query, country), start=1)}

    def lookup(self, country, keys, cap):
        return {("external", str(i)): [i] for i in self.candidates}

    def fetch(self, ids, plausible=None):
        return {i: self.candidates[i] for i in ids if i in self.candidates}


__all__ = ["ExternalSource", "MemoryIndex", "FileSource", "register_source", "unregister_source", "sources_for",
           "ExternalIndex"]
