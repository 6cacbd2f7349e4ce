"""Charts: PNG and SVG, a title and alt text, colour-blind-safe colours, cached by content hash."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reports.chart_cache import ChartCache
from reports.charts import OKABE_ITO, render
from reports.frame import tidy_frame
from reports.report import build_report
from tests.reports.conftest import ANSWERS


@pytest.fixture
def report(small):
    return build_report(small, tidy_frame(small, ANSWERS), title="Small", highlight="BE")


@pytest.mark.parametrize("key", ["maturity", "heatmap", "q-units", "q-needs", "q-formats"])
def test_every_kind_of_chart_renders_as_png_with_its_title_and_alt_text(report, key):
    spec = report.chart(key)
    png = render(spec, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    assert image.info["Title"] == spec.title and image.info["Description"] == spec.alt
    assert image.width >= 500
    colours = {"#{:02x}{:02x}{:02x}".format(*px[:3]) for _, px in image.convert("RGBA").getcolors(1 << 20)}
    assert OKABE_ITO[0].lower() in colours  # the palette's blue, not matplotlib's default


def test_svg_has_a_title_and_description_for_screen_readers(report):
    spec = report.chart("heatmap")
    svg = render(spec, "svg").decode()
    head = svg[svg.index("<svg"):svg.index("<svg") + 600]
    assert 'role="img"' in head
    assert "<title id=\"chart-title\">Key capabilities by country</title>" in svg
    assert svg.count("<title") == 1
    assert "<desc id=\"chart-desc\">Heatmap of 3 key capabilities (rows) for 3 countries" in svg
    assert "24/7: 2 of 3" in spec.alt


def test_the_alt_text_says_what_the_chart_shows(report):
    assert report.chart("maturity").alt == ("Maturity ranking, highest first: BE 100.0, DE 66.7, NL 16.7. "
                                            "BE is highlighted.")
    assert report.chart("q-units").alt.endswith("Of 2 countries answering: ENU 2 (100%); Sirene 0 (0%); NCB 1 (50%).")


def test_unknown_format_is_refused(report):
    with pytest.raises(ValueError, match="png or svg"):
        render(report.chart("q-h247"), "gif")


def test_cache_draws_once_then_serves_from_memory_and_from_disk(report, tmp_path):
    cache = ChartCache(tmp_path / "charts")
    spec = report.chart("q-host")
    first = cache.get(spec, "png")
    assert (cache.misses, cache.hits) == (1, 0)
    assert cache.get(spec, "png") == first and cache.hits == 1
    assert len(list((tmp_path / "charts").rglob("*.png"))) == 1
    fresh = ChartCache(tmp_path / "charts")  # another process: the disk serves it
    assert fresh.get(spec, "png") == first and (fresh.misses, fresh.hits) == (0, 1)
    # other data is another chart
    other = build_report(report.definition, tidy_frame(report.definition, {"BE": ANSWERS["BE"]}), title="x")
    cache.get(other.chart("q-host"), "png")
    assert cache.misses == 2


def test_many_charts_in_worker_processes_give_the_same_pictures(report, tmp_path):
    cache = ChartCache(None)
    drawn = cache.get_many(report.charts, "png", workers=2)
    assert list(drawn) == [c.key for c in report.charts]  # in the report's order, though the slowest go first
    assert all(drawn[c.key] == render(c, "png") for c in report.charts)  # each picture under its own key
    again = cache.get_many(report.charts, "png", workers=2)
    assert again == drawn and cache.hits == len(report.charts)
