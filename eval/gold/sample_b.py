"""Draw, show and check gold set B (flashpoint_gold_b.jsonl).

Set B holds hand-annotated sentences from two corpora under ``shared/corpora``:
  - whitehouse-2021-22 (White House statements, briefings, remarks; 2021-11..2022-03): 90 sentences
  - reuters21578 (Reuters newswire, 1987), articles that pass a political-actor keyword filter: 40 sentences

The gold file stores references only (corpus, article_id, start, end): the text stays in the corpus and is
read from there. Everything is seeded with ``random.Random(20261125)`` so the draw can be redone.

Usage (from the repository root; standard library only):
    python eval/gold/sample_b.py draw            # the drawn references, one JSON object a line (no text)
    python eval/gold/sample_b.py show [FROM TO]  # the drawn sentences with their text, for the annotator
    python eval/gold/sample_b.py check           # verify flashpoint_gold_b.jsonl against the draw and corpora
    python eval/gold/sample_b.py stats           # counts used in NOTES_b.md
Option ``--shared DIR`` points at another copy of the shared folder (default: the ``shared/`` beside the checkout).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
from pathlib import Path

SEED = 20261125
HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = Path(__file__).resolve().parents[3] / "shared"
GOLD_PATH = HERE / "flashpoint_gold_b.jsonl"

WH = "whitehouse-2021-22"
REUTERS = "reuters21578"
N_WH = 90
N_REUTERS = 40
N_TARGETED = 20  # fpb-0131..fpb-0150: the targeted supplement (see draw())
MIN_LEN, MAX_LEN = 40, 600
DEV_SHARE = 0.6

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES = ("asserted", "negated", "hypothetical", "future", "alleged", "denied")
WH_CATEGORIES = ("statements-releases", "press-briefings", "speeches-remarks")
WH_MONTHS = ("2021-11", "2021-12", "2022-01", "2022-02", "2022-03")

# A White House text "mentions" the crisis when this matches its title or text (the corpus README's regex plus Belarus).
MENTION_RE = re.compile(r"russia|ukrain|\bnato\b|belarus", re.I)

# Reuters keyword filter: an article is eligible when this matches its text at least 3 times. It names state
# bodies, armed forces and international organisations; "government" is not counted before bonds/securities/
# paper/debt/stock(s), and "president" is left out because it mostly names company officers in this corpus.
REUTERS_ACTOR_RE = re.compile(
    r"\b(?:government(?!\s+(?:bonds?|securities|paper|debt|stocks?))|ministry|ministers?|army|military|troops|"
    r"navy|state department|embassy|ambassador|united nations|nato|european community|ec commission|gatt|opec|"
    r"imf|international monetary fund|world bank|parliament|congress|senate|white house|kremlin|pentagon|"
    r"guerrillas|rebels)\b",
    re.I,
)
REUTERS_MIN_HITS = 3

# The targeted supplement keeps only sentences that themselves name the crisis or its actors.
TARGET_RE = re.compile(r"russia|ukrain|\bnato\b|belarus|putin|kremlin|moscow|kyiv|zelensk|lukashenk", re.I)

# ---------------------------------------------------------------------------------------------- splitting

# Words that end with a period without ending the sentence (compared without the final period).
ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "MR", "MRS", "MS", "DR", "SEC", "GEN", "SEN", "REP", "GOV", "AMB", "St", "Jr", "Sr", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Adm", "Cmdr",
    "Sen", "Sens", "Rep", "Reps", "Gov", "Govs", "Amb", "Sec", "Secs", "Prof", "Rev", "Hon", "Pres", "Supt",
    "Inc", "Corp", "Co", "Ltd", "Bros", "Cos", "vs", "v", "e.g", "i.e", "a.m", "p.m", "A.M", "P.M",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Dept", "Ft", "Mt", "approx", "Ave", "Blvd", "Pa", "Calif", "Ill", "Mass", "Conn", "Del", "Va", "Fla",
    "Md", "Mich", "Minn", "Tenn", "Wash", "Wis", "Ariz", "Colo", "Ga", "Ky", "La", "Mo", "Nev", "Okla", "Ore",
    "Tex", "Ala", "Ark", "Kan", "Neb", "Miss", "Wyo", "Vt", "Ind", "Iowa", "Ida", "Mont", "Del",
}
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+")
_NEXT_OK = re.compile(r"[\"“‘'(\[]*[A-Z0-9]")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")  # U.S / U.N / D.C / H.W


def _is_abbreviation(prefix: str) -> bool:
    """True when the text before a period ends with an abbreviation or an initial."""
    m = re.search(r"([^\s\"“‘'(\[]+)$", prefix)
    if not m:
        return False
    word = m.group(1)
    if word in ABBREVIATIONS or _DOTTED.match(word):
        return True
    return len(word) == 1 and word.isupper()  # an initial: "George H. Bush", "Joseph R. Biden"


def split_line(line: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of one line (no newline inside), as offsets into the article text."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        punct_end = m.start() + len(re.match(r"[.!?]+", line[m.start():]).group(0))
        if not _NEXT_OK.match(line, m.end()):
            continue
        if line[m.start()] == "." and punct_end - m.start() == 1 and _is_abbreviation(line[start:m.start()]):
            continue
        if re.search(r"\bNos?$", line[start:m.start()]) and line[m.end():m.end() + 1].isdigit():  # "No. 5"
            continue
        end = m.end() - len(m.group(0)) + len(m.group(0).rstrip())
        spans.append((start, end))
        start = m.end()
    if start < len(line.rstrip()):
        spans.append((start, len(line.rstrip())))
    out = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        if s < e:
            out.append((offset + s, offset + e))
    return out


def split_text(text: str) -> list[tuple[int, int]]:
    """All sentence spans of a text, never crossing a newline."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(split_line(line, pos))
        pos += len(line) + 1
    return spans


# Transcript speaker labels at the start of a line ("MS. PSAKI:", "THE PRESIDENT:", "Q ") are cut off the sentence.
_LABEL = re.compile(r"^(?:Q\s+|(?:[A-Z][A-Z.'’\- ]{1,60}?)(?:\s*\([^)]*\))?:\s+)")
_STAGE = re.compile(r"^\((?:Applause|Laughter|Inaudible|Crosstalk|As interpreted|Cross-talk)[^)]*\)\.?$", re.I)
_BOILER = re.compile(
    r"^###|\d{1,2}:\d{2}\s*[AP]\.?M\.?|^THE WHITE HOUSE|https?://|www\.|@|^For Immediate Release|"
    r"^Click here|^To view|^Watch|^Read the|END\s*$|^Reuter$",
    re.I,
)


def candidates(text: str) -> list[tuple[int, int]]:
    """Sentence spans eligible for the draw: 40-600 chars, a complete sentence, no header or boilerplate."""
    out = []
    seen = set()
    for s, e in split_text(text):
        sent = text[s:e]
        if s == 0 or text[s - 1] == "\n":  # line start: strip a transcript speaker label
            m = _LABEL.match(sent)
            if m:
                s += m.end()
                sent = text[s:e]
        if not (MIN_LEN <= len(sent) <= MAX_LEN):
            continue
        if _STAGE.match(sent) or _BOILER.search(sent):
            continue
        if not re.search(r"[.!?][\"”’')\]]*$", sent):  # fragments (wrapped lines, list items, headings)
            continue
        if not re.match(r"[\"“‘'(\[]*[A-Z0-9]", sent):
            continue
        letters = [c for c in sent if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:  # all-caps headers, signatures
            continue
        if sent in seen:
            continue
        seen.add(sent)
        out.append((s, e))
    return out


# ---------------------------------------------------------------------------------------------- drawing


def load_corpus(shared: Path, name: str) -> dict[str, dict]:
    path = shared / "corpora" / name / "articles.jsonl"
    if not path.exists():
        sys.exit(f"sample_b: corpus file {path} not found; pass --shared DIR pointing at the shared folder")
    with path.open(encoding="utf-8") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def _take(rng: random.Random, art: dict, k: int, corpus: str, extra: dict) -> list[dict]:
    cands = candidates(art["text"])
    picked = sorted(rng.sample(cands, min(k, len(cands))))
    return [
        {"corpus": corpus, "article_id": art["id"], "article_date": art["date"], "outlet": art["outlet"],
         "start": s, "end": e, **extra}
        for s, e in picked
    ]


def draw(shared: Path) -> list[dict]:
    """The full draw (ids, offsets, split), deterministic for a given corpus."""
    rng = random.Random(SEED)
    records: list[dict] = []

    # White House: 15 strata (category x month); in each, one text that mentions Russia/Ukraine/NATO/Belarus and
    # one that does not, 3 sentences per text (2 when it has fewer than 6 candidates); texts with < 2 candidates
    # are passed over. A second pass over the strata (mention texts) runs only if 90 is not yet reached.
    wh = load_corpus(shared, WH)
    pools: dict[tuple, list[dict]] = collections.defaultdict(list)
    for art in sorted(wh.values(), key=lambda a: a["id"]):
        mention = bool(MENTION_RE.search(art["title"] + "\n" + art["text"]))
        pools[(art["category"], art["date"][:7], mention)].append(art)
    for key in sorted(pools):
        rng.shuffle(pools[key])
    wh_recs: list[dict] = []
    for pass_no in range(4):
        for month in WH_MONTHS:
            for cat in WH_CATEGORIES:
                for mention in ((True, False) if pass_no == 0 else (True,)):
                    if len(wh_recs) >= N_WH:
                        break
                    pool = pools[(cat, month, mention)]
                    while pool:
                        art = pool.pop(0)
                        n = len(candidates(art["text"]))
                        if n < 2:
                            continue
                        k = min(3 if n >= 6 else 2, N_WH - len(wh_recs))
                        wh_recs += _take(rng, art, k, WH, {})
                        break
        if len(wh_recs) >= N_WH:
            break
    records += wh_recs

    # Reuters: articles with >= 3 keyword hits, in seeded order; 2 sentences when the article has >= 6 candidates,
    # else 1, until 40.
    rt = load_corpus(shared, REUTERS)
    eligible = [a for a in sorted(rt.values(), key=lambda a: a["id"])
                if len(REUTERS_ACTOR_RE.findall(a["text"])) >= REUTERS_MIN_HITS]
    rng.shuffle(eligible)
    rt_recs: list[dict] = []
    for art in eligible:
        if len(rt_recs) >= N_REUTERS:
            break
        n = len(candidates(art["text"]))
        if n < 1:
            continue
        k = min(2 if n >= 6 else 1, N_REUTERS - len(rt_recs))
        rt_recs += _take(rng, art, k, REUTERS, {})
    records += rt_recs

    # Split by article, per corpus: the first 60% of the seeded article order is dev, the rest test.
    split: dict[str, str] = {}
    for corpus in (WH, REUTERS):
        arts = sorted({r["article_id"] for r in records if r["corpus"] == corpus})
        rng.shuffle(arts)
        n_dev = round(DEV_SHARE * len(arts))
        for i, a in enumerate(arts):
            split[a] = "dev" if i < n_dev else "test"
    for r in records:
        r["split"] = split[r["article_id"]]

    # Targeted supplement (not a random sample of sentences): the random draw above gives few events (most White
    # House sentences are domestic policy or briefing chatter), so N_TARGETED further sentences come from texts
    # that mention the crisis, each sentence itself matching TARGET_RE, one per text, N_TARGETED / 5 per month,
    # texts not already drawn. Their own seeded generator keeps the records above unchanged. New articles get a
    # seeded 60/40 split of their own.
    trng = random.Random(f"{SEED}:targeted")
    used = {r["article_id"] for r in records}
    extra: list[dict] = []
    for month in WH_MONTHS:
        pool = [a for a in sorted(wh.values(), key=lambda a: a["id"])
                if a["date"][:7] == month and a["id"] not in used and MENTION_RE.search(a["title"] + "\n" + a["text"])]
        trng.shuffle(pool)
        got = 0
        for art in pool:
            if got >= N_TARGETED // len(WH_MONTHS):
                break
            cands = [(s, e) for s, e in candidates(art["text"]) if TARGET_RE.search(art["text"][s:e])]
            if not cands:
                continue
            s, e = trng.choice(cands)
            extra.append({"corpus": WH, "article_id": art["id"], "article_date": art["date"], "outlet": art["outlet"],
                          "start": s, "end": e})
            got += 1
    arts = sorted({r["article_id"] for r in extra})
    trng.shuffle(arts)
    n_dev = round(DEV_SHARE * len(arts))
    for r in extra:
        r["split"] = "dev" if arts.index(r["article_id"]) < n_dev else "test"
    records += extra

    for i, r in enumerate(records, 1):
        r["id"] = f"fpb-{i:04d}"
    return [{"id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in records]


# ---------------------------------------------------------------------------------------------- checking


def _actor_errors(rid: str, where: str, actor, sent: str, article: str) -> list[str]:
    if actor is None:
        return []
    if not isinstance(actor, dict) or not {"text", "code", "sector", "name"} <= set(actor):
        return [f"{rid}: {where} must be an object with text, code, sector, name (got {actor!r})"]
    errs = []
    t = actor["text"]
    if t is not None and t not in sent and t not in article:
        errs.append(f"{rid}: {where}.text {t!r} occurs neither in the sentence nor in the article; "
                    "use the exact span or the antecedent name")
    codes = actor.get("codes")
    if codes is not None and (not isinstance(codes, list) or not codes):
        errs.append(f"{rid}: {where}.codes must be a non-empty list when present")
    return errs


def event_errors(rid: str, w: str, ev: dict, sent: str, article: str, outlets_in_sentence: bool = False) -> list[str]:
    """The problems of one annotated event ``w`` of record ``rid`` (types, modalities, fields, actors, speaker,
    date text and dates, outlets)."""
    errs: list[str] = []
    if ev.get("event_type") not in EVENT_TYPES:
        errs.append(f"{rid}: {w}.event_type {ev.get('event_type')!r} is not a PLOVER category")
    for alt in ev.get("alt_event_types", []):
        if alt not in EVENT_TYPES:
            errs.append(f"{rid}: {w}.alt_event_types has {alt!r}")
    if ev.get("modality") not in MODALITIES:
        errs.append(f"{rid}: {w}.modality {ev.get('modality')!r} not in {MODALITIES}")
    for alt in ev.get("alt_modalities", []):
        if alt not in MODALITIES:
            errs.append(f"{rid}: {w}.alt_modalities has {alt!r}")
    for k in ("mode", "source", "target", "modality", "speaker", "outlets", "event_date", "date_text"):
        if k not in ev:
            errs.append(f"{rid}: {w} lacks {k!r}")
    errs += _actor_errors(rid, f"{w}.source", ev.get("source"), sent, article)
    errs += _actor_errors(rid, f"{w}.target", ev.get("target"), sent, article)
    if ev.get("source") is None:
        errs.append(f"{rid}: {w}.source is null; use an actor with text null and a code")
    sp = ev.get("speaker")
    if sp is not None and sp.get("text") is not None and sp["text"] not in sent:
        errs.append(f"{rid}: {w}.speaker.text {sp['text']!r} not in the sentence")
    dt_ = ev.get("date_text")
    if dt_ is not None and dt_ not in sent:
        errs.append(f"{rid}: {w}.date_text {dt_!r} not in the sentence")
    for d_ in [ev.get("event_date")] + ev.get("alt_event_dates", []):
        if d_ is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d_):
            errs.append(f"{rid}: {w} date {d_!r} is not YYYY-MM-DD")
    if not isinstance(ev.get("outlets"), list):
        errs.append(f"{rid}: {w}.outlets must be a list")
    elif outlets_in_sentence:
        errs += [f"{rid}: {w}.outlets entry {o!r} not in the sentence" for o in ev["outlets"] if o not in sent]
    return errs


def check(shared: Path, gold_path: Path = GOLD_PATH) -> list[str]:
    """Return a list of problems (empty when the gold file is consistent)."""
    corpora = {WH: load_corpus(shared, WH), REUTERS: load_corpus(shared, REUTERS)}
    drawn = {r["id"]: r for r in draw(shared)}
    errs: list[str] = []
    seen = set()
    with gold_path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            rec = json.loads(line)
            rid = rec.get("id", f"line {lineno}")
            if "text" in rec:
                errs.append(f"{rid}: has a 'text' field; gold B stores references only")
            if rid in seen:
                errs.append(f"{rid}: duplicate id")
            seen.add(rid)
            d = drawn.get(rid)
            if d is None:
                errs.append(f"{rid}: not in the draw")
                continue
            for k in ("corpus", "article_id", "article_date", "outlet", "start", "end", "split"):
                if rec.get(k) != d[k]:
                    errs.append(f"{rid}: {k} is {rec.get(k)!r}, the draw has {d[k]!r}")
            art = corpora[d["corpus"]].get(d["article_id"])
            if art is None:
                errs.append(f"{rid}: article {d['article_id']} not found in {d['corpus']}")
                continue
            sent = art["text"][rec["start"]:rec["end"]]
            if sent not in [art["text"][s:e] for s, e in candidates(art["text"])] or "\n" in sent:
                errs.append(f"{rid}: text[{rec['start']}:{rec['end']}] is not a sentence of the splitter")
            for j, ev in enumerate(rec.get("gold", [])):
                errs += event_errors(rid, f"gold[{j}]", ev, sent, art["text"])
    return errs


def stats(shared: Path = DEFAULT_SHARED, gold_path: Path = GOLD_PATH) -> None:
    recs = [json.loads(l) for l in gold_path.open(encoding="utf-8")]
    c = collections.Counter
    wh = load_corpus(shared, WH)
    n_random = N_WH + N_REUTERS
    for label, sub in (("random", recs[:n_random]), ("targeted", recs[n_random:])):
        w = [r for r in sub if r["corpus"] == WH]
        print(label, "WH per category", sorted(c(wh[r["article_id"]]["category"] for r in w).items()))
        print(label, "WH per month", sorted(c(r["article_date"][:7] for r in w).items()))
        print(label, "WH from mention texts", sum(1 for r in w if MENTION_RE.search(
            wh[r["article_id"]]["title"] + "\n" + wh[r["article_id"]]["text"])), "of", len(w))
        print(label, "Reuters per month", sorted(c(r["article_date"][:7] for r in sub if r["corpus"] == REUTERS).items()))
        req = [e for r in sub for e in r["gold"] if not e.get("optional")]
        print(label, "required", len(req), "negatives", sum(1 for r in sub if not any(not e.get("optional") for e in r["gold"])),
              "/", len(sub))
    print("sentences", len(recs), c(r["corpus"] for r in recs))
    print("articles", c(r["corpus"] for r in {r["article_id"]: r for r in recs}.values()))
    print("split sentences", c((r["corpus"], r["split"]) for r in recs))
    print("split articles", c((r["corpus"], r["split"]) for r in {r["article_id"]: r for r in recs}.values()))
    req = [e for r in recs for e in r["gold"] if not e.get("optional")]
    opt = [e for r in recs for e in r["gold"] if e.get("optional")]
    print("events required", len(req), "optional", len(opt))
    print("required per type", c(e["event_type"] for e in req).most_common())
    print("optional per type", c(e["event_type"] for e in opt).most_common())
    print("modality required", c(e["modality"] for e in req).most_common())
    neg = [r for r in recs if not any(not e.get("optional") for e in r["gold"])]
    print("negatives", len(neg), "of which no event", sum(1 for r in neg if not r["gold"]))
    for corpus in (WH, REUTERS):
        sub = [r for r in recs if r["corpus"] == corpus]
        nneg = sum(1 for r in sub if not any(not e.get("optional") for e in r["gold"]))
        print(corpus, "negatives", nneg, "/", len(sub))
    print("with speaker", sum(1 for e in req if e.get("speaker")), "outlets", sum(1 for e in req if e["outlets"]),
          "event_date", sum(1 for e in req if e["event_date"]), "alt types",
          sum(1 for e in req if e.get("alt_event_types")), "alt modalities",
          sum(1 for e in req if e.get("alt_modalities")), "reciprocal", sum(1 for e in req if e.get("reciprocal")))


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, draw=draw, check=check, stats=stats, corpora=(WH, REUTERS), gold_path=GOLD_PATH, doc=__doc__)


def run_cli(argv, *, draw, check, stats, corpora, gold_path: Path, doc: str | None, show_outlet: bool = False,
            load=None) -> int:
    """The command line shared by the samplers of the own gold sets: draw, show, check, stats. ``load`` reads a
    corpus (default: this module's ``load_corpus``)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("draw", "show", "check", "stats"))
    ap.add_argument("range", nargs="*", type=int, help="show: first and last record number")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--split", choices=("dev", "test"), help="show: only this split's sentences (read dev, stay "
                                                              "blind to test)")
    a = ap.parse_args(argv)
    if a.command == "stats":
        stats(a.shared)
        return 0
    if a.command == "check":
        errs = check(a.shared)
        for e in errs:
            print(e)
        print(f"check: {len(errs)} problem(s) in {gold_path.name}")
        return 1 if errs else 0
    recs = draw(a.shared)
    if a.command == "draw":
        for r in recs:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    lo, hi = (a.range + [1, len(recs)])[:2] if a.range else (1, len(recs))
    texts = {name: (load or load_corpus)(a.shared, name) for name in corpora}
    for r in recs[lo - 1:hi]:
        if a.split and r["split"] != a.split:
            continue
        art = texts[r["corpus"]][r["article_id"]]
        print(f"{r['id']} {r['split']} {r['article_id']} {r['article_date']} " + (f"{r['outlet']} " if show_outlet else "")
              + f"[{art.get('category', '')}] {art['title']}")
        print("   ", art["text"][r["start"]:r["end"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
