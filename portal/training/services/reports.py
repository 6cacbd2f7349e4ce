"""Participation in training activities per country, topic and year, with its chart."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import Session

from portal.enums import say
from portal.training.models import Activity, ActivityStatus, Nomination, NominationStatus, TrainingTopic

NO_TOPIC = "(no topic)"


@dataclass
class Participation:
    rows: list[tuple[int, str, str, int]]  # (year, country, topic label, participants)

    @property
    def years(self) -> list[int]:
        return sorted({r[0] for r in self.rows})

    @property
    def countries(self) -> list[str]:
        return sorted({r[1] for r in self.rows})

    @property
    def topics(self) -> list[str]:
        return sorted({r[2] for r in self.rows})

    @property
    def total(self) -> int:
        return sum(r[3] for r in self.rows)

    def by(self, index: int) -> dict[str, int]:
        out: dict = defaultdict(int)
        for r in self.rows:
            out[r[index]] += r[3]
        return dict(sorted(out.items()))

    def pivot(self, row_index: int, col_index: int) -> dict:
        out: dict = defaultdict(lambda: defaultdict(int))
        for r in self.rows:
            out[r[row_index]][r[col_index]] += r[3]
        return out


def participation(session: Session, year: int | None = None) -> Participation:
    """Confirmed participants of activities that were not cancelled (absentees excluded once recorded)."""
    year_col = extract("year", Activity.start_date)
    query = (select(year_col, Nomination.country_code, TrainingTopic.label, func.count(Nomination.id))
             .join(Activity, Activity.id == Nomination.activity_id)
             .outerjoin(TrainingTopic, TrainingTopic.id == Activity.topic_id)
             .where(Nomination.status == NominationStatus.CONFIRMED,
                    or_(Nomination.attended.is_(None), Nomination.attended.is_(True)),
                    Activity.status != ActivityStatus.CANCELLED)
             .group_by(year_col, Nomination.country_code, TrainingTopic.label))
    if year is not None:
        query = query.where(year_col == year)
    rows = [(int(y), cc, topic or NO_TOPIC, int(n)) for y, cc, topic, n in session.execute(query)]
    return Participation(sorted(rows))


def chart_png(data: Participation, year: int | None = None) -> bytes:
    """Stacked bars: participants per country, one colour per topic."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    countries, topics = data.countries, data.topics
    pivot = data.pivot(1, 2)
    fig = Figure(figsize=(9, 4.2), dpi=100)
    ax = fig.subplots()
    if not countries:
        ax.text(0.5, 0.5, say("No participants recorded yet"), ha="center", va="center", fontsize=13)
        ax.set_axis_off()
    else:
        bottom = [0] * len(countries)
        colours = matplotlib.colormaps["tab20"]
        for i, topic in enumerate(topics):
            values = [pivot[cc].get(topic, 0) for cc in countries]
            ax.bar(countries, values, bottom=bottom, label=topic, color=colours(i % 20))
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_ylabel(say("Participants"))
        ax.set_xlabel(say("Country"))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(say("Training participation by country and topic, %(year)s", year=year) if year
                 else say("Training participation by country and topic"))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def chart_alt_text(data: Participation, year: int | None = None) -> str:
    if not data.rows:
        return say("Chart: no participants recorded yet.")
    top = sorted(data.by(1).items(), key=lambda kv: -kv[1])[:3]
    lead = ", ".join(f"{cc} {n}" for cc, n in top)
    figures = dict(total=data.total, countries=len(data.countries), topics=len(data.topics), lead=lead)
    if year:
        return say("Stacked bar chart of %(total)s training participants in %(year)s across %(countries)s countries "
                   "and %(topics)s topics; most participants: %(lead)s. The table below gives every figure.",
                   year=year, **figures)
    return say("Stacked bar chart of %(total)s training participants across %(countries)s countries and "
               "%(topics)s topics; most participants: %(lead)s. The table below gives every figure.", **figures)
