"""Draw, show and check gold set C (flashpoint_gold_c.jsonl).

Set C holds hand-annotated sentences from two corpora under ``shared/corpora``:
  - ukraine-media-2022 (15 outlets, 2022 articles): 100 sentences, stratified by outlet and month
  - whitehouse-2021-22 (statements, briefings, remarks; 2021-11..2022-03): 50 sentences, stratified by category
    and month
Every article already used by ``shared/gold/ukraine_dev.jsonl`` or by gold sets A and B is excluded.

The gold file stores references only (corpus, article_id, start, end): the text stays in the corpus and is read
from there. All randomness comes from one ``random.Random(20261126)`` so the draw can be redone.

Usage (from the repository root; standard library only):
    python eval/gold/sample_c.py draw            # the drawn references, one JSON object a line (no text)
    python eval/gold/sample_c.py show [FROM TO]  # the drawn sentences with their text, for the annotator
    python eval/gold/sample_c.py check           # verify flashpoint_gold_c.jsonl against the draw and corpora
    python eval/gold/sample_c.py stats           # counts used in NOTES_c.md
Option ``--shared DIR`` points at another copy of the shared folder (default: the ``shared/`` beside the checkout).
"""

from __future__ import annotations

import collections
import gzip
import json
import random
import re
import sys
from pathlib import Path

# pieces identical to set B's sampler (the same splitter rules and schema constants), shared rather than copied
from sample_b import (  # noqa: E402  (run as a script from eval/gold/, like sample_b.py)
    _LABEL, _NEXT_OK, _STAGE, WH_CATEGORIES, WH_MONTHS, event_errors,
    _is_abbreviation, run_cli, split_text,
)

SEED = 20261126
HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = Path(__file__).resolve().parents[3] / "shared"
GOLD_PATH = HERE / "flashpoint_gold_c.jsonl"
USED_GOLD = (HERE / "flashpoint_gold_a.jsonl", HERE / "flashpoint_gold_b.jsonl")  # plus shared/gold/ukraine_dev.jsonl

UKR = "ukraine-media-2022"
WH = "whitehouse-2021-22"
N_UKR = 100
N_WH = 50
PER_ARTICLE = 2          # sentences per article (the brief allows at most 3)
MIN_LEN, MAX_LEN = 40, 600
DEV_SHARE = 0.5


# A candidate sentence must name a political actor: a state, a state body, armed forces, an IGO or a leader.
# The filter says nothing about events: sentences without any event stay in the pool.
ACTOR_WORDS_RE = re.compile(
    r"\b(?:government|ministr(?:y|ies)|minister|president|prime minister|officials?|military|army|troops|forces|"
    r"soldiers|navy|police|parliament|congress|senate|senators?|lawmakers|legislators|kremlin|pentagon|"
    r"white house|state department|embassy|ambassador|diplomats?|united nations|european union|"
    r"security council|separatists?|rebels|authorities|administration|governor|mayor|"
    r"russia\w*|ukrain\w*|americans?|united states|britain|british|china|chinese|german\w*|france|french|"
    r"pol(?:and|ish)|belarus\w*|iran\w*|turk\w*|japan\w*|india\w*|israel\w*|moldova\w*|finland|finnish|"
    r"swed\w*|lithuania\w*|latvia\w*|eston\w*|hungar\w*|syria\w*|taiwan\w*|korea\w*|cuba\w*|venezuela\w*|"
    r"afghan\w*|mexic\w*|canad\w*|australia\w*|ital\w*|spain|spanish|kazakh\w*|serbia\w*|georgia|chechen\w*|"
    r"crimea\w*|donetsk|luhansk|donbas+|moscow|kyiv|kiev|washington|beijing|brussels|tehran|minsk|"
    r"putin|zelensk\w*|biden|lavrov|blinken|scholz|macron|erdogan|lukashenko|shoigu|peskov|kuleba|stoltenberg|"
    r"guterres|harris|psaki|sullivan|truss|sunak|johnson|xi jinping|medvedev|kadyrov|zakharova)\b",
    re.I,
)
ACTOR_ACRONYM_RE = re.compile(r"(?<![A-Za-z])(?:U\.?S\.?|U\.?K\.?|U\.?N\.?|EU|NATO|G-?7|G-?20|IAEA|OSCE|IMF|WHO|UAE|GOP)(?![A-Za-z])")


def has_actor(sent: str) -> bool:
    return bool(ACTOR_WORDS_RE.search(sent) or ACTOR_ACRONYM_RE.search(sent))


# ---------------------------------------------------------------------------------------------- splitting

# Words that end with a period without ending the sentence (compared without the final period).
ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "MR", "MRS", "MS", "DR", "SEC", "GEN", "SEN", "REP", "GOV", "AMB", "St", "Jr", "Sr",
    "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Adm", "Cmdr", "Sen", "Sens", "Rep", "Reps", "Gov", "Govs", "Amb",
    "Sec", "Secs", "Prof", "Rev", "Hon", "Pres", "Supt", "Inc", "Corp", "Co", "Ltd", "Bros", "Cos", "vs", "v",
    "e.g", "i.e", "a.m", "p.m", "A.M", "P.M", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
    "Oct", "Nov", "Dec", "Dept", "Ft", "Mt", "approx", "Ave", "Blvd", "Pa", "Calif", "Ill", "Mass", "Conn",
    "Del", "Va", "Fla", "Md", "Mich", "Minn", "Tenn", "Wash", "Wis", "Ariz", "Colo", "Ga", "Ky", "La", "Mo",
    "Nev", "Okla", "Ore", "Tex", "Ala", "Ark", "Kan", "Neb", "Miss", "Wyo", "Vt", "Ind", "Ida", "Mont", "No",
    "Nos", "St", "etc",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+")


def split_line(line: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of one line (no newline inside), as offsets into the article text."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        if not _NEXT_OK.match(line, m.end()):
            continue
        punct = re.match(r"[.!?…]+", line[m.start():]).group(0)
        if punct == "." and _is_abbreviation(line[start:m.start()]):
            continue
        end = m.start() + len(m.group(0).rstrip())
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


# Transcript speaker labels at the start of a line ("MS. PSAKI:", "THE PRESIDENT:", "Q ") are cut off the sentence.
_BOILER = re.compile(
    r"^###|\d{1,2}:\d{2}\s*[AP]\.?M\.?|^THE WHITE HOUSE|https?://|www\.|@|^For Immediate Release|^Click here|"
    r"^To view|^Watch|^Read the|END\s*$|AP Photo|Getty Images|via AP\b|/AFP|AFP via|Reuters/|REUTERS/|Photo by|"
    r"Photograph:|Image source|Image caption|Credit:|[Ss]ign up|[Nn]ewsletter|[Cc]lick here|Read more|READ MORE|"
    r"Follow us|Copyright|All rights reserved|contributed to this report|[Ss]ubscribe|Download the|cookies|"
    r"Terms of Use|Privacy Policy|not responsible for the content|DON'T MISS",
)


def candidates(text: str) -> list[tuple[int, int]]:
    """Sentence spans eligible for the draw: 40-600 chars, a complete sentence that names a political actor."""
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
        if not re.search(r"[.!?…][\"”’')\]]*$", sent):  # fragments: headings, list items, cut lines
            continue
        if not re.match(r"[\"“‘'(\[]*[A-Z0-9]", sent):
            continue
        letters = [c for c in sent if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:  # all-caps headers, signatures
            continue
        if not has_actor(sent):
            continue
        if sent in seen:
            continue
        seen.add(sent)
        out.append((s, e))
    return out


# ---------------------------------------------------------------------------------------------- drawing


def load_corpus(shared: Path, name: str) -> dict[str, dict]:
    path = shared / "corpora" / name / "articles.jsonl"
    gz = path.with_suffix(".jsonl.gz")
    if path.exists():
        fh = path.open(encoding="utf-8")
    elif gz.exists():
        fh = gzip.open(gz, "rt", encoding="utf-8")
    else:
        sys.exit(f"sample_c: corpus {name} not found under {shared / 'corpora'}; "
                 "pass --shared DIR pointing at the shared folder")
    with fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def excluded_ids(shared: Path, also: tuple[Path, ...] = ()) -> set[str]:
    """Article ids already used by ukraine_dev and gold sets A and B, and by the gold files ``also`` (later sets
    exclude the sets before them)."""
    paths = [shared / "gold" / "ukraine_dev.jsonl", *USED_GOLD, *also]
    ids: set[str] = set()
    for p in paths:
        if not p.exists():
            sys.exit(f"sample_c: {p} not found; the exclusion list needs it (pass --shared DIR)")
        with p.open(encoding="utf-8") as fh:
            ids |= {json.loads(line)["article_id"] for line in fh if line.strip()}
    return ids


def _records(rng: random.Random, art: dict, cands: list[tuple[int, int]], corpus: str) -> list[dict]:
    picked = sorted(rng.sample(cands, min(PER_ARTICLE, len(cands))))
    return [{"corpus": corpus, "article_id": art["id"], "article_date": art["date"], "outlet": art["outlet"],
             "start": s, "end": e} for s, e in picked]


def _round_robin(rng: random.Random, strata: dict, order: list, n: int, corpus: str, titles: set) -> list[dict]:
    """Take one article per stratum in turn (strata in `order`) until n sentences; skip articles with too few
    candidates or a title already taken."""
    out: list[dict] = []
    while len(out) < n and any(strata[k] for k in order):
        for key in order:
            if len(out) >= n:
                break
            pool = strata[key]
            while pool:
                art = pool.pop(0)
                title = (art.get("title") or "").strip().lower()
                cands = candidates(art["text"])
                if len(cands) < PER_ARTICLE or (title and title in titles):
                    continue
                titles.add(title)
                out += _records(rng, art, cands, corpus)[: n - len(out)]
                break
    return out


def _draw_ukraine(rng: random.Random, ukr: dict, excluded: set, titles: set, n: int, who: str = "sample_c") -> list[dict]:
    """ukraine-media-2022: articles dated 2022. Strata are (outlet, month). The outlets are visited in a seeded
    order, round after round; in each visit the outlet takes its least-used month (fewest articles so far over
    all outlets, ties at random, months it has not used yet first) and the next article of that stratum."""
    strata: dict[tuple, list[dict]] = collections.defaultdict(list)
    for art in sorted(ukr.values(), key=lambda a: a["id"]):
        if art["id"] in excluded or not art["date"].startswith("2022"):
            continue
        strata[(art["outlet"], art["date"][:7])].append(art)
    for key in sorted(strata):
        rng.shuffle(strata[key])
    outlets = sorted({o for o, _ in strata})
    rng.shuffle(outlets)
    month_use: collections.Counter = collections.Counter()
    outlet_months: dict[str, list[str]] = collections.defaultdict(list)
    out: list[dict] = []
    while len(out) < n:
        progress = False
        for outlet in outlets:
            if len(out) >= n:
                break
            avail = sorted(m for o, m in strata if o == outlet and strata[(o, m)])
            if not avail:
                continue
            fresh = [m for m in avail if m not in outlet_months[outlet]] or avail
            month = min(fresh, key=lambda m: (month_use[m], rng.random()))
            got = _round_robin(rng, strata, [(outlet, month)], min(PER_ARTICLE, n - len(out)), UKR, titles)
            outlet_months[outlet].append(month)
            if got:
                month_use[month] += 1
                out += got
                progress = True
        if not progress:
            sys.exit(f"{who}: ukraine-media-2022 ran out of usable articles")
    return out


def _draw_whitehouse(rng: random.Random, wh: dict, excluded: set, titles: set, n: int) -> list[dict]:
    """whitehouse-2021-22: 15 strata (category x month), visited in a seeded order, one text per visit."""
    wstrata: dict[tuple, list[dict]] = collections.defaultdict(list)
    for art in sorted(wh.values(), key=lambda a: a["id"]):
        if art["id"] not in excluded:
            wstrata[(art["category"], art["date"][:7])].append(art)
    for key in sorted(wstrata):
        rng.shuffle(wstrata[key])
    order = [(c, m) for c in WH_CATEGORIES for m in WH_MONTHS]
    rng.shuffle(order)
    return _round_robin(rng, wstrata, order, n, WH, titles)


def draw(shared: Path) -> list[dict]:
    """The full draw (ids, offsets, split), deterministic for a given corpus and exclusion list."""
    rng = random.Random(SEED)
    excluded = excluded_ids(shared)
    titles: set[str] = set()

    # ukraine-media-2022: articles dated 2022, by (outlet, month); whitehouse-2021-22: by (category, month)
    ukr_recs = _draw_ukraine(rng, load_corpus(shared, UKR), excluded, titles, N_UKR)
    wh_recs = _draw_whitehouse(rng, load_corpus(shared, WH), excluded, titles, N_WH)

    records = ukr_recs + wh_recs

    # Split by article, per corpus: the seeded article order is cut in half (dev first).
    split: dict[str, str] = {}
    for corpus in (UKR, WH):
        arts = sorted({r["article_id"] for r in records if r["corpus"] == corpus})
        rng.shuffle(arts)
        n_dev = round(DEV_SHARE * len(arts))
        for i, a in enumerate(arts):
            split[a] = "dev" if i < n_dev else "test"
    out = []
    for i, r in enumerate(records, 1):
        out.append({"id": f"fpc-{i:04d}", **r, "split": split[r["article_id"]]})
    return out


# ---------------------------------------------------------------------------------------------- checking


def check(shared: Path, gold_path: Path = GOLD_PATH, *, draw_fn=None, excluded_fn=None, label: str = "C",
          hint: str = "") -> list[str]:
    """Return a list of problems (empty when the gold file is consistent). Later sets drawn the same way (set D)
    pass their own ``draw_fn``/``excluded_fn``, set letter and a hint for records missing from the draw."""
    corpora = {UKR: load_corpus(shared, UKR), WH: load_corpus(shared, WH)}
    excluded = (excluded_fn or excluded_ids)(shared)
    drawn = {r["id"]: r for r in (draw_fn or draw)(shared)}
    errs: list[str] = []
    seen = set()
    art_split: dict[str, str] = {}
    if not gold_path.exists():
        return [f"{gold_path} not found"]
    with gold_path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            rid = rec.get("id", f"line {lineno}")
            if "text" in rec:
                errs.append(f"{rid}: has a 'text' field; gold {label} stores references only")
            if rid in seen:
                errs.append(f"{rid}: duplicate id")
            seen.add(rid)
            d = drawn.get(rid)
            if d is None:
                errs.append(f"{rid}: not in the draw{hint}")
                continue
            for k in ("corpus", "article_id", "article_date", "outlet", "start", "end", "split"):
                if rec.get(k) != d[k]:
                    errs.append(f"{rid}: {k} is {rec.get(k)!r}, the draw has {d[k]!r}")
            if rec["article_id"] in excluded:
                errs.append(f"{rid}: article {rec['article_id']} is already used by another gold set")
            if art_split.setdefault(rec["article_id"], rec["split"]) != rec["split"]:
                errs.append(f"{rid}: article {rec['article_id']} is in both splits")
            art = corpora[d["corpus"]].get(d["article_id"])
            if art is None:
                errs.append(f"{rid}: article {d['article_id']} not found in {d['corpus']}")
                continue
            sent = art["text"][rec["start"]:rec["end"]]
            if (rec["start"], rec["end"]) not in candidates(art["text"]) or "\n" in sent:
                errs.append(f"{rid}: text[{rec['start']}:{rec['end']}] is not a candidate sentence of the splitter")
            if not isinstance(rec.get("gold"), list):
                errs.append(f"{rid}: gold must be a list")
                continue
            for j, ev in enumerate(rec["gold"]):
                errs += event_errors(rid, f"gold[{j}]", ev, sent, art["text"], outlets_in_sentence=True)
    missing = sorted(set(drawn) - seen)
    if missing:
        errs.append(f"{len(missing)} drawn record(s) not annotated: {missing[0]} .. {missing[-1]}{hint}")
    return errs


def stats(shared: Path, gold_path: Path = GOLD_PATH) -> None:
    recs = [json.loads(line) for line in gold_path.open(encoding="utf-8") if line.strip()]
    c = collections.Counter

    def req(rs):
        return [e for r in rs for e in r["gold"] if not e.get("optional")]

    def neg(rs):
        return [r for r in rs if not any(not e.get("optional") for e in r["gold"])]

    print("sentences", len(recs), dict(c(r["corpus"] for r in recs)))
    arts = {r["article_id"]: r for r in recs}
    print("articles", len(arts), dict(c(r["corpus"] for r in arts.values())))
    print("per outlet", c(r["outlet"] for r in recs).most_common())
    print("per month", sorted(c((r["corpus"][:3], r["article_date"][:7]) for r in recs).items()))
    print("split sentences", sorted(c((r["corpus"], r["split"]) for r in recs).items()))
    print("split articles", sorted(c((r["corpus"], r["split"]) for r in arts.values()).items()))
    opt = [e for r in recs for e in r["gold"] if e.get("optional")]
    print("events required", len(req(recs)), "optional", len(opt))
    print("required per type", c(e["event_type"] for e in req(recs)).most_common())
    print("optional per type", c(e["event_type"] for e in opt).most_common())
    print("modality required", c(e["modality"] for e in req(recs)).most_common())
    print("modality optional", c(e["modality"] for e in opt).most_common())
    n = neg(recs)
    print("negatives", len(n), f"({len(n) / len(recs):.0%})", "of which no event at all", sum(1 for r in n if not r["gold"]))
    for corpus in (UKR, WH):
        sub = [r for r in recs if r["corpus"] == corpus]
        print(" ", corpus, "negatives", len(neg(sub)), "/", len(sub), "required", len(req(sub)))
    for split in ("dev", "test"):
        sub = [r for r in recs if r["split"] == split]
        print(" ", split, "sentences", len(sub), "articles", len({r["article_id"] for r in sub}),
              "required", len(req(sub)), "negatives", len(neg(sub)))
    rq = req(recs)
    print("required with speaker", sum(1 for e in rq if e.get("speaker")), "outlets", sum(1 for e in rq if e["outlets"]),
          "event_date", sum(1 for e in rq if e["event_date"]), "alt types", sum(1 for e in rq if e.get("alt_event_types")),
          "alt modalities", sum(1 for e in rq if e.get("alt_modalities")),
          "reciprocal", sum(1 for e in rq if e.get("reciprocal")),
          "null source code", sum(1 for e in rq if e["source"].get("code") is None))


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, draw=draw, check=check, stats=stats, corpora=(UKR, WH), gold_path=GOLD_PATH, doc=__doc__,
                   show_outlet=True, load=load_corpus)


if __name__ == "__main__":
    raise SystemExit(main())
