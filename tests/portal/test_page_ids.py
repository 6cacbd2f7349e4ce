"""The main pages of the demo, as each role sees them: no id is given twice on a page, and every label points at a
field the page has; the window's title is text. A label whose `for` names an id given twice points at the first element with it: the meeting
page's "Title" of the document upload named the agenda item form's title, so a screen reader (and a click on the
label) went to the wrong field."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, PortalClient


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()
        self.fors: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"]] += 1
        if tag == "label" and values.get("for"):
            self.fors.append(values["for"])


def _problems(html: str) -> tuple[list[str], list[str], str]:
    parser = _Ids()
    parser.feed(html)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    return (sorted(i for i, n in parser.ids.items() if n > 1), sorted(set(parser.fors) - set(parser.ids)),
            title.group(1) if title and "<" in title.group(1) else "")


@pytest.fixture
def demo_pages(app):
    from casemgmt.models import Case
    from portal.demo import load_demo
    from portal.meetings.models import Meeting
    from portal.training.models import Activity
    from questionnaires.models import Round

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, PASSWORD, app)
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = s.scalar(select(Case.registration_number).where(Case.country_code == "BE").order_by(Case.id))
        meeting = s.scalar(select(Meeting.id).order_by(Meeting.starts_at.desc()))
        activity = s.scalar(select(Activity.id).order_by(Activity.id))
        round_ = s.scalar(select(Round.id).where(Round.status == "open").order_by(Round.id.desc()))
    common = ["/", "/account"]
    return {
        "secretariat": [*common, f"/meetings/{meeting}", "/meetings/", f"/training/activities/{activity}",
                        f"/reports/rounds/{round_}", f"/questionnaires/rounds/{round_}", "/directory/BE",
                        "/meetings/actions", "/meetings/actions/new", "/meetings/funding", "/meetings/new",
                        f"/meetings/{meeting}/edit", "/training/", "/questionnaires/", "/reports/", "/directory/"],
        "officer.be": [*common, "/cases/", f"/cases/{case}", f"/cases/{case}/crosscheck", "/cases/new",
                       "/cases/search?q=fraud", "/cases/duty", "/cases/templates"],
        "supervisor.be": [*common, "/cases/", f"/cases/{case}", "/cases/approvals", "/cases/duty"],
        "head.be": [*common, f"/meetings/{meeting}", "/cases/statistics"],
        "respondent.be": [*common, f"/questionnaires/rounds/{round_}/responses/BE", "/questionnaires/"],
        "admin": [*common, "/admin/users", "/admin/users/new", "/jobs/"],
        "dpo.be": [*common, "/cases/access-log", "/cases/settings", "/cases/retention"],
        "trainer.be": [*common, f"/training/activities/{activity}"],
    }


def test_no_main_page_gives_an_id_twice_or_a_label_to_nothing(app, demo_pages):
    found, seen = {}, 0
    for user, paths in demo_pages.items():
        client = PortalClient(app.test_client())
        client.login(f"{user}@demo.invalid")
        for path in paths:
            response = client.get(path, follow_redirects=True)
            if response.status_code != 200:
                continue
            seen += 1
            twice, unlabelled, title = _problems(response.get_data(as_text=True))
            if twice or unlabelled or title:
                found[f"{user} {path}"] = {"ids given twice": twice, "labels for no field": unlabelled,
                                           "markup in the title": title[:80]}
    assert seen >= 40
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
