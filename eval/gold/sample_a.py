"""Seeded sampler and checker for the flashpoint gold set A (`flashpoint_gold_a.jsonl`).

The gold file stores references only (article id + character offsets); the text stays in the corpus
(`shared/corpora/ukraine-media-2022/articles.jsonl.gz`).

Usage (from the repository root):

    python eval/gold/sample_a.py draw  --out /tmp/draws_a.jsonl   # reproduce the draw (sentences to annotate)
    python eval/gold/sample_a.py check                            # verify flashpoint_gold_a.jsonl against the corpus
    python eval/gold/sample_a.py stats                            # counts used in NOTES_a.md

How the draw works (all randomness from one `random.Random(20261124)`):
- Articles dated 2022 only; every article id of `shared/gold/ukraine_dev.jsonl` is excluded.
- Jan-Feb 2022 (pre-invasion) stratum: 19 articles from the six outlets that have such articles
  (ABC 4, Fox 4, NYT 4, HuffPost 3, Express 3, Mirror 1); 10 of them give 3 sentences and 9 give 2 (48 sentences).
- Mar-Dec 2022: 4 articles per outlet for all 15 outlets (60 articles). Each outlet's months are picked
  greedily from its available months, the least-used month overall first (ties broken at random),
  so that months are spread as far as the corpus allows; 22 of the 60 give 3 sentences, 38 give 2 (142 sentences).
- Within a stratum (outlet, month) candidates are sorted by id, shuffled, and taken in order; an article is
  taken when it has enough candidate sentences and its title was not already taken.
- Sentences: a regex splitter that knows abbreviations and initials; candidates are 40-600 characters long and
  are not photo credits, bylines or newsletter/sign-up boilerplate. No filtering for events.
- Split by article: the 79 article ids are sorted, shuffled, and the first 60% are `dev`, the rest `test`.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import sys
from pathlib import Path

SEED = 20261124
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "ukraine-media-2022" / "articles.jsonl.gz"
DEV_GOLD = SHARED / "gold" / "ukraine_dev.jsonl"
GOLD = HERE / "flashpoint_gold_a.jsonl"

PLOVER = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
MODALITIES = {"asserted", "negated", "hypothetical", "future", "alleged", "denied"}
PRONOUNS = {
    "he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "i", "us", "our",
    "you", "this", "who", "which",
}

JANFEB_QUOTA = {"ABC News": 4, "Fox News": 4, "The New York Times": 4, "HuffPost": 3, "Daily Express": 3,
                "Daily Mirror": 1}
JANFEB_THREE = 10          # Jan-Feb articles that give 3 sentences (the others give 2)
MARDEC_PER_OUTLET = 4
MARDEC_THREE = 22          # Mar-Dec articles that give 3 sentences

# --------------------------------------------------------------------------------------------- splitter
ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm",
    "cmdr", "gov", "sen", "rep", "reps", "sens", "pres", "rev", "hon", "amb", "gens",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "v", "etc", "inc", "co", "corp", "ltd", "dept", "approx", "est", "fig", "ft", "mt",
    "u.s", "u.k", "u.n", "e.u", "d.c", "u.s.a", "a.m", "p.m", "r", "d", "i", "l",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_LASTWORD = re.compile(r"([A-Za-z][A-Za-z.]*)[.]$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return [start, end) offsets of the sentences of `text` (end excludes trailing spaces)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        head = text[start:m.start() + 1]
        punct = text[m.start()]
        if punct == ".":
            w = _LASTWORD.search(text[max(start, m.start() - 20):m.start() + 1])
            if w:
                word = w.group(1).rstrip(".").lower()
                if word in ABBREV or (len(word) == 1 and word.isalpha()):
                    continue            # abbreviation or initial ("J. Smith", "U.S. officials")
                if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                    continue            # dotted acronym like "u.s.a"
        if len(head.strip()) < 2:
            continue
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        end = len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


_BOILER = re.compile(
    r"(AP Photo|Getty Images|via AP\b|/AFP|AFP via|Reuters/|REUTERS/|Photo by|Photograph:|Image source|"
    r"Image caption|Credit:|Sign up|sign up|[Nn]ewsletter|Click here|click here|Read more|READ MORE|"
    r"Follow us|Copyright|All rights reserved|contributed to this report|reported from|Subscribe|subscribe|"
    r"Download the|cookies|Terms of Use|Privacy Policy|^By [A-Z][a-z]+ [A-Z][a-z]+\s*$)"
)


def candidates(text: str) -> list[tuple[int, int]]:
    out = []
    seen = set()
    for s, e in split_sentences(text):
        sent = text[s:e]
        if not 40 <= len(sent) <= 600:
            continue
        if _BOILER.search(sent):
            continue
        if sent in seen:
            continue
        seen.add(sent)
        out.append((s, e))
    return out


# --------------------------------------------------------------------------------------------- corpus
def load_corpus() -> dict[str, dict]:
    if not CORPUS.exists():
        sys.exit(f"corpus not found at {CORPUS}: the shared/ folder must sit beside the repository checkout")
    arts = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            arts[r["id"]] = r
    return arts


def dev_ids() -> set[str]:
    return {json.loads(l)["article_id"] for l in DEV_GOLD.open(encoding="utf-8") if l.strip()}


# --------------------------------------------------------------------------------------------- draw
def draw() -> list[dict]:
    rng = random.Random(SEED)
    arts = load_corpus()
    excluded = dev_ids()
    strata: dict[tuple[str, int], list[str]] = collections.defaultdict(list)
    for aid, r in arts.items():
        if aid in excluded or not r["date"].startswith("2022"):
            continue
        strata[(r["outlet"], int(r["date"][5:7]))].append(aid)
    for k in strata:
        strata[k].sort()
        rng.shuffle(strata[k])
    outlets = sorted({o for o, _ in strata})

    plan: list[tuple[str, int]] = []        # (outlet, month) per article slot
    # Jan-Feb: alternate Jan/Feb within an outlet, starting at random
    for outlet in sorted(JANFEB_QUOTA):
        months = [m for m in (1, 2) if strata.get((outlet, m))]
        rng.shuffle(months)
        for i in range(JANFEB_QUOTA[outlet]):
            plan.append((outlet, months[i % len(months)]))
    # Mar-Dec: least-used month first
    month_use = collections.Counter()
    order = outlets[:]
    rng.shuffle(order)
    for outlet in order:
        avail = [m for m in range(3, 13) if strata.get((outlet, m))]
        chosen: list[int] = []
        for _ in range(MARDEC_PER_OUTLET):
            pool = [m for m in avail if m not in chosen] or avail
            ranked = sorted(pool, key=lambda m: (month_use[m], rng.random()))
            m = ranked[0]
            chosen.append(m)
            month_use[m] += 1
            plan.append((outlet, m))

    janfeb_slots = [i for i, (_, m) in enumerate(plan) if m <= 2]
    mardec_slots = [i for i, (_, m) in enumerate(plan) if m > 2]
    three = set(rng.sample(janfeb_slots, JANFEB_THREE)) | set(rng.sample(mardec_slots, MARDEC_THREE))

    taken_titles: set[str] = set()
    cursor: dict[tuple[str, int], int] = collections.defaultdict(int)
    rows = []
    for i, (outlet, month) in enumerate(plan):
        k = 3 if i in three else 2
        pool = strata[(outlet, month)]
        while True:
            if cursor[(outlet, month)] >= len(pool):
                raise SystemExit(f"stratum {outlet} / month {month} ran out of usable articles")
            aid = pool[cursor[(outlet, month)]]
            cursor[(outlet, month)] += 1
            art = arts[aid]
            title = (art.get("title") or "").strip().lower()
            cands = candidates(art["text"])
            if len(cands) < k or (title and title in taken_titles):
                continue
            taken_titles.add(title)
            break
        picks = sorted(rng.sample(cands, k))
        for s, e in picks:
            rows.append({"article_id": aid, "article_date": art["date"][:10], "outlet": outlet,
                         "start": s, "end": e})

    ids = sorted({r["article_id"] for r in rows})
    rng.shuffle(ids)
    n_dev = round(len(ids) * 0.6)
    split = {a: ("dev" if j < n_dev else "test") for j, a in enumerate(ids)}
    for n, r in enumerate(rows, 1):
        r["id"] = f"fpa-{n:04d}"
        r["split"] = split[r["article_id"]]
    return rows


# --------------------------------------------------------------------------------------------- check
def _actor_ok(actor: dict | None, sent: str, article: str, where: str, errors: list[str],
              antecedents: list[str]) -> None:
    """An actor text must be a substring of the sentence; an antecedent name (pronoun or quote continuation,
    as the guidelines allow) must at least occur elsewhere in the article and is listed for review."""
    if actor is None:
        return
    for key in ("text", "code", "sector", "name"):
        if key not in actor:
            errors.append(f"{where}: actor lacks '{key}'")
    t = actor.get("text")
    if t and t not in sent:
        if t in article:
            antecedents.append(f"{where}: antecedent {t!r}")
        else:
            errors.append(f"{where}: actor text {t!r} is neither in the sentence nor in the article")


def check(path: Path = GOLD, antecedents: list[str] | None = None) -> list[str]:
    """Return the problems found in the gold file (empty when it is sound)."""
    antecedents = [] if antecedents is None else antecedents
    arts = load_corpus()
    excluded = dev_ids()
    errors: list[str] = []
    seen_ids = set()
    split_of: dict[str, str] = {}
    for n, line in enumerate(path.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        where = f"{path.name}:{n} ({r.get('id')})"
        if "text" in r:
            errors.append(f"{where}: has a 'text' field; the gold stores offsets only")
        if r["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(r["id"])
        art = arts.get(r["article_id"])
        if art is None:
            errors.append(f"{where}: article {r['article_id']} not in corpus")
            continue
        if r["article_id"] in excluded:
            errors.append(f"{where}: article is in ukraine_dev.jsonl")
        if art["date"][:10] != r["article_date"] or art["outlet"] != r["outlet"]:
            errors.append(f"{where}: article_date/outlet do not match the corpus")
        if split_of.setdefault(r["article_id"], r["split"]) != r["split"] or r["split"] not in ("dev", "test"):
            errors.append(f"{where}: bad split or an article in both splits")
        sent = art["text"][r["start"]:r["end"]]
        if (r["start"], r["end"]) not in split_sentences(art["text"]):
            errors.append(f"{where}: offsets {r['start']}:{r['end']} are not a sentence of the splitter")
        if not 40 <= len(sent) <= 600:
            errors.append(f"{where}: sentence length {len(sent)} outside 40-600")
        for j, ev in enumerate(r["gold"]):
            w = f"{where} event {j}"
            if ev["event_type"] not in PLOVER:
                errors.append(f"{w}: event_type {ev['event_type']!r} is not a PLOVER category")
            for t in ev.get("alt_event_types", []):
                if t not in PLOVER:
                    errors.append(f"{w}: alt type {t!r} is not a PLOVER category")
            if ev["modality"] not in MODALITIES:
                errors.append(f"{w}: modality {ev['modality']!r} invalid")
            for m in ev.get("alt_modalities", []):
                if m not in MODALITIES:
                    errors.append(f"{w}: alt modality {m!r} invalid")
            _actor_ok(ev["source"], sent, art["text"], w + " source", errors, antecedents)
            _actor_ok(ev["target"], sent, art["text"], w + " target", errors, antecedents)
            sp = ev.get("speaker")
            if sp and sp.get("text") and sp["text"] not in sent:
                errors.append(f"{w}: speaker text {sp['text']!r} not in sentence")
            for o in ev.get("outlets", []):
                if o not in sent:
                    errors.append(f"{w}: outlet {o!r} not in sentence")
            if ev.get("date_text") and ev["date_text"] not in sent:
                errors.append(f"{w}: date_text {ev['date_text']!r} not in sentence")
            d = ev.get("event_date")
            if d is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
                errors.append(f"{w}: event_date {d!r} not YYYY-MM-DD")
    return errors


def stats(path: Path = GOLD) -> None:
    recs = [json.loads(l) for l in path.open(encoding="utf-8") if l.strip()]
    arts = {r["article_id"] for r in recs}
    print("sentences", len(recs), "articles", len(arts))
    print("outlets", collections.Counter(r["outlet"] for r in recs).most_common())
    print("months", sorted(collections.Counter(r["article_date"][:7] for r in recs).items()))
    req = [e for r in recs for e in r["gold"] if not e.get("optional")]
    opt = [e for r in recs for e in r["gold"] if e.get("optional")]
    print("required", len(req), "optional", len(opt))
    print("required per type", collections.Counter(e["event_type"] for e in req).most_common())
    print("optional per type", collections.Counter(e["event_type"] for e in opt).most_common())
    print("modality (required)", collections.Counter(e["modality"] for e in req).most_common())
    neg = [r for r in recs if not any(not e.get("optional") for e in r["gold"])]
    none = [r for r in recs if not r["gold"]]
    print("negatives", len(neg), f"({len(neg) / len(recs):.0%})", "no event at all", len(none))
    print("with speaker", sum(1 for e in req if e.get("speaker")), "outlets", sum(1 for e in req if e.get("outlets")),
          "event_date", sum(1 for e in req if e.get("event_date")), "alt types",
          sum(1 for e in req if e.get("alt_event_types")), "alt modalities", sum(1 for e in req if e.get("alt_modalities")),
          "reciprocal", sum(1 for e in req if e.get("reciprocal")))
    for sp in ("dev", "test"):
        rs = [r for r in recs if r["split"] == sp]
        print(sp, "articles", len({r["article_id"] for r in rs}), "sentences", len(rs), "required events",
              sum(1 for r in rs for e in r["gold"] if not e.get("optional")))
    jf = [r for r in recs if r["article_date"] < "2022-03-01"]
    print("Jan-Feb sentences", len(jf), f"({len(jf) / len(recs):.0%})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--out", type=Path, default=None)
    sub.add_parser("check")
    sub.add_parser("stats")
    a = ap.parse_args(argv)
    if a.cmd == "draw":
        rows = draw()
        fh = a.out.open("w", encoding="utf-8") if a.out else sys.stdout
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    if a.cmd == "check":
        ante: list[str] = []
        errs = check(antecedents=ante)
        for a_ in ante:
            print(a_)
        for e in errs:
            print(e)
        print(f"{len(ante)} antecedent actor text(s) (not in the sentence, found in the article); {len(errs)} problem(s)")
        return 1 if errs else 0
    stats()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
