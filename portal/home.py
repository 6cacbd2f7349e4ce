"""The dashboard and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from portal.db import get_session

bp = Blueprint("home", __name__)

# Each domain adds the cards its users see on the dashboard: fn(user, session) -> list[dict].
DASHBOARD_CARDS: list = []


def register_cards(provider) -> None:
    if provider not in DASHBOARD_CARDS:
        DASHBOARD_CARDS.append(provider)


@bp.route("/")
@login_required
def index():
    session = get_session()
    cards = [card for provider in DASHBOARD_CARDS for card in provider(current_user, session)]
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
