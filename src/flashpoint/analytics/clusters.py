"""One event per happening: cross-article clustering, syndication detection and independent corroboration.

Reports are linked to one cluster when they describe the same happening:
- same or compatible PLOVER type (``COMPATIBLE``), same source and target codes (either orientation for
  reciprocal types), event dates (or publication dates when the text gives none) within ``window_days``;
- not contradicting each other: different known places, or one negated and one asserted, keep them apart;
- similar wording: Jaccard similarity of the content words of their sentences above a threshold that is
  lower when both actors are resolved (the actors already say a lot) and higher when they are not.

Independence. Reports count as one source when their articles are near-duplicates (syndicated wire copy:
MinHash over word 5-grams, estimated Jaccard >= ``DUPLICATE_THRESHOLD``), or when they cite the same outlet
("according to Sputnik"). The number of independent sources is the number of such groups.

Incremental: ``update_clusters(store, article_ids)`` only looks at the new articles' events and the clusters
near them in time; nothing is deleted, and ``rebuild_clusters`` re-forms everything from the reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import QueryError
from ..store.db import EventStore

N_HASHES = 64
SHINGLE = 5
DUPLICATE_THRESHOLD = 0.7
WINDOW_DAYS = 2
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
COMPATIBLE = {
    "ASSAULT": {"ASSAULT", "COERCE", "MOBILIZE"},
    "COERCE": {"COERCE", "ASSAULT"},
    "MOBILIZE": {"MOBILIZE", "ASSAULT"},
    "AGREE": {"AGREE", "CONSULT", "AID", "COOPERATE"},
    "CONSULT": {"CONSULT", "AGREE"},
    "AID": {"AID", "AGREE"},
    "COOPERATE": {"COOPERATE", "AGREE"},
    "THREATEN": {"THREATEN", "ACCUSE"},
    "ACCUSE": {"ACCUSE", "THREATEN"},
}
STOPWORDS = set(
    "the a an and or but of to in on at for with by from as is was were are be been has have had that this these those "
    "it its their his her they he she we said says say also would could will than which who whom whose into over "
    "after before about against between during under while more most other such not no".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_rng = np.random.default_rng(20211224)
_A = (_rng.integers(1, 2**62, size=N_HASHES, dtype=np.uint64) | np.uint64(1)).reshape(-1, 1)
_B = _rng.integers(0, 2**62, size=N_HASHES, dtype=np.uint64).reshape(-1, 1)


# ---------------------------------------------------------------------------------------------- text
def content_words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text or "") if len(w) > 2 and w.lower() not in STOPWORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def article_signature(text: str) -> np.ndarray:
    """MinHash signature (N_HASHES uint64) of the word 5-gram shingles of a text (stable across runs)."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    if len(words) < SHINGLE:
        words = words + ["\x00"] * (SHINGLE - len(words))
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    h = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    with np.errstate(over="ignore"):
        mixed = _A * h.reshape(1, -1) + _B
    return mixed.min(axis=1)


def signature_similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


# ---------------------------------------------------------------------------------------------- syndication
def update_duplicates(store: EventStore, article_ids: Iterable[str], window_days: int = 3) -> int:
    """Compute signatures of the given articles and record near-duplicates among articles published nearby."""
    ids = list(article_ids)
    if not ids:
        return 0
    rows = store.query("SELECT article_id, outlet, pub_date, text FROM articles WHERE article_id IN (SELECT unnest(?))", [ids])
    new_sigs = []
    for r in rows:
        sig = article_signature(r["text"])
        new_sigs.append((r["article_id"], r["outlet"], r["pub_date"], sig))
    with store._lock:
        store.con.executemany(
            "INSERT OR REPLACE INTO article_signatures VALUES (?, ?, ?, ?)",
            [(a, o, d, [int(x) for x in s]) for a, o, d, s in new_sigs],
        )
    found = 0
    dup_rows = []
    for aid, outlet, pub, sig in new_sigs:
        if pub is None:
            cands = store.query("SELECT article_id, pub_date, signature FROM article_signatures WHERE article_id <> ? AND pub_date IS NULL", [aid])
        else:
            cands = store.query(
                "SELECT article_id, pub_date, signature FROM article_signatures WHERE article_id <> ? AND pub_date BETWEEN ? AND ?",
                [aid, pub - dt.timedelta(days=window_days), pub + dt.timedelta(days=window_days)],
            )
        if not cands:
            continue
        mat = np.array([c["signature"] for c in cands], dtype=np.uint64)
        sims = (mat == sig.reshape(1, -1)).mean(axis=1)
        for c, s in zip(cands, sims):
            if s >= DUPLICATE_THRESHOLD:
                first, second = sorted([(pub or dt.date.min, aid), (c["pub_date"] or dt.date.min, c["article_id"])])
                dup_rows.append((second[1], first[1], float(s)))
                found += 1
    if dup_rows:
        with store._lock:
            store.con.executemany("INSERT OR REPLACE INTO article_duplicates VALUES (?, ?, ?)", dup_rows)
    return found


def syndication_groups(store: EventStore, article_ids: Iterable[str]) -> dict[str, str]:
    """article_id -> the earliest article of its near-duplicate group (itself when it has none)."""
    ids = list(set(article_ids))
    parent = {a: a for a in ids}
    if not ids:
        return parent
    rows = store.query(
        "SELECT article_id, duplicate_of FROM article_duplicates WHERE article_id IN (SELECT unnest(?)) OR duplicate_of IN (SELECT unnest(?))",
        [ids, ids],
    )

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        a, b = find(r["article_id"]), find(r["duplicate_of"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {a: find(a) for a in ids}


def independence(reports: list[dict[str, Any]], groups: dict[str, str]) -> list[dict[str, Any]]:
    """Group reports that are not independent of each other. RETURNS a list of groups with their reason."""
    by_key: dict[str, dict[str, Any]] = {}
    for r in reports:
        chain = r.get("outlet_chain") or []
        if chain:
            key = f"cited outlet {chain[0]}"
        else:
            root = groups.get(r["article_id"], r["article_id"])
            key = f"article {root}" if root != r["article_id"] or True else ""
        g = by_key.setdefault(key, {"key": key, "reports": [], "outlets": set()})
        g["reports"].append(r["event_id"])
        g["outlets"].add(r.get("outlet") or "?")
    # articles in one syndication group that also cite nobody: merge by syndication root (done by key above)
    out = []
    for g in by_key.values():
        reason = g["key"]
        if reason.startswith("article ") and len(g["reports"]) > 1:
            reason = f"syndicated copies of {reason[8:]}"
        out.append({"source": reason, "reports": g["reports"], "outlets": sorted(g["outlets"])})
    return out


# ---------------------------------------------------------------------------------------------- clustering
def _block_key(r: dict[str, Any]) -> tuple:
    s, t = r.get("source_code"), r.get("target_code")
    if r["event_type"] in RECIPROCAL_TYPES or r.get("reciprocal"):
        s, t = sorted([s or "", t or ""])
    return (s or None, t or None)


def _threshold(r: dict[str, Any]) -> float:
    known = (r.get("source_code") is not None) + (r.get("target_code") is not None)
    return {2: 0.12, 1: 0.25, 0: 0.6}[known]


def _same_happening(r: dict[str, Any], c: dict[str, Any], window_days: int) -> float:
    """Similarity in [0, 1] of a report to a cluster's canonical report, or 0 when they cannot be the same."""
    if c["event_type"] not in COMPATIBLE.get(r["event_type"], {r["event_type"]}):
        return 0.0
    neg = {"negated", "denied"}
    if (r["modality"] in neg) != (c["modality"] in neg):
        return 0.0
    d1, d2 = r.get("day"), c.get("day")
    if d1 is not None and d2 is not None and abs((d1 - d2).days) > window_days:
        return 0.0
    l1, l2 = r.get("location_country"), c.get("location_country")
    loc1, loc2 = _place(r), _place(c)
    if loc1 and loc2 and loc1 != loc2:
        return 0.0
    if l1 and l2 and l1 != l2:
        return 0.0
    sim = jaccard(r["words"], c["words"])
    if r.get("trigger_lemma") and r.get("trigger_lemma") == c.get("trigger_lemma"):
        sim += 0.1
    return sim if sim >= _threshold(r) else 0.0


def _place(r: dict[str, Any]) -> str | None:
    loc = r.get("location")
    if not loc:
        return None
    if isinstance(loc, str):
        loc = json.loads(loc)
    return (loc.get("name") or loc.get("text") or "").lower() or None


REPORT_SQL = """
SELECT e.event_id, e.article_id, e.event_type, e.source_code, e.target_code, e.modality, e.confidence,
       e.reciprocal, e.location, e.location_country, e.outlet_chain, e.outlet, e.published_at, e.trigger_text,
       e.cluster_id, coalesce(e.event_date, a.pub_date) AS day, a.pub_date, s.text AS sentence
FROM events e
JOIN articles a ON a.article_id = e.article_id
LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_idx
"""


def _prepare(r: dict[str, Any]) -> dict[str, Any]:
    r["words"] = content_words(r.get("sentence") or "")
    r["trigger_lemma"] = (r.get("trigger_text") or "").lower()[:5]
    return r


def update_clusters(store: EventStore, article_ids: Iterable[str] | None = None, window_days: int = WINDOW_DAYS) -> dict[str, int]:
    """Assign the events of the given articles (all unclustered events when None) to clusters."""
    ids = list(article_ids) if article_ids is not None else None
    if ids is not None:
        update_duplicates(store, ids)
        new = store.query(REPORT_SQL + " WHERE e.article_id IN (SELECT unnest(?)) ORDER BY day NULLS LAST, e.event_id", [ids])
    else:
        missing = [r["article_id"] for r in store.query("SELECT article_id FROM articles WHERE article_id NOT IN (SELECT article_id FROM article_signatures)")]
        update_duplicates(store, missing)
        new = store.query(REPORT_SQL + " WHERE e.cluster_id IS NULL ORDER BY day NULLS LAST, e.event_id")
    if not new:
        return {"events": 0, "new_clusters": 0, "joined": 0}
    new = [_prepare(r) for r in new]
    days = [r["day"] for r in new if r["day"] is not None]
    lo = min(days) - dt.timedelta(days=window_days) if days else None
    hi = max(days) + dt.timedelta(days=window_days) if days else None
    # candidate clusters: canonical reports of clusters in the time range (plus undated ones)
    cand_rows = store.query(
        REPORT_SQL + " JOIN clusters c ON c.canonical_event_id = e.event_id WHERE (? IS NULL OR coalesce(e.event_date, a.pub_date) BETWEEN ? AND ?) OR coalesce(e.event_date, a.pub_date) IS NULL",
        [lo, lo, hi],
    )
    blocks: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for c in cand_rows:
        _prepare(c)
        blocks[_block_key(c)].append(c)
    assignments: dict[str, str] = {}
    touched: set[str] = set()
    new_clusters = joined = 0
    for r in new:
        if r.get("cluster_id"):
            continue
        best, best_sim = None, 0.0
        for c in blocks[_block_key(r)]:
            sim = _same_happening(r, c, window_days)
            if sim > best_sim:
                best, best_sim = c, sim
        if best is not None:
            cid = best["cluster_id"]
            joined += 1
        else:
            cid = "cl-" + r["event_id"][3:]
            r["cluster_id"] = cid
            blocks[_block_key(r)].append(r)
            new_clusters += 1
        assignments[r["event_id"]] = cid
        touched.add(cid)
    with store._lock:
        store.con.execute("BEGIN TRANSACTION")
        try:
            store.con.executemany("UPDATE events SET cluster_id = ? WHERE event_id = ?", [(c, e) for e, c in assignments.items()])
            store.con.execute("COMMIT")
        except Exception:
            store.con.execute("ROLLBACK")
            raise
    refresh_clusters(store, touched)
    return {"events": len(assignments), "new_clusters": new_clusters, "joined": joined}


def refresh_clusters(store: EventStore, cluster_ids: Iterable[str]) -> None:
    """Recompute the canonical event, counts and independence of the given clusters from their reports."""
    ids = sorted(set(cluster_ids))
    if not ids:
        return
    reports = store.query(REPORT_SQL + " WHERE e.cluster_id IN (SELECT unnest(?)) ORDER BY e.cluster_id, e.event_id", [ids])
    by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in reports:
        by_cluster[r["cluster_id"]].append(r)
    groups = syndication_groups(store, [r["article_id"] for r in reports])
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = []
    for cid, reps in by_cluster.items():
        canonical = max(reps, key=lambda r: (r["confidence"] or 0.0, -len(r["event_id"]), r["event_id"]))
        etype = Counter(r["event_type"] for r in reps).most_common(1)[0][0]
        days = Counter(r["day"] for r in reps if r["day"] is not None)
        day = days.most_common(1)[0][0] if days else None
        first = min(reps, key=lambda r: (r["published_at"] or (r["pub_date"].isoformat() if r["pub_date"] else "9999"), r["event_id"]))
        indep = independence(reps, groups)
        rows.append((
            cid, canonical["event_id"], etype, canonical["source_code"], canonical["target_code"], day,
            first["published_at"] or (first["pub_date"].isoformat() if first["pub_date"] else None), first["outlet"],
            len(reps), len({r["outlet"] for r in reps}), len(indep), json.dumps(indep), now,
        ))
    with store._lock:
        store.con.execute("BEGIN TRANSACTION")
        try:
            store.con.execute("DELETE FROM clusters WHERE cluster_id IN (SELECT unnest(?))", [ids])
            store.con.executemany("INSERT INTO clusters VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            store.con.execute("COMMIT")
        except Exception:
            store.con.execute("ROLLBACK")
            raise


def rebuild_clusters(store: EventStore, window_days: int = WINDOW_DAYS) -> dict[str, int]:
    """Forget all cluster assignments and form them again from every report (nothing else is deleted)."""
    with store._lock:
        store.con.execute("UPDATE events SET cluster_id = NULL")
        store.con.execute("DELETE FROM clusters")
    return update_clusters(store, None, window_days)


# ---------------------------------------------------------------------------------------------- queries
def cluster_rows(store: EventStore, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
    where, params = store._where(**filters)
    sql = (
        "SELECT c.cluster_id, c.event_date, c.event_type, c.source_code, c.target_code, c.n_reports, c.n_outlets, "
        "c.n_independent, c.first_seen, c.first_outlet, c.canonical_event_id FROM clusters c "
        f"WHERE c.cluster_id IN (SELECT cluster_id FROM events{where}) ORDER BY c.n_independent DESC, c.n_reports DESC, c.event_date DESC NULLS LAST, c.cluster_id"
    )
    if limit:
        sql += " LIMIT ?"
        params = params + [limit]
    return store.query(sql, params)


def explain_cluster(store: EventStore, cluster_id: str) -> str:
    rows = store.query("SELECT * FROM clusters WHERE cluster_id = ?", [cluster_id])
    if not rows:
        raise QueryError(f'no cluster "{cluster_id}" in {store.path}; list them with `flashpoint events --clusters`')
    c = rows[0]
    reports = store.query(REPORT_SQL + " WHERE e.cluster_id = ? ORDER BY e.published_at NULLS LAST, e.event_id", [cluster_id])
    lines = [
        f"cluster  {cluster_id}: {c['event_type']} {c['source_code'] or '?'} -> {c['target_code'] or '?'} on {c['event_date'] or 'unknown date'}",
        f"reports  {c['n_reports']} from {c['n_outlets']} outlets; {c['n_independent']} independent source(s)",
        f"first    seen {c['first_seen'] or '?'} in {c['first_outlet'] or '?'}; canonical report {c['canonical_event_id']}",
        "independence:",
    ]
    for g in json.loads(c["independence"] or "[]"):
        lines.append(f"  - one source: {g['source']} ({len(g['reports'])} report(s): {', '.join(g['outlets'])})")
    lines.append("reports:")
    for r in reports:
        chain = " <- ".join(r["outlet_chain"] or [])
        lines.append(f"  {r['event_id']}  {r['outlet'] or '?'}  {r['day']}  {r['event_type']}  \"{(r['sentence'] or '')[:90]}\"" + (f"  via {chain}" if chain else ""))
    return "\n".join(lines)


def gdelt_rows(store: EventStore, **filters: Any) -> list[dict[str, Any]]:
    """One row per cluster in a GDELT-like layout (CAMEO root, QuadClass, Goldstein-like score, mentions)."""
    from .. import ontology

    rows = store.query(
        "SELECT c.*, e.mode, e.intensity FROM clusters c JOIN events e ON e.event_id = c.canonical_event_id ORDER BY c.event_date, c.cluster_id"
    )
    out = []
    for r in rows:
        cameo, quadclass, goldstein = ontology.cameo_for(r["event_type"], r["mode"])
        out.append({
            "GlobalEventID": r["cluster_id"], "SQLDATE": r["event_date"].strftime("%Y%m%d") if r["event_date"] else None,
            "Actor1Code": r["source_code"], "Actor2Code": r["target_code"], "EventCode": cameo,
            "EventRootCode": cameo[:2] if cameo else None, "QuadClass": quadclass, "GoldsteinScale": goldstein,
            "NumMentions": r["n_reports"], "NumSources": r["n_outlets"], "NumIndependentSources": r["n_independent"],
            "PLOVERType": r["event_type"], "PLOVERIntensity": r["intensity"], "FirstSeen": r["first_seen"],
            "FirstOutlet": r["first_outlet"],
        })
    return out
