"""The HTML report: self-contained, escaped, charts as valid SVG, in English and Spanish."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from corredor.core.simulation.engine import simulate_replication
from corredor.core.simulation.report import Bar, Line, render_html, svg_bar_chart, svg_line_chart
from corredor.core.simulation.results import summarise
from corredor.core.simulation.scenario import Scenario, with_changes
from corredor.core.simulation.thresholds import crossing_probabilities, default_thresholds


def test_report_is_self_contained_and_escaped(small: Scenario) -> None:
    hostile = with_changes(small, name="<script>alert('x')</script>", description="a & b <i>")
    results = [simulate_replication(hostile, 2, r) for r in range(4)]
    summary = summarise(results, seed=2)
    html = render_html(hostile, summary, "Report <b>", threshold_probabilities=crossing_probabilities(
        default_thresholds(), results))
    assert html.startswith("<!doctype html>")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html and "Report &lt;b&gt;" in html and "a &amp; b &lt;i&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)
    assert html.count("<svg") == 2 + len(small.populations) + 2
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        ET.fromstring(svg)  # well-formed
    assert "arrivals-above-capacity" in html
    spanish = render_html(hostile, summary, "Informe", language="es")
    assert '<html lang="es">' in spanish and "Cifras clave" in spanish


def test_chart_helpers() -> None:
    line = svg_line_chart([Line("a & b", [1, 2, 3], [0, 1, 2], [2, 3, 4]), Line("cap", [3, 3, 3], dashed=True)],
                          title="Queue <1>", description="desc")
    root = ET.fromstring(line)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Queue <1>"
    assert "stroke-dasharray" in line and "<polygon" in line
    bars = svg_bar_chart([Bar("x", 0.02, 0.01, 0.03), Bar("y", 0.0)], title="Breaches", percent=True,
                         reference=0.01)
    ET.fromstring(bars)
    assert "2.0%" in bars and 'class="reference"' in bars
    assert ET.fromstring(svg_line_chart([], title="empty")) is not None
