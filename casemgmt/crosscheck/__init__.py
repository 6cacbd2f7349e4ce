"""Automated cross-check before dissemination: normalisation, key index, fuzzy matching, explained hits."""


def init_app(app) -> None:
    """The cross-check's pages and `spoc crosscheck` commands; every writer of entities calls refresh.entities_changed."""
    from casemgmt.crosscheck import api, jobs, refresh, views  # noqa: F401  (api: endpoints on portal.api.bp; jobs: the queue's)
    from casemgmt.crosscheck.cli import crosscheck_group
    from casemgmt.crosscheck.demo import load_crosscheck_demo
    from casemgmt.crosscheck.reason_text import readable_reason, readable_subject
    from casemgmt.crosscheck.rerun import source_label
    from portal.registry import registry

    refresh.configure(background=not app.config.get("TESTING"))
    registry(app).add_demo_loader(load_crosscheck_demo)
    if "crosscheck" not in app.blueprints:
        app.register_blueprint(views.bp)
    app.cli.add_command(crosscheck_group)
    # for the case page: {% include "crosscheck/_case_panel.html" %}
    app.jinja_env.globals["crosscheck_summary"] = _summary
    app.jinja_env.globals["xc_source_label"] = source_label  # "dataset:NAME" → "data set NAME"
    # a hit's stored English reasons and descriptions in the reader's language (reason_text.py)
    app.jinja_env.filters["xc_reason"] = readable_reason
    app.jinja_env.filters["xc_subject"] = readable_subject


def _summary(case) -> dict:
    """The case's cross-check summary, computed once per rendering of its page (the panel, the actions
    and their key read it; casemgmt.views.case.render_case forgets it before each rendering)."""
    from flask import g

    from casemgmt.crosscheck.services import case_summary
    from portal.db import get_session

    memo = g.setdefault("crosscheck_summaries", {})
    if case.id not in memo:
        memo[case.id] = case_summary(get_session(), case)
    return memo[case.id]
