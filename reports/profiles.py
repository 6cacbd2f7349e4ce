"""Country profiles: in the spirit of the national fact sheets of the Manual on Law Enforcement
Information Exchange (6261/17 ADD 1 REV 2: contact points, SPOC marked 24/7, information available,
languages), but always current: the directory record plus the country's latest submitted answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.enums import N_
from questionnaires.definitions import Definition, tr
from questionnaires.question_types import question_type
from reports.frame import FREE_TEXT_TYPES

# (heading, shown translated; question ids) in the order of the fact sheet; ids the definition lacks are skipped.
PROFILE_SECTIONS = [
    (N_("SPOC composition"), ["comp_host", "comp_units", "comp_units_absent", "comp_colocation", "comp_agencies",
                              "comp_judicial", "staff_total", "staff_fte"]),
    (N_("24/7 availability"), ["avail_247", "avail_night_model", "avail_night_staff", "avail_247_units",
                               "avail_outside_hours"]),
    (N_("Channels"), ["chan_handled", "chan_siena_spoc", "chan_siena_mobile", "chan_siena_las",
                      "chan_siena_default", "chan_classified"]),
    (N_("Languages"), ["avail_languages", "avail_translation"]),
    (N_("Case management"), ["cms_in_place", "cms_name", "cms_scope", "cms_functions", "cms_single_regno",
                             "cms_crosscheck", "cms_links", "cms_deadlines"]),
    (N_("Contact points"), ["comp_contacts"]),
]


@dataclass
class ProfileItem:
    label: str
    value: str
    values: list[str] = field(default_factory=list)  # the labels, for a list display


@dataclass
class Profile:
    country_code: str
    country_name: str
    directory: dict[str, object]
    sections: list[tuple[str, list[ProfileItem]]]
    reference_date: str = ""
    hidden_free_text: bool = False


def country_profile(country_code: str, country_name: str, spoc: Mapping[str, object] | None,
                    definition: Definition | None, answers: Mapping[str, object] | None, *,
                    free_text: bool = True, lang: str = "en") -> Profile:
    """The profile; without `free_text` the answers in the country's own words are left out."""
    sections: list[tuple[str, list[ProfileItem]]] = []
    hidden = False
    if definition is not None and answers is not None:
        questions = definition.question_map
        for heading, ids in PROFILE_SECTIONS:
            items = []
            for qid in ids:
                q = questions.get(qid)
                if q is None or answers.get(qid) in (None, "", [], {}):
                    continue
                if q.type in FREE_TEXT_TYPES and not free_text:
                    hidden = True
                    continue
                shown = question_type(q.type).profile_values(q, answers[qid], lang)
                items.append(ProfileItem(tr(q.label, lang), "; ".join(shown), shown))
            if items:
                sections.append((heading, items))
    reference = str(answers.get("reference_date", "")) if answers else ""
    return Profile(country_code, country_name, dict(spoc or {}), sections, reference, hidden)
