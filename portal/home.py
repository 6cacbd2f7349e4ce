"""The dashboard and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from portal.db import get_session
from portal.registry import registry

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    session = get_session()
    # each domain's cards (registry(app).add_card: fn(user, session) -> list[dict])
    cards = [card for provider in registry(current_app).cards for card in provider(current_user, session)]
    return render_template("home/index.html", cards=cards)


@bp.route("/healthz")
def healthz():
    try:
        get_session().execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify({"status": "ok" if status == 200 else "degraded", "database": database}), status
