"""A seeded sample store for the API's tests, benchmark and demos (no NLP model needed).

    >>> from flashpoint.api.fixtures import build_sample_store
    >>> info = build_sample_store("sample.duckdb")   # background noise + one dyad with a clear escalation
    >>> info["escalation_dyad"], info["xss_event_id"]
    (('XNA', 'XSA'), 'ev-esc-xss-...')

What is in it (all text written for this file; actors XNA and XSA are user-assigned ISO codes, not countries):
- ``noise_articles`` random articles from ``flashpoint.testing.synthetic_coded`` (RUS, UKR, USA, NATO ...);
- the dyad XNA-XSA: a quiet baseline (talks and complaints every few days) for ``BASELINE_DAYS`` days, then
  ten days of daily assaults, so ``analytics.alerts`` raises an escalation alert there;
- inside the escalation: one report whose text carries HTML/script markup (the dashboard must show it as
  text), a happening reported by three outlets (two of them syndicated copies) with speakers and outlet
  chains, so that it forms a cluster with 3 reports and 2 independent sources;
- a few events with non-asserted modality (alleged, negated, hypothetical).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

__all__ = ["build_sample_store", "FakeCoder", "XSS_TEXT", "START"]

START = dt.date(2022, 1, 1)
DAYS = 120
BASELINE_DAYS = 90
ESCALATION_DAYS = 10
XSS_TEXT = ('Local officials said <script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2"> '
            'that XNA artillery shelled XSA positions near the river crossing overnight.')
_OUTLETS = ("Northern Courier", "Valley Wire", "River Post", "Coastal Daily")


def _escalation_coded() -> list:
    """The XNA-XSA articles: quiet baseline, then an escalation with an XSS probe and a corroborated happening."""
    from ..testing import make_coded

    coded = []
    for d in range(0, BASELINE_DAYS, 3):
        day = START + dt.timedelta(days=d)
        if d % 2 == 0:
            text = f"XNA and XSA envoys held talks on water sharing on day {d} and agreed to meet again."
            ev = dict(event_type="CONSULT", source="XNA", target="XSA", trigger="held talks", confidence=0.7)
        else:
            text = f"XSA complained that XNA patrols crossed the line on day {d}, a spokesman said."
            ev = dict(event_type="ACCUSE", source="XSA", target="XNA", trigger="complained", confidence=0.6)
        coded.append(make_coded(f"esc-base-{d}", text, day, _OUTLETS[d % len(_OUTLETS)], [ev]))
    for k in range(ESCALATION_DAYS):
        d = BASELINE_DAYS + k
        day = START + dt.timedelta(days=d)
        for j in range(3):
            src, tgt = ("XNA", "XSA") if (k + j) % 2 == 0 else ("XSA", "XNA")
            text = f"{src} forces attacked {tgt} border posts at dawn on day {d}, wave {j}, officials reported."
            coded.append(make_coded(f"esc-{d}-{j}", text, day, _OUTLETS[(k + j) % len(_OUTLETS)],
                                    [dict(event_type="ASSAULT", source=src, target=tgt, trigger="attacked", confidence=0.8)]))
    # the XSS probe: the most confident assault of the window, so it leads the alert's driving events
    day = START + dt.timedelta(days=BASELINE_DAYS + 5)
    coded.append(make_coded("esc-xss", XSS_TEXT, day, "Valley Wire",
                            [dict(event_type="ASSAULT", source="XNA", target="XSA", trigger="shelled", confidence=0.99)]))
    # one happening, three reports: two syndicated copies of one wire story and one independent report
    day = START + dt.timedelta(days=BASELINE_DAYS + 3)
    wire = ("XSA drones struck an XNA fuel depot outside the northern garrison town late on Tuesday, "
            "according to the XNA defence ministry, which said two guards were hurt in the blaze.")
    own = ("An XNA fuel depot outside the northern garrison town burned after XSA drones struck it late on Tuesday, "
           "the XNA defence ministry told reporters, adding that two guards were hurt.")
    for aid, text, outlet, chain, conf in (("esc-wire-a", wire, "Northern Courier", ("Valley Wire",), 0.92),
                                           ("esc-wire-b", wire, "River Post", ("Valley Wire",), 0.92),
                                           ("esc-own", own, "Coastal Daily", (), 0.88)):
        coded.append(make_coded(aid, text, day, outlet, [dict(event_type="ASSAULT", source="XSA", target="XNA", trigger="struck",
                                                              confidence=conf, speaker="XNA", outlets=chain)]))
    # modalities other than asserted
    for i, (modality, trig, etype) in enumerate((("alleged", "accused", "ACCUSE"), ("negated", "denied", "REJECT"),
                                                  ("hypothetical", "could strike", "THREATEN"))):
        day = START + dt.timedelta(days=BASELINE_DAYS - 10 + i)
        text = f"XNA officials {trig} XSA in a statement on day {BASELINE_DAYS - 10 + i}."
        coded.append(make_coded(f"esc-mod-{i}", text, day, "River Post",
                                [dict(event_type=etype, source="XNA", target="XSA", trigger=trig, modality=modality, confidence=0.5)]))
    return coded


def build_sample_store(path: str | Path, *, noise_articles: int = 150, seed: int = 7, clusters: bool = True,
                       fast: bool = False) -> dict[str, Any]:
    """Write the sample store at ``path`` (a new file) and close it.

    noise_articles (int): random background articles (about 1.1 events each).
    seed (int): seed of the background.
    clusters (bool): run the clustering over all events afterwards.
    fast (bool): insert with bulk DataFrame inserts instead of ``EventStore.write_batch`` (for the 100k-event
        benchmark; same rows, built by the store's own row builder).
    RETURNS (dict): path, counts, escalation_dyad, xss_event_id, cluster_event_ids, event_ids (a few).
    """
    from ..store.db import EventStore
    from ..testing import synthetic_coded

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists; build_sample_store writes a new store (remove the file first)")
    coded = synthetic_coded(noise_articles, seed=seed, start=START, days=DAYS) + _escalation_coded()
    store = EventStore(path)
    try:
        if fast:
            _bulk_write(store, coded, run_id="sample")
        else:
            for i in range(0, len(coded), 2000):
                store.write_batch(coded[i : i + 2000], run_id="sample")
        if clusters:
            from ..analytics.clusters import update_clusters

            update_clusters(store, None)
        counts = store.stats()
        xss = [e.event_id for c in coded if c.article.id == "esc-xss" for e in c.events][0]
        corroborated = [e.event_id for c in coded if c.article.id in ("esc-wire-a", "esc-wire-b", "esc-own") for e in c.events]
    finally:
        store.close()
    return {"path": str(path), "counts": counts, "escalation_dyad": ("XNA", "XSA"), "xss_event_id": xss,
            "cluster_event_ids": corroborated, "event_ids": [e.event_id for c in coded[:50] for e in c.events]}


def _bulk_write(store, coded: list, run_id: str) -> None:
    """Insert coded articles into a NEW store in three bulk inserts (rows as ``write_batch`` builds them)."""
    import pandas as pd
    import pyarrow as pa

    from ..store.db import EVENT_COLUMNS, _event_row, content_hash

    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    art_cols = ["article_id", "title", "outlet", "url", "published_at", "pub_date", "text", "origin", "content_hash", "run_id",
                "ingested_at", "meta"]
    arts, sents, evs = [], [], []
    for c in coded:
        a = c.article
        arts.append((a.id, a.title, a.outlet, a.url, a.published_at, a.date, a.text, a.origin, content_hash(a), run_id, now,
                     json.dumps(a.meta, default=str)))
        sents.extend((a.id, s.index, s.start, s.end, s.text) for s in c.sentences)
        evs.extend(_event_row(e, a, now) for e in c.events)
    frames = {
        "articles": pd.DataFrame(arts, columns=art_cols),
        "sentences": pd.DataFrame(sents, columns=["article_id", "idx", "start_char", "end_char", "text"]),
        "events": pd.DataFrame(evs, columns=list(EVENT_COLUMNS)),
    }
    with store._lock:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        for table, frame in frames.items():
            types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]).fetchall())
            con.register("_bulk", pa.Table.from_pandas(frame, preserve_index=False))  # arrow infers types from all rows
            cols = ", ".join(frame.columns)
            # all-None columns come in with no type: cast every column to the table's own type
            select = ", ".join(f"CAST({c} AS {types[c]})" for c in frame.columns)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM _bulk")
            con.unregister("_bulk")
        con.execute("COMMIT")


class FakeCoder:
    """A stand-in for the NLP coder: every text gets one ASSAULT event XNA -> XSA on its first word.

    Has the two methods the API uses: ``code_text`` (POST /api/code) and ``process`` (POST /api/ingest).
    """

    def __init__(self) -> None:
        self.calls = 0

    def _events(self, article):
        from ..testing import make_event

        word = article.text.split()[0] if article.text.split() else article.text
        return [make_event(article, event_type="ASSAULT", source="XNA", target="XSA", trigger=word, confidence=0.5)]

    def code_text(self, text: str, date=None, outlet: str | None = None, doc_id: str | None = None):
        from ..models import Article

        self.calls += 1
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        return self._events(Article(id=doc_id or "fake-doc", text=text, date=date, outlet=outlet))

    def process(self, articles, n_process: int = 1):
        from ..nlp.pipeline import CodedArticle, Sentence

        for a in articles:
            self.calls += 1
            yield CodedArticle(a, [Sentence(0, 0, len(a.text), a.text)], self._events(a))
