"""Draw, show and check gold set D (flashpoint_gold_d.jsonl).

Set D holds hand-annotated sentences from two corpora under ``shared/corpora``, drawn like set C:
  - ukraine-media-2022 (15 outlets, 2022 articles): up to 80 sentences, stratified by outlet and month
  - whitehouse-2021-22 (statements, briefings, remarks; 2021-11..2022-03): up to 20 sentences, stratified by
    category and month
Every article already used by ``shared/gold/ukraine_dev.jsonl`` or by gold sets A, B and C is excluded.

The full draw (POOL_UKR + POOL_WH sentences) is always made with one ``random.Random(20261127)``; the set is its
first N_UKR ukraine and first N_WH White House sentences. Lowering N_UKR/N_WH therefore keeps the same first
sentences, offsets and splits (the dev/test cut is made on the full draw's articles).

The gold file stores references only (corpus, article_id, start, end): the text stays in the corpus and is read
from there.

Usage (from the repository root; standard library only):
    python eval/gold/sample_d.py draw            # the drawn references, one JSON object a line (no text)
    python eval/gold/sample_d.py show [FROM TO]  # the drawn sentences with their text, for the annotator
    python eval/gold/sample_d.py check           # verify flashpoint_gold_d.jsonl against the draw and corpora
    python eval/gold/sample_d.py stats           # counts used in NOTES_d.md
Option ``--shared DIR`` points at another copy of the shared folder (default: the ``shared/`` beside the checkout).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

# set B/C pieces, shared rather than copied (run as a script from eval/gold/, like sample_c.py)
from sample_b import run_cli  # noqa: E402
import sample_c  # noqa: E402
from sample_c import UKR, WH, _draw_ukraine, _draw_whitehouse, load_corpus  # noqa: E402

SEED = 20261127
HERE = Path(__file__).resolve().parent
GOLD_PATH = HERE / "flashpoint_gold_d.jsonl"
USED_OWN = tuple(HERE / f"flashpoint_gold_{x}.jsonl" for x in "c")  # A and B come through sample_c

POOL_UKR = 80   # the full draw; never change these two (they fix the generator's path)
POOL_WH = 20
N_UKR = 80      # the set: the first N_UKR / N_WH sentences of the full draw (lower these to cut the set)
N_WH = 20
DEV_SHARE = 0.5


def excluded_ids(shared: Path) -> set[str]:
    """Article ids already used by ukraine_dev and gold sets A, B and C."""
    return sample_c.excluded_ids(shared, also=USED_OWN)


def draw(shared: Path, n_ukr: int = N_UKR, n_wh: int = N_WH) -> list[dict]:
    """The draw (ids, offsets, split): the first n_ukr / n_wh sentences of the full seeded draw."""
    if not (0 <= n_ukr <= POOL_UKR and 0 <= n_wh <= POOL_WH):
        sys.exit(f"sample_d: N_UKR must be 0..{POOL_UKR} and N_WH 0..{POOL_WH} (got {n_ukr}, {n_wh})")
    rng = random.Random(SEED)
    excluded = excluded_ids(shared)
    titles: set[str] = set()
    ukr_recs = _draw_ukraine(rng, load_corpus(shared, UKR), excluded, titles, POOL_UKR, who="sample_d")

    wh_recs = _draw_whitehouse(rng, load_corpus(shared, WH), excluded, titles, POOL_WH)

    # Split by article on the full draw, per corpus: the seeded article order is cut in half (dev first).
    split: dict[str, str] = {}
    for corpus, recs in ((UKR, ukr_recs), (WH, wh_recs)):
        arts = sorted({r["article_id"] for r in recs})
        rng.shuffle(arts)
        n_dev = round(DEV_SHARE * len(arts))
        for i, a in enumerate(arts):
            split[a] = "dev" if i < n_dev else "test"
    records = ukr_recs[:n_ukr] + wh_recs[:n_wh]
    return [{"id": f"fpd-{i:04d}", **r, "split": split[r["article_id"]]} for i, r in enumerate(records, 1)]


def check(shared: Path, gold_path: Path = GOLD_PATH) -> list[str]:
    """Return a list of problems (empty when the gold file is consistent): set C's checks on set D's draw."""
    return sample_c.check(shared, gold_path, draw_fn=draw, excluded_fn=excluded_ids, label="D",
                          hint=f" (N_UKR={N_UKR}, N_WH={N_WH}; raise them, or annotate or drop the records)")


def stats(shared: Path, gold_path: Path = GOLD_PATH) -> None:
    sample_c.stats(shared, gold_path)


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, draw=draw, check=check, stats=stats, corpora=(UKR, WH), gold_path=GOLD_PATH, doc=__doc__,
                   show_outlet=True, load=load_corpus)


if __name__ == "__main__":
    raise SystemExit(main())
