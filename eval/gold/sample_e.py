"""Draw, show and check gold set E (flashpoint_gold_e.jsonl).

Set E holds hand-annotated sentences from ``shared/corpora/ukraine-media-2022`` only (15 outlets, 2022 articles):
up to 100 sentences, 2 per article, stratified by outlet and month exactly like the ukraine part of sets C and D.
There are no White House sentences. Every article already used by ``shared/gold/ukraine_dev.jsonl`` or by gold
sets A, B, C and D is excluded.

The full draw (POOL_UKR sentences) is always made with one ``random.Random(20261128)``; the set is its first N_UKR
sentences. Lowering N_UKR therefore keeps the same first sentences, offsets, ids and splits (the dev/test cut is made
on the full draw's articles).

The gold file stores references only (corpus, article_id, start, end): the text stays in the corpus and is read
from there.

Usage (from the repository root; standard library only):
    python eval/gold/sample_e.py draw            # the drawn references, one JSON object a line (no text)
    python eval/gold/sample_e.py show [FROM TO]  # the drawn sentences with their text, for the annotator
    python eval/gold/sample_e.py check           # verify flashpoint_gold_e.jsonl against the draw and corpora
    python eval/gold/sample_e.py stats           # counts used in NOTES_e.md
Option ``--shared DIR`` points at another copy of the shared folder (default: the ``shared/`` beside the checkout).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

# set B/C/D pieces, shared rather than copied (run as a script from eval/gold/, like sample_d.py)
from sample_b import run_cli  # noqa: E402
import sample_c  # noqa: E402
import sample_d  # noqa: E402
from sample_c import UKR, _draw_ukraine, load_corpus  # noqa: E402

SEED = 20261128
HERE = Path(__file__).resolve().parent
GOLD_PATH = HERE / "flashpoint_gold_e.jsonl"
USED_GOLD_D = HERE / "flashpoint_gold_d.jsonl"  # ukraine_dev, A, B and C come through sample_d.excluded_ids

POOL_UKR = 100  # the full draw; never change it (it fixes the generator's path)
N_UKR = 100     # the set: the first N_UKR sentences of the full draw (lower it to cut the set)
DEV_SHARE = 0.5


def excluded_ids(shared: Path) -> set[str]:
    """Article ids already used by ukraine_dev and gold sets A, B, C and D."""
    ids = sample_d.excluded_ids(shared)
    if not USED_GOLD_D.exists():
        sys.exit(f"sample_e: {USED_GOLD_D} not found; the exclusion list needs it")
    with USED_GOLD_D.open(encoding="utf-8") as fh:
        return ids | {json.loads(line)["article_id"] for line in fh if line.strip()}


def draw(shared: Path, n_ukr: int = N_UKR, *, seed: int = SEED, excluded_fn=None, prefix: str = "fpe",
         who: str = "sample_e", pool: int = POOL_UKR) -> list[dict]:
    """The draw (ids, offsets, split): the first n_ukr sentences of the full seeded draw. Later sets drawn the same
    way (set F) pass their own seed, exclusion list, id prefix and name."""
    if not 0 <= n_ukr <= pool:
        sys.exit(f"{who}: N_UKR must be 0..{pool} (got {n_ukr})")
    rng = random.Random(seed)
    recs = _draw_ukraine(rng, load_corpus(shared, UKR), (excluded_fn or excluded_ids)(shared), set(), pool, who=who)

    # Split by article on the full draw: the seeded article order is cut in half (dev first).
    arts = sorted({r["article_id"] for r in recs})
    rng.shuffle(arts)
    n_dev = round(DEV_SHARE * len(arts))
    split = {a: "dev" if i < n_dev else "test" for i, a in enumerate(arts)}
    return [{"id": f"{prefix}-{i:04d}", **r, "split": split[r["article_id"]]} for i, r in enumerate(recs[:n_ukr], 1)]


def check(shared: Path, gold_path: Path = GOLD_PATH) -> list[str]:
    """Return a list of problems (empty when the gold file is consistent): set C's checks on set E's draw."""
    return sample_c.check(shared, gold_path, draw_fn=draw, excluded_fn=excluded_ids, label="E",
                          hint=f" (N_UKR={N_UKR}; raise it, or annotate or drop the records)")


def stats(shared: Path, gold_path: Path = GOLD_PATH) -> None:
    sample_c.stats(shared, gold_path)


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, draw=draw, check=check, stats=stats, corpora=(UKR,), gold_path=GOLD_PATH, doc=__doc__,
                   show_outlet=True, load=load_corpus)


if __name__ == "__main__":
    raise SystemExit(main())
