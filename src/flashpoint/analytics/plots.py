"""Pictures: the tension trend of a dyad (PNG, SVG or self-contained HTML) and the HTML report.

Everything renders offline: matplotlib (Agg) draws; HTML embeds the SVG inline and escapes every piece of
article text (jinja2 autoescape), so a report can be opened from disk or mailed.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from jinja2 import Environment, select_autoescape  # noqa: E402

from ..errors import QueryError  # noqa: E402
from ..store.db import EventStore  # noqa: E402
from .alerts import Alert, alerts_for_dyad  # noqa: E402
from .tension import DyadSeries, dyad_series  # noqa: E402

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def _figure(series: DyadSeries, alerts: list[Alert], annotate: int = 4):
    fig, ax = plt.subplots(figsize=(10, 4.2), dpi=110)
    daily = series.frame
    if daily.empty:
        ax.text(0.5, 0.5, "no events for this dyad", ha="center", va="center", transform=ax.transAxes)
        return fig
    weekly_mean = daily["tension"].rolling(7, min_periods=1).mean()
    ax.bar(daily.index, daily["tension"], width=0.9, color=["#c0392b" if v > 0 else "#2e86c1" for v in daily["tension"]], alpha=0.45)
    ax.plot(daily.index, weekly_mean, color="#222222", lw=1.8, label="7-day mean")
    ax.axhline(0, color="#888888", lw=0.6)
    for al in alerts:
        color = "#e67e22" if al.kind == "escalation" else "#27ae60"
        ax.axvspan(dt.datetime.combine(al.start_date, dt.time()), dt.datetime.combine(al.end_date, dt.time()) + dt.timedelta(days=1), color=color, alpha=0.15)
        ax.annotate(f"{al.kind} ({al.strength:+.1f})", xy=(dt.datetime.combine(al.start_date, dt.time()), ax.get_ylim()[1] * 0.92), fontsize=7, color=color, rotation=90, va="top")
    ev = series.events
    if not ev.empty:
        top = ev.reindex(ev["weight"].abs().sort_values(ascending=False).index).head(annotate)
        for _, r in top.iterrows():
            y = daily["tension"].get(r["day"], 0)
            ax.annotate(f"{r['event_type']} {r['source_code'] or '?'}>{r['target_code'] or '?'}", xy=(r["day"], y), xytext=(0, 12 if y >= 0 else -14),
                        textcoords="offset points", fontsize=7, ha="center", arrowprops={"arrowstyle": "-", "lw": 0.5})
    arrow = "->" if series.directed else "-"
    ax.set_title(f"Tension {series.a}{arrow}{series.b}: conflict up, cooperation down (alerts shaded)")
    ax.set_ylabel("tension index")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    from matplotlib.patches import Patch

    handles = [Patch(color="#c0392b", alpha=0.45, label="daily tension > 0 (conflict)"),
               Patch(color="#2e86c1", alpha=0.45, label="daily tension < 0 (cooperation)"),
               *ax.get_legend_handles_labels()[0][:1]]
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def trend_svg(series: DyadSeries, alerts: list[Alert]) -> str:
    fig = _figure(series, alerts)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.find("<svg") :]


TREND_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Tension {{ a }}-{{ b }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;color:#222}table{border-collapse:collapse;font-size:13px}
td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}.esc{color:#b9770e}.de{color:#1e8449}</style></head><body>
<h1>Tension {{ a }}-{{ b }}</h1>{{ svg|safe }}
<h2>Alerts</h2>{% if not alerts %}<p>No alert at this threshold.</p>{% endif %}
<ul>{% for al in alerts %}<li class="{{ 'esc' if al.kind == 'escalation' else 'de' }}"><b>{{ al.start_date }} to {{ al.end_date }}</b>: {{ al.explanation }}
<br>driving events: {% for e in al.event_ids %}<code>{{ e }}</code> {% endfor %}</li>{% endfor %}</ul>
<h2>Strongest events</h2><table><tr><th>date</th><th>type</th><th>source</th><th>target</th><th>modality</th><th>weight</th><th>trigger</th><th>event</th></tr>
{% for e in events %}<tr><td>{{ e.day }}</td><td>{{ e.event_type }}</td><td>{{ e.source_code }}</td><td>{{ e.target_code }}</td><td>{{ e.modality }}</td><td>{{ '%.2f'|format(e.weight) }}</td><td>{{ e.trigger_text }}</td><td><code>{{ e.event_id }}</code></td></tr>{% endfor %}
</table></body></html>"""


def write_trend(store: EventStore, a: str, b: str, out: str | Path, *, directed: bool = False, since=None, until=None) -> dict[str, Any]:
    """Render the tension trend of a dyad to .png, .svg or .html (chosen by the file ending)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg", ".html"):
        raise QueryError(f"--out {out}: the file must end in .png, .svg or .html")
    series = dyad_series(store, a, b, directed=directed, since=since, until=until, with_events=True)
    alerts = alerts_for_dyad(store, a, b, directed=directed, since=since, until=until)
    if suffix in (".png", ".svg"):
        fig = _figure(series, alerts)
        fig.savefig(out, format=suffix[1:])
        plt.close(fig)
    else:
        ev = series.events
        top = ev.reindex(ev["weight"].abs().sort_values(ascending=False).index).head(25) if not ev.empty else ev
        rows = [{**r, "day": r["day"].date().isoformat()} for r in top.to_dict("records")]
        html = _env.from_string(TREND_HTML).render(a=series.a, b=series.b, svg=trend_svg(series, alerts), alerts=alerts, events=rows)
        out.write_text(html, encoding="utf-8")
    return {"out": str(out), "days": len(series.frame), "events": int(series.frame["events"].sum()) if not series.frame.empty else 0, "alerts": len(alerts)}


REPORT_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>flashpoint report</title>
<style>body{font-family:system-ui,sans-serif;max-width:1150px;margin:1em auto;color:#222}table{border-collapse:collapse;font-size:13px;margin-bottom:1em}
td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}h2{border-top:2px solid #333;padding-top:.4em}
.esc{color:#b9770e}.de{color:#1e8449}.muted{color:#777;font-size:12px}</style></head><body>
<h1>flashpoint report</h1><p class="muted">Store {{ path }}: {{ stats.articles }} articles, {{ stats.events }} events, {{ stats.clusters }} clusters. Generated {{ now }}.</p>
<h2>Top dyads</h2><table><tr><th>dyad</th><th>events</th><th>conflict</th><th>cooperation</th><th>mean intensity</th></tr>
{% for d in dyads %}<tr><td>{{ d.a }}-{{ d.b }}</td><td>{{ d.events }}</td><td>{{ d.conflict }}</td><td>{{ d.cooperation }}</td><td>{{ d.mean_intensity }}</td></tr>{% endfor %}</table>
{% for t in trends %}<h2>{{ t.a }}-{{ t.b }}</h2>{{ t.svg|safe }}
<ul>{% for al in t.alerts %}<li class="{{ 'esc' if al.kind == 'escalation' else 'de' }}"><b>{{ al.start_date }} to {{ al.end_date }}</b>: {{ al.explanation }}</li>{% endfor %}</ul>{% endfor %}
<h2>Most intense events</h2><table><tr><th>date</th><th>type</th><th>source</th><th>target</th><th>modality</th><th>sentence</th><th>claimed by / carried by</th><th>outlet</th></tr>
{% for e in intense %}<tr><td>{{ e.event_date }}</td><td>{{ e.event_type }}</td><td>{{ e.source_code or e.source_text }}</td><td>{{ e.target_code or e.target_text }}</td><td>{{ e.modality }}</td>
<td>{{ e.sentence }}</td><td>{{ e.chain }}</td><td>{{ e.outlet }}</td></tr>{% endfor %}</table></body></html>"""


def write_report(store: EventStore, out: str | Path, *, dyads: int = 4, since=None, until=None) -> dict[str, Any]:
    """A self-contained HTML report: top dyads, their trends with alerts, the most intense events with provenance."""
    import json

    top = store.top_dyads(limit=10)
    trends = []
    for d in top[:dyads]:
        series = dyad_series(store, d["a"], d["b"], since=since, until=until, with_events=True)
        alerts = alerts_for_dyad(store, d["a"], d["b"], since=since, until=until)
        trends.append({"a": d["a"], "b": d["b"], "svg": trend_svg(series, alerts), "alerts": alerts})
    intense = store.query(
        "SELECT e.*, s.text AS sentence FROM events e LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_idx "
        "WHERE e.modality NOT IN ('negated', 'denied') ORDER BY e.intensity * e.confidence ASC, e.event_id LIMIT 20"
    )
    for e in intense:
        chain = json.loads(e["attribution"] or "[]")
        e["chain"] = " <- ".join(f"{c['role']}: {c['text']}" for c in chain) or "(publisher)"
    html = _env.from_string(REPORT_HTML).render(
        path=store.path, stats=store.stats(), now=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), dyads=top, trends=trends, intense=intense
    )
    Path(out).write_text(html, encoding="utf-8")
    return {"out": str(out), "dyads": len(trends), "events": len(intense)}
