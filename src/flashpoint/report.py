"""Plain-text summaries of a store, for the terminal (the demo's output)."""

from __future__ import annotations

from .store.db import EventStore


def store_summary(store: EventStore, top: int = 8) -> str:
    stats = store.stats()
    lines = [f"Store {store.path}: {stats['articles']} articles, {stats['sentences']} sentences, {stats['events']} events."]
    dyads = store.top_dyads(limit=top)
    if dyads:
        lines.append("")
        lines.append("Top dyads (either direction)   events  conflict  cooperation  mean intensity")
        for d in dyads:
            lines.append(f"  {d['a']}-{d['b']:<26} {d['events']:>6}  {d['conflict']:>8}  {d['cooperation']:>11}  {d['mean_intensity']:>+14.2f}")
    types = store.type_counts()
    if types:
        lines.append("")
        lines.append("Events per PLOVER type")
        lines.append("  " + ", ".join(f"{t['event_type']} {t['events']}" for t in types))
    days = store.intense_days(limit=5)
    if days:
        lines.append("")
        lines.append("Most intense days (conflict score = sum of -intensity x confidence, asserted/alleged/future)")
        for d in days:
            lines.append(f"  {d['day']}  {d['events']:>3} events  score {d['conflict_score']}")
    return "\n".join(lines)
