"""A self-contained HTML report of a simulation, with inline SVG charts (no scripts, no external assets).

`render_html(scenario, summary, title)` returns one HTML document: key figures with their 90% intervals,
charts (waiting for an appointment with its 90% band, occupancy against beds per population, breach shares
by population, custody durations) and the scenario's main parameters. Every text is escaped. Each chart
carries a title and a description for screen readers, and the figures it shows are also in a table.

`svg_line_chart` and `svg_bar_chart` are the chart helpers, reusable by the application's pages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from .results import CUSTODY_BINS_HOURS, Summary
from .scenario import Scenario
from .thresholds import Threshold

PALETTE = ("#1b4f72", "#b9770e", "#1e8449", "#922b21", "#6c3483", "#117a65", "#7e5109", "#2e4053")

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "lang": "en", "key_figures": "Key figures", "figure": "Figure", "mean": "Mean",
        "interval": "90% interval", "replications": "replications", "horizon": "Horizon", "days": "days",
        "waiting": "Waiting for an appointment (persons, all ports)", "waiting_ports": "Waiting by port (mean)",
        "occupancy": "Reception beds occupied", "beds": "beds", "breaches": "Custody breaches by population",
        "custody": "Time in custody (people released, placed or returned; mean count)",
        "wait_days": "Mean wait for an appointment (days)", "wait_p90": "90th percentile of the wait (days)",
        "custody_mean": "Mean time in custody (hours)", "breach_share": "Share past the custody limit",
        "breach_count": "People past the custody limit", "peak": "Peak bed occupancy",
        "clear": "Days until the port's waiting list is cleared", "not_cleared": "not within the horizon",
        "cost": "Cost over the horizon (USD)", "officers_cost": "Officers", "beds_cost": "Reception beds",
        "orr_cost": "ORR placement capacity", "total": "Total", "day": "Day", "persons": "persons",
        "scenario": "Scenario", "ports": "Ports", "port": "Port", "capacity": "Capacity per day",
        "officers": "Officers", "backlog": "Initial backlog", "population": "Population",
        "limit": "Custody limit (h)", "orr": "ORR placements per day", "arrivals": "Arrivals per day",
        "band": "90% band", "share": "share", "hours": "hours", "thresholds": "Crisis thresholds",
        "probability": "Probability of crossing", "first_day": "Median first day",
        "single_adult_men": "Single adult men", "single_adult_women": "Single adult women",
        "family_units": "Family units", "unaccompanied_children": "Unaccompanied children",
        "chart_desc_band": "Mean over replications, with the band between the 5th and 95th percentiles.",
    },
    "es": {
        "lang": "es", "key_figures": "Cifras clave", "figure": "Cifra", "mean": "Media",
        "interval": "Intervalo del 90 %", "replications": "réplicas", "horizon": "Horizonte", "days": "días",
        "waiting": "En espera de cita (personas, todos los puertos)", "waiting_ports": "En espera por puerto (media)",
        "occupancy": "Camas de recepción ocupadas", "beds": "camas", "breaches": "Excesos de custodia por población",
        "custody": "Tiempo bajo custodia (personas liberadas, colocadas o retornadas; conteo medio)",
        "wait_days": "Espera media para una cita (días)", "wait_p90": "Percentil 90 de la espera (días)",
        "custody_mean": "Tiempo medio bajo custodia (horas)", "breach_share": "Proporción que supera el límite",
        "breach_count": "Personas que superan el límite de custodia", "peak": "Ocupación máxima de camas",
        "clear": "Días hasta vaciar la lista de espera del puerto", "not_cleared": "no dentro del horizonte",
        "cost": "Costo en el horizonte (USD)", "officers_cost": "Oficiales", "beds_cost": "Camas de recepción",
        "orr_cost": "Capacidad de colocación de ORR", "total": "Total", "day": "Día", "persons": "personas",
        "scenario": "Escenario", "ports": "Puertos", "port": "Puerto", "capacity": "Capacidad diaria",
        "officers": "Oficiales", "backlog": "Rezago inicial", "population": "Población",
        "limit": "Límite de custodia (h)", "orr": "Colocaciones de ORR por día", "arrivals": "Llegadas por día",
        "band": "banda del 90 %", "share": "proporción", "hours": "horas", "thresholds": "Umbrales de crisis",
        "probability": "Probabilidad de cruce", "first_day": "Primer día (mediana)",
        "single_adult_men": "Hombres adultos solos", "single_adult_women": "Mujeres adultas solas",
        "family_units": "Unidades familiares", "unaccompanied_children": "Niñas, niños y adolescentes no acompañados",
        "chart_desc_band": "Media de las réplicas, con la banda entre los percentiles 5 y 95.",
    },
}


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float]
    low: Sequence[float] | None = None  # band
    high: Sequence[float] | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    low: float | None = None  # whisker
    high: float | None = None


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _nice_max(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * i / count for i in range(count + 1)]


def svg_line_chart(lines: Sequence[Line], *, title: str, description: str = "", x_label: str = "",
                   y_label: str = "", width: int = 720, height: int = 260, y_max: float | None = None) -> str:
    """An inline SVG line chart; each line may have a shaded band (low/high) and be dashed."""
    left, right, top = 64, 16, 40
    legend_rows = _legend_rows([line.label for line in lines], width - left - right)
    bottom = 50 + 16 * len(legend_rows)
    height += 16 * max(0, len(legend_rows) - 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max((len(line.values) for line in lines), default=0)
    peak = max((max((v for v in (line.high or line.values) if math.isfinite(v)), default=0.0) for line in lines),
               default=0.0)
    top_value = y_max if y_max is not None else _nice_max(peak)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else 0.0)

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), top_value) / top_value)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title>", f"<desc>{escape(description)}</desc>",
             f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>']
    for tick in _ticks(top_value):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>')
        tick_text = _fmt(tick, 2 if top_value < 10 else 0)
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{tick_text}</text>')
    for i in range(0, n, max(1, n // 8)):
        parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">{i}</text>')
    for k, line in enumerate(lines):
        color = PALETTE[k % len(PALETTE)]
        if line.low is not None and line.high is not None and n:
            upper = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.high))
            lower = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(line.low))))
            parts.append(f'<polygon points="{upper} {lower}" fill="{color}" fill-opacity="0.18" stroke="none"/>')
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.values) if math.isfinite(v))
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="1.8"{dash}/>')
    for row, entries in enumerate(legend_rows):
        y_row = top + plot_h + 48 + 16 * row
        for k, legend_x in entries:
            line = lines[k]
            color = PALETTE[k % len(PALETTE)]
            dash = ' stroke-dasharray="6 4"' if line.dashed else ""
            parts.append(f'<line x1="{left + legend_x}" x2="{left + legend_x + 18}" y1="{y_row - 4}" '
                         f'y2="{y_row - 4}" stroke="{color}" stroke-width="2"{dash}/>')
            parts.append(f'<text x="{left + legend_x + 22}" y="{y_row}" class="legend">{escape(line.label)}</text>')
    if x_label:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 30}" text-anchor="middle" '
                     f'class="axis">{escape(x_label)}</text>')
    if y_label:
        parts.append(f'<text x="{left - 6}" y="{top - 8}" text-anchor="end" class="axis">{escape(y_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, width: int, most: int = 3) -> list[str]:
    """Words on lines of at most `width` characters (at most `most` lines; the last one is cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1:])[: width - 1] + "…"]
    return lines or [""]


def _legend_rows(labels: Sequence[str], width: float) -> list[list[tuple[int, float]]]:
    """Legend entries (index, x offset) laid out in rows that fit the width."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = 0.0
    for k, label in enumerate(labels):
        size = 30 + 6.5 * len(label)
        if rows[-1] and x + size > width:
            rows.append([])
            x = 0.0
        rows[-1].append((k, x))
        x += size
    return rows


def svg_bar_chart(bars: Sequence[Bar], *, title: str, description: str = "", y_label: str = "",
                  width: int = 720, height: int = 260, y_max: float | None = None, percent: bool = False,
                  reference: float | None = None, color: str | None = None) -> str:
    """An inline SVG bar chart with optional whiskers (low/high) and a dashed reference line. Bars take the
    palette's colours in turn, or all one `color` (a histogram)."""
    left, right, top = 64, 16, 40
    slot = (width - left - right) / max(len(bars), 1)
    wrapped = [_wrap(b.label, max(4, int(slot / 6.5))) for b in bars]
    bottom = 24 + 13 * max((len(lines) for lines in wrapped), default=1)
    height += 13 * max(0, max((len(lines) for lines in wrapped), default=1) - 2)
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(b.value, b.high or 0.0) for b in bars] + [reference or 0.0], default=0.0)
    top_value = y_max if y_max is not None else _nice_max(peak)

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), top_value) / top_value)

    def label(v: float) -> str:
        return f"{v * 100:.1f}%" if percent else _fmt(v)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title>", f"<desc>{escape(description)}</desc>",
             f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>']
    for tick in _ticks(top_value):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{label(tick)}</text>')
    for k, bar in enumerate(bars):
        x0 = left + k * slot + slot * 0.15
        w = slot * 0.7
        fill = color or PALETTE[k % len(PALETTE)]
        parts.append(f'<rect x="{x0:.1f}" y="{y(bar.value):.1f}" width="{w:.1f}" height="{y(0) - y(bar.value):.1f}" '
                     f'fill="{fill}"><title>{escape(bar.label)}: {label(bar.value)}</title></rect>')
        if bar.low is not None and bar.high is not None:
            cx = x0 + w / 2
            parts.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(bar.low):.1f}" y2="{y(bar.high):.1f}" '
                         'class="whisker"/>')
            for v in (bar.low, bar.high):
                parts.append(f'<line x1="{cx - 6:.1f}" x2="{cx + 6:.1f}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                             'class="whisker"/>')
        spans = "".join(f'<tspan x="{x0 + w / 2:.1f}" dy="{0 if i == 0 else 13}">{escape(text)}</tspan>'
                        for i, text in enumerate(wrapped[k]))
        parts.append(f'<text y="{top + plot_h + 16}" text-anchor="middle" class="tick">{spans}</text>')
    if reference is not None:
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(reference):.1f}" y2="{y(reference):.1f}" '
                     'class="reference"/>')
    if y_label:
        parts.append(f'<text x="{left - 6}" y="{top - 8}" text-anchor="end" class="axis">{escape(y_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:960px;padding:1rem;
color:#1c2833;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d5d8dc}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #e5e7e9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.chart{display:block;margin:1rem 0;background:#fff}.chart-title{font-size:13px;font-weight:600;fill:#1c2833}
.tick,.legend,.axis{font-size:11px;fill:#424949}.grid{stroke:#e5e7e9}.whisker{stroke:#1c2833;stroke-width:1.5}
.reference{stroke:#922b21;stroke-dasharray:6 4;stroke-width:1.5}.meta{color:#566573}
.grid4{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:.5rem}
"""


def _stat(summary: Summary, key: str) -> dict[str, float | None]:
    return summary.metrics.get(key, {"mean": None, "p5": None, "p95": None})


def _row(label: str, stats: Mapping[str, float | None], *, percent: bool = False, digits: int = 1) -> str:
    def show(v: float | None) -> str:
        if v is None:
            return "–"
        return f"{v * 100:.2f}%" if percent else _fmt(v, digits)

    return (f"<tr><td>{escape(label)}</td><td class=num>{show(stats.get('mean'))}</td>"
            f"<td class=num>{show(stats.get('p5'))} – {show(stats.get('p95'))}</td></tr>")


def render_html(scenario: Scenario, summary: Summary, title: str, *, language: str = "en",
                threshold_probabilities: Mapping[str, Mapping[str, Any]] | None = None,
                thresholds: Sequence[Threshold] = ()) -> str:
    """The report as a complete HTML document (English or Spanish: language "en" or "es").

    `threshold_probabilities` (from `thresholds.crossing_probabilities`) adds a table of crisis thresholds;
    pass the `thresholds` too to show their labels instead of their ids.
    """
    t = _TEXT["es" if language == "es" else "en"]
    pops = summary.population_codes
    ports = summary.port_codes
    out = [f'<!doctype html><html lang="{t["lang"]}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
           f"<style>{_CSS}</style></head><body>",
           f"<h1>{escape(title)}</h1>",
           f'<p class="meta">{escape(t["scenario"])}: {escape(scenario.name)} · {escape(t["horizon"])}: '
           f'{summary.horizon_days} {escape(t["days"])} · {summary.replications} {escape(t["replications"])}'
           + (f" · seed {summary.seed}" if summary.seed is not None else "") + "</p>"]
    if scenario.description:
        out.append(f"<p>{escape(scenario.description)}</p>")

    rows = [_row(t["wait_days"], _stat(summary, "waiting_days.mean"), digits=2),
            _row(t["wait_p90"], _stat(summary, "waiting_days.p90"), digits=2)]
    for g in pops:
        rows.append(_row(f"{t['custody_mean']} · {t.get(g, g)}", _stat(summary, f"custody_hours.mean.{g}")))
    for g in pops:
        rows.append(_row(f"{t['breach_share']} · {t.get(g, g)}", _stat(summary, f"breaches.share.{g}"),
                         percent=True))
        rows.append(_row(f"{t['breach_count']} · {t.get(g, g)}", _stat(summary, f"breaches.count.{g}"), digits=0))
    for g in pops:
        rows.append(_row(f"{t['peak']} · {t.get(g, g)}", _stat(summary, f"occupancy.peak_share.{g}"), percent=True))
    for code in ports:
        stats = _stat(summary, f"backlog.days_to_clear.{code}")
        label = f"{t['clear']} · {code}"
        if stats.get("missing"):
            label += f" ({(stats.get('missing') or 0) * 100:.0f}% {t['not_cleared']})"
        rows.append(_row(label, stats, digits=0))
    for key, name in (("officers", "officers_cost"), ("beds", "beds_cost"), ("orr", "orr_cost"),
                      ("total", "total")):
        rows.append(_row(f"{t['cost']} · {t[name]}", _stat(summary, f"cost.usd.{key}"), digits=0))
    out.append(f"<h2>{escape(t['key_figures'])}</h2><table><thead><tr><th>{escape(t['figure'])}</th>"
               f"<th class=num>{escape(t['mean'])}</th><th class=num>{escape(t['interval'])}</th></tr></thead>"
               f"<tbody>{''.join(rows)}</tbody></table>")

    if threshold_probabilities:
        threshold_labels = {th.id: th.label(t["lang"]) for th in thresholds}

        def threshold_name(key: str) -> str:
            threshold_id, _, subject = key.partition(":")
            text = threshold_labels.get(threshold_id, threshold_id)
            return f"{text} · {t.get(subject, subject)}" if subject else text

        trs = "".join(f"<tr><td>{escape(threshold_name(k))}</td>"
                      f"<td class=num>{(v.get('probability') or 0) * 100:.0f}%</td>"
                      f"<td class=num>{_fmt(v.get('median_first_day'), 0)}</td></tr>"
                      for k, v in threshold_probabilities.items())
        out.append(f"<h2>{escape(t['thresholds'])}</h2><table><thead><tr><th></th><th class=num>"
                   f"{escape(t['probability'])}</th><th class=num>{escape(t['first_day'])}</th></tr></thead>"
                   f"<tbody>{trs}</tbody></table>")

    mean, low, high = summary.band("port_queue")
    out.append(svg_line_chart([Line(t["persons"], list(mean), list(low), list(high))], title=t["waiting"],
                              description=t["chart_desc_band"], x_label=t["day"], y_label=t["persons"]))
    out.append(svg_line_chart([Line(code, summary.series[f"port_queue.{code}"]["mean"]) for code in ports],
                              title=t["waiting_ports"], x_label=t["day"], y_label=t["persons"]))

    charts = []
    for g in pops:
        mean, low, high = summary.band(f"occupancy.{g}")
        beds = summary.series[f"beds.{g}"]["mean"]
        charts.append(svg_line_chart(
            [Line(t["mean"], list(mean), list(low), list(high)), Line(t["beds"], beds, dashed=True)],
            title=f"{t['occupancy']} · {t.get(g, g)}", description=t["chart_desc_band"], x_label=t["day"],
            width=460, height=230))
    out.append(f"<h2>{escape(t['occupancy'])}</h2><div class=grid4>{''.join(charts)}</div>")

    bars = [Bar(t.get(g, g), _stat(summary, f"breaches.share.{g}").get("mean") or 0.0,
                _stat(summary, f"breaches.share.{g}").get("p5"), _stat(summary, f"breaches.share.{g}").get("p95"))
            for g in pops]
    out.append(svg_bar_chart(bars, title=t["breaches"], description=t["chart_desc_band"], percent=True,
                             y_label=t["share"]))

    edges = CUSTODY_BINS_HOURS
    bins = [f"{edges[i]:g}–{edges[i + 1]:g}" if math.isfinite(edges[i + 1]) else f"≥{edges[i]:g}"
            for i in range(len(edges) - 1)]
    totals = [sum(summary.histograms[g][i] for g in pops) for i in range(len(bins))]
    out.append(svg_bar_chart([Bar(f"{label} h", v) for label, v in zip(bins, totals, strict=True)],
                             title=t["custody"], y_label=t["persons"], color=PALETTE[0]))
    head = "".join(f"<th class=num>{escape(label)} h</th>" for label in bins)
    body = "".join(f"<tr><td>{escape(t.get(g, g))}</td>" + "".join(
        f"<td class=num>{_fmt(v, 0)}</td>" for v in summary.histograms[g]) + "</tr>" for g in pops)
    out.append(f"<table><thead><tr><th>{escape(t['population'])}</th>{head}</tr></thead><tbody>{body}</tbody></table>")

    port_rows = "".join(
        f"<tr><td>{escape(p.name or p.code)}</td><td class=num>{p.daily_capacity}</td><td class=num>{p.officers}</td>"
        f"<td class=num>{p.initial_backlog:,}</td></tr>" for p in scenario.ports)
    pop_rows = "".join(
        f"<tr><td>{escape(t.get(p.code, p.code))}</td><td class=num>{p.beds:,}</td>"
        f"<td class=num>{p.custody_limit_hours:g}</td></tr>" for p in scenario.populations)
    out.append(f"<h2>{escape(t['scenario'])}</h2><p>{escape(t['arrivals'])}: {_fmt(scenario.arrivals.daily_rate, 0)}"
               f" · {escape(t['orr'])}: {scenario.orr_placements_per_day}</p>"
               f"<table><thead><tr><th>{escape(t['port'])}</th><th class=num>{escape(t['capacity'])}</th>"
               f"<th class=num>{escape(t['officers'])}</th><th class=num>{escape(t['backlog'])}</th></tr></thead>"
               f"<tbody>{port_rows}</tbody></table>"
               f"<table><thead><tr><th>{escape(t['population'])}</th><th class=num>{escape(t['beds'])}</th>"
               f"<th class=num>{escape(t['limit'])}</th></tr></thead><tbody>{pop_rows}</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out)
