"""`flashpoint explain`: how one event (or one cluster) was coded, in words."""

from __future__ import annotations

import json
import textwrap

from .errors import QueryError
from .store.db import EventStore


def _actor_line(role: str, ev: dict) -> str:
    text = ev.get(f"{role}_text")
    if text is None and ev.get(f"{role}_code") is None:
        return f"  {role:<8} none"
    code = ev.get(f"{role}_code") or "unresolved (null code)"
    parts = [f'  {role:<8} "{text}" -> {code}']
    if ev.get(f"{role}_sector"):
        parts.append(f"sector {ev[f'{role}_sector']}")
    if ev.get(f"{role}_name"):
        parts.append(f"name {ev[f'{role}_name']}")
    codes = ev.get(f"{role}_codes") or []
    if len(codes) > 1:
        parts.append("members " + "+".join(codes))
    line = ", ".join(parts)
    if ev.get(f"{role}_resolution"):
        line += f"\n           how: {ev[f'{role}_resolution']}"
    return line


def mark_trigger(sentence: str, sent_start: int, trig_start: int, trig_end: int) -> str:
    a, b = trig_start - sent_start, trig_end - sent_start
    if 0 <= a <= b <= len(sentence):
        return sentence[:a] + "[[" + sentence[a:b] + "]]" + sentence[b:]
    return sentence


def explain_event(store: EventStore, event_id: str) -> str:
    if event_id.startswith("cl-"):
        from .analytics.clusters import explain_cluster

        return explain_cluster(store, event_id)
    ev = store.event(event_id)
    if ev is None:
        raise QueryError(f'no event "{event_id}" in {store.path}; list ids with `flashpoint events --db {store.path}`')
    art = store.article(ev["article_id"]) or {}
    sents = {s["idx"]: s for s in store.sentences(ev["article_id"])}
    s = sents.get(ev["sentence_idx"])
    sentence = mark_trigger(s["text"], s["start_char"], ev["trigger_start"], ev["trigger_end"]) if s else "(sentence not stored)"
    attribution = json.loads(ev["attribution"] or "[]")
    lines = [
        f"event    {ev['event_id']}: {ev['event_type']}" + (f" ({ev['mode']})" if ev["mode"] else "")
        + f", {ev['quad']}, intensity {ev['intensity']:+.1f}, CAMEO {ev['cameo'] or '-'}",
        f"article  {ev['article_id']}: {art.get('title') or '(no title)'} | {art.get('outlet') or 'unknown outlet'} | published {art.get('pub_date') or 'date unknown'}",
        f"         read from {art.get('origin') or '?'}",
        f"sentence {ev['sentence_idx']}: " + textwrap.fill(sentence, 100, subsequent_indent=" " * 9),
        f"trigger  \"{ev['trigger_text']}\" at characters {ev['trigger_start']}-{ev['trigger_end']}",
        _actor_line("source", ev),
        _actor_line("target", ev),
    ]
    if ev.get("reciprocal"):
        lines.append("           reciprocal: both sides act on each other")
    if attribution:
        chain = " <- ".join(
            f"{a['role']} \"{a['text']}\"" + (f" ({a['code']})" if a.get("code") else "") + (f" via '{a['cue']}'" if a.get("cue") else "")
            for a in attribution
        )
        lines.append(f"claimed  {chain} <- publisher {ev['outlet'] or '?'}")
    else:
        lines.append(f"claimed  by the publisher itself ({ev['outlet'] or 'unknown'}): no speaker or outlet named in the sentence")
    lines.append(f"modality {ev['modality']}")
    lines.append(f"date     {ev['event_date'] or 'unknown'}" + (f" from \"{ev['date_text']}\"" if ev["date_text"] else "") + f": {ev['date_resolution']}")
    if ev.get("location"):
        loc = json.loads(ev["location"])
        lines.append(f"place    {loc.get('text')} -> {loc.get('name')} ({loc.get('country')}, {loc.get('lat')}, {loc.get('lon')})")
    lines.append(f"by       {ev['stage']} rule {ev['rule']}; confidence {ev['confidence']:.2f}")
    if ev.get("cluster_id"):
        lines.append(f"cluster  {ev['cluster_id']} (flashpoint explain {ev['cluster_id']})")
    return "\n".join(lines)
