"""The printable questionnaire answer fits A4 portrait: the process table's rating column is on the page,
long words wrap instead of pushing the table off the paper."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.browser.conftest import SCREENSHOTS, log_in
from tests.conftest import PASSWORD

LONG_WORD = "Informationsaustauschkoordinierungsstelle"  # a German job title, one word


def _round_with_long_process_answers(app) -> int:
    import datetime as dt
    import random

    from portal.db import utcnow
    from questionnaires.definitions import shipped
    from questionnaires.demo import generate_answers
    from questionnaires.services import responses, rounds, versions

    definition = shipped("spoc_structures")
    with app.extensions["spoc_db"].unit_of_work() as session:
        version = versions.publish_definition(session, definition).version
        round_ = rounds.open_round(session, version, title="Structures", countries=["BE"], actor=None,
                                   deadline=utcnow().date() + dt.timedelta(days=5))
        values = generate_answers(definition, random.Random(1), country="BE", answer_rate=1.0)
        for q in definition.questions:
            if q.type == "process":
                values[q.id] = [{"step": st.value, "actor": LONG_WORD, "task": f"Check against the {LONG_WORD}",
                                 "prerequisite": "Registered in the case management system", "depends_on": "",
                                 "variant": "", "target": f"A {LONG_WORD} record", "system": LONG_WORD,
                                 "automation": "partly_automated", "rating": "mandatory"} for st in q.steps]
        response = responses.get_response(session, round_, "BE")
        responses.save_answers(session, response, None, values, via="demo")
        assert responses.submit(session, response, None) == []
        return round_.id


def test_the_printed_answer_fits_a4_portrait(page, live_server, app, make_user):
    rid = _round_with_long_process_answers(app)
    head = make_user("head_of_spoc", "BE", email="head.be@print.invalid")
    log_in(page, live_server, head.email, PASSWORD)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1000})  # A4 less 12 mm margins each side, in CSS pixels
    page.goto(f"{live_server}/questionnaires/rounds/{rid}/responses/BE/print")
    tables = page.locator("table.process-answer")
    assert tables.count() >= 1
    overflow = page.evaluate("""() => [...document.querySelectorAll('table.process-answer')].map(t => {
        const cell = t.querySelector('td.process-rating');
        return {table: t.getBoundingClientRect().right, rating: cell ? cell.getBoundingClientRect().right : 0,
                page: document.documentElement.clientWidth, text: cell ? cell.innerText : ''};
    })""")
    for box in overflow:
        assert box["table"] <= box["page"] + 0.5 and 0 < box["rating"] <= box["page"] + 0.5, box
        assert box["text"] in ("Always done", "Done in specific cases", "Optional"), box  # labels, not codes
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, path=str(SCREENSHOTS / "printable-answer.pdf"))
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) < float(box.height)  # portrait
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "In the SPOC" in text and "Always done" in text and "Partly" in text  # narrow columns wrap words
    assert "duplicate_check" not in text  # steps by their labels, not their codes
