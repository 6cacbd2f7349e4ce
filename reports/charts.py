"""Charts of the reports, drawn with matplotlib's Agg backend (never a display), PNG or SVG.

Accessible by construction: every chart has a title and an alt text built from its data (also
written into the PNG metadata and the SVG's <title>/<desc>), uses the Okabe-Ito colour-blind-safe
palette and never encodes by colour alone (values are written on the bars, the heatmap's cells
carry a symbol). Pages and exports show each chart's data table beside it.
"""

from __future__ import annotations

import html
import io
import json
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HAS, HAS_NOT, NO_ANSWER = "#0072B2", "#F0E442", "#DDDDDD"
STYLE_VERSION = 4  # bump when the drawing changes, so that cached charts are redrawn
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
FONT = 9
# Unhinted glyphs draw about a fifth faster and look the same at these sizes.
RC = {"text.hinting": "none", "svg.hashsalt": "spoc-portal"}


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: kind (bar | stacked | heatmap | ranking), a title, plain JSON data, and the
    alt text; `key` names it in URLs and `table` the report table shown beside it."""

    key: str
    kind: str
    title: str
    data: dict
    alt: str
    table: str = ""

    def digest(self, fmt: str) -> str:
        import hashlib

        payload = json.dumps([STYLE_VERSION, self.kind, self.title, self.data, self.alt, fmt],
                             sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100)


def _left_margin(labels: list[str], width: float) -> float:
    longest = max((max((len(p) for p in lbl.split("\n")), default=0) for lbl in labels), default=4)
    return min(0.6, (0.25 + 0.068 * longest) / width)


def _title(fig: Figure, title: str, width_chars: int = 80) -> int:
    wrapped = _wrap(title, width_chars)
    fig.suptitle(wrapped, fontsize=FONT + 1, x=0.02, ha="left", y=0.985, va="top")
    return wrapped.count("\n") + 1


# The question charts (a report has one per choice question, often a hundred or more) are drawn
# from figure-level primitives, without an Axes: the same picture at about half the cost.
WIDTH, LINE, PAD = 7.0, 0.16, 0.10


def _rows_layout(labels: list[str], title: str) -> tuple[list[float], float, float]:
    heights = [(lbl.count("\n") + 1) * LINE + PAD for lbl in labels]
    top = 0.25 + 0.19 * (title.count("\n") + 1)
    return heights, top, sum(heights)


def _label_column(labels: list[str]) -> float:
    longest = max((len(part) for lbl in labels for part in lbl.split("\n")), default=4)
    return min(0.55 * WIDTH, 0.25 + 0.068 * longest)


def _frame(fig: Figure, left: float, bottom: float, top: float, height: float) -> None:
    fig.add_artist(Line2D([left / WIDTH] * 2, [bottom / height, (height - top) / height], color="black",
                          linewidth=0.8))


def _bar(spec: ChartSpec) -> Figure:
    labels = [_wrap(lbl, 34) for lbl in spec.data["labels"]]
    values = spec.data["values"]
    texts = spec.data.get("texts") or [f"{v:g}" for v in values]
    title = _wrap(spec.title, 80)
    heights, top, body = _rows_layout(labels, title)
    bottom = 0.32
    height = top + body + bottom
    fig = _figure(WIDTH, height)
    fig.text(0.12 / WIDTH, 1 - 0.1 / height, title, fontsize=FONT + 1, ha="left", va="top")
    left = _label_column(labels)
    right = WIDTH - 1.0
    xmax = max([*values, spec.data.get("xmax", 0), 1])
    _frame(fig, left, bottom, top, height)
    y = height - top
    for lbl, v, t, h in zip(labels, values, texts, heights, strict=True):
        yc = y - h / 2
        width = (right - left) * v / xmax
        fig.text((left - 0.08) / WIDTH, yc / height, lbl, ha="right", va="center", fontsize=FONT)
        fig.add_artist(Rectangle((left / WIDTH, (yc - 0.09) / height), width / WIDTH, 0.18 / height,
                                 color=OKABE_ITO[0]))
        fig.text((left + width + 0.05) / WIDTH, yc / height, t, ha="left", va="center", fontsize=FONT)
        y -= h
    if spec.data.get("note"):
        fig.text(0.12 / WIDTH, 0.1 / height, spec.data["note"], fontsize=FONT - 1, color="#444444")
    return fig


HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]


def _stacked(spec: ChartSpec) -> Figure:
    rows = [_wrap(r, 34) for r in spec.data["rows"]]
    series, values = spec.data["series"], spec.data["values"]
    title = _wrap(spec.title, 80)
    heights, top, body = _rows_layout(rows, title)
    heights = [max(h, 0.3) for h in heights]
    body = sum(heights)
    bottom = 0.55
    height = top + body + bottom
    fig = _figure(WIDTH, height)
    fig.text(0.12 / WIDTH, 1 - 0.1 / height, title, fontsize=FONT + 1, ha="left", va="top")
    left = _label_column(rows)
    right = WIDTH - 0.2
    _frame(fig, left, bottom, top, height)
    y = height - top
    for lbl, counts, h in zip(rows, values, heights, strict=True):
        yc = y - h / 2
        total = sum(counts) or 1
        x = left
        fig.text((left - 0.08) / WIDTH, yc / height, lbl, ha="right", va="center", fontsize=FONT)
        for i, c in enumerate(counts):
            if not c:
                continue
            width = (right - left) * c / total
            fig.add_artist(Rectangle((x / WIDTH, (yc - h * 0.35) / height), width / WIDTH, h * 0.7 / height,
                                     facecolor=OKABE_ITO[i % len(OKABE_ITO)], hatch=HATCHES[i % len(HATCHES)],
                                     edgecolor="white", linewidth=0.5))
            fig.text((x + width / 2) / WIDTH, yc / height, f"{c:g}", ha="center", va="center",
                     fontsize=FONT - 1, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                              "alpha": 0.9})
            x += width
        y -= h
    x = left
    for i, name in enumerate(series):  # the legend, with the same hatches as the bars
        fig.add_artist(Rectangle((x / WIDTH, 0.12 / height), 0.25 / WIDTH, 0.14 / height,
                                 facecolor=OKABE_ITO[i % len(OKABE_ITO)], hatch=HATCHES[i % len(HATCHES)],
                                 edgecolor="white", linewidth=0.5))
        fig.text((x + 0.3) / WIDTH, 0.19 / height, name, va="center", fontsize=FONT - 1)
        x += 0.45 + 0.065 * len(name)
    fig.text(0.12 / WIDTH, 0.36 / height, "Countries per answer, row by row", fontsize=FONT - 1, color="#444444")
    return fig


def _heatmap(spec: ChartSpec) -> Figure:
    countries, caps = spec.data["countries"], [_wrap(c, 42) for c in spec.data["capabilities"]]
    values = spec.data["values"]  # values[country][capability]: 1, 0 or None
    longest = max(len(line) for c in caps for line in c.split("\n"))
    width = max(5.0, 0.4 + 0.07 * longest + 0.38 * len(countries))
    height = 1.3 + 0.32 * len(caps)
    fig = _figure(width, height)
    _title(fig, spec.title, int(width * 11))
    fig.subplots_adjust(left=_left_margin(caps, width), right=0.98, top=1 - 0.75 / height, bottom=0.45 / height)
    ax = fig.add_subplot()
    grid = [[2 if values[c][k] is None else int(values[c][k]) for c in range(len(countries))]
            for k in range(len(caps))]
    ax.imshow(grid, cmap=ListedColormap([HAS_NOT, HAS, NO_ANSWER]), vmin=0, vmax=2, aspect="auto")
    marks = {1: ("✓", "white"), 0: ("✗", "black"), 2: ("?", "black")}
    for k, row in enumerate(grid):
        for c, v in enumerate(row):
            mark, colour = marks[v]
            ax.text(c, k, mark, ha="center", va="center", fontsize=FONT, color=colour)
    ax.set_xticks(range(len(countries)), countries, fontsize=FONT)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(caps)), caps, fontsize=FONT)
    ax.tick_params(length=0)
    ax.set_xticks([x - 0.5 for x in range(1, len(countries))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(caps))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.text(0.02, 0.02, "✓ in place (blue)   ✗ not in place (yellow)   ? no answer (grey)", fontsize=FONT - 1)
    return fig


def _ranking(spec: ChartSpec) -> Figure:
    labels, values = spec.data["labels"], spec.data["values"]
    highlight = spec.data.get("highlight")
    height = 1.0 + 0.24 * max(len(labels), 3)
    fig = _figure(7.0, height)
    _title(fig, spec.title)
    fig.subplots_adjust(left=0.1, right=0.92, top=1 - 0.55 / height, bottom=0.45 / height)
    ax = fig.add_subplot()
    y = list(range(len(values)))
    colours = [OKABE_ITO[1] if lbl == highlight else OKABE_ITO[0] for lbl in labels]
    bars = ax.barh(y, values, color=colours, height=0.7)
    for bar, lbl in zip(bars, labels, strict=True):
        if lbl == highlight:
            bar.set_hatch("//")
            bar.set_edgecolor("black")
    ax.set_yticks(y, [f"{lbl} ◀" if lbl == highlight else lbl for lbl in labels], fontsize=FONT)
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(labelsize=FONT - 1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for yy, v in zip(y, values, strict=True):
        ax.text(v, yy, f" {v:.1f}", va="center", fontsize=FONT - 1)
    fig.text(0.02, 0.02, spec.data.get("note", "Maturity index, 0-100"), fontsize=FONT - 1)
    return fig


DRAW = {"bar": _bar, "stacked": _stacked, "heatmap": _heatmap, "ranking": _ranking}


def _svg_accessible(svg: bytes, title: str, alt: str) -> bytes:
    text = svg.decode("utf-8")
    start = text.find("<svg")
    end = text.find(">", start)
    head = text[start:end]
    if "role=" not in head:
        text = text[:end] + ' role="img" aria-labelledby="chart-title chart-desc"' + text[end:]
        end = text.find(">", start)
    extra = (f'<title id="chart-title">{html.escape(title)}</title>'
             f'<desc id="chart-desc">{html.escape(alt)}</desc>')
    return (text[:end + 1] + extra + text[end + 1:]).encode("utf-8")


def render(spec: ChartSpec, fmt: str = "png") -> bytes:
    """The chart as PNG or SVG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r} (png or svg)")
    out = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig = DRAW[spec.kind](spec)
        if fmt == "png":
            # light compression: a tenth larger, three times faster to encode
            fig.savefig(out, format="png", metadata={"Title": spec.title, "Description": spec.alt},
                        pil_kwargs={"compress_level": 1})
            return out.getvalue()
        # no Title in the metadata: matplotlib would write a second <title>; ours comes first, with ids
        fig.savefig(out, format="svg", metadata={"Description": spec.alt, "Date": None})
    return _svg_accessible(out.getvalue(), spec.title, spec.alt)
