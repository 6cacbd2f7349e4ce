"""`spoc questionnaire publish/list` and `spoc round open/close`."""

from __future__ import annotations

import yaml
from sqlalchemy import select

from portal.mail import OutboxMessage
from questionnaires.definitions import DEFINITIONS_DIR
from questionnaires.models import Round
from tests.questionnaires.conftest import MINI


def test_publish_list_and_new_version_on_change(app, tmp_path):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["questionnaire", "publish", str(DEFINITIONS_DIR / "spoc_structures.yaml")])
    assert r.exit_code == 0 and "spoc_structures: published as version 1" in r.output
    r = runner.invoke(args=["questionnaire", "publish", str(DEFINITIONS_DIR / "spoc_structures.yaml")])
    assert "unchanged; still version 1" in r.output
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(MINI))
    runner.invoke(args=["questionnaire", "publish", str(path)])
    path.write_text(yaml.safe_dump({**MINI, "title": {"en": "Mini 2"}}))
    r = runner.invoke(args=["questionnaire", "publish", str(path)])
    assert "mini: published as version 2" in r.output
    r = runner.invoke(args=["questionnaire", "list"])
    assert "spoc_structures" in r.output and "v2" in r.output
    path.write_text("id: broken\nversion: 1\ntitle: {en: x}\nsections: [{id: s, title: {en: S}, questions: "
                    "[{id: q, type: single_choice, label: {en: Q}}]}]\n")
    r = runner.invoke(args=["questionnaire", "publish", str(path)])
    assert r.exit_code != 0 and "needs choices" in r.output


def test_round_open_and_close(app, make_user, db):
    runner = app.test_cli_runner()
    make_user("respondent", "LT")
    runner.invoke(args=["questionnaire", "publish", str(DEFINITIONS_DIR / "spoc_structures.yaml")])
    r = runner.invoke(args=["round", "open", "spoc_structures", "--title", "CLI round", "--deadline", "2099-01-31",
                            "--countries", "LT,LV"])
    assert r.exit_code == 0, r.output
    assert "open for 2 countries; 1 respondents invited" in r.output
    db.rollback()
    round_ = db.scalar(select(Round))
    assert round_.country_codes == ["LT", "LV"]
    assert db.scalar(select(OutboxMessage)).subject == "Questionnaire: CLI round"
    r = runner.invoke(args=["round", "open", "nothing", "--title", "x", "--deadline", "2099-01-31"])
    assert r.exit_code != 0 and "no published questionnaire 'nothing'" in r.output
    r = runner.invoke(args=["round", "close", str(round_.id)])
    assert r.exit_code == 0
    db.rollback()
    assert db.get(Round, round_.id).status == "closed"
