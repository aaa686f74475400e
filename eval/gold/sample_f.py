"""Draw, show and check gold set F (flashpoint_gold_f.jsonl).

Set F holds hand-annotated sentences from ``shared/corpora/ukraine-media-2022`` only (15 outlets, 2022 articles):
up to 100 sentences, 2 per article, stratified by outlet and month exactly like set E. There are no White House
sentences. Every article already used by ``shared/gold/ukraine_dev.jsonl`` or by gold sets A, B, C, D and E is
excluded.

The full draw (POOL_UKR sentences) is always made with one ``random.Random(20261129)``; the set is its first N_UKR
sentences. Lowering N_UKR therefore keeps the same first sentences, offsets, ids and splits (the dev/test cut is made
on the full draw's articles).

The gold file stores references only (corpus, article_id, start, end): the text stays in the corpus and is read
from there.

Usage (from the repository root; standard library only):
    python eval/gold/sample_f.py draw            # the drawn references, one JSON object a line (no text)
    python eval/gold/sample_f.py show [FROM TO]  # the drawn sentences with their text, for the annotator
    python eval/gold/sample_f.py check           # verify flashpoint_gold_f.jsonl against the draw and corpora
    python eval/gold/sample_f.py stats           # counts used in NOTES_f.md
Option ``--shared DIR`` points at another copy of the shared folder (default: the ``shared/`` beside the checkout).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# set B/C/E pieces, shared rather than copied (run as a script from eval/gold/, like sample_e.py)
from sample_b import run_cli  # noqa: E402
import sample_c  # noqa: E402
import sample_e  # noqa: E402
from sample_c import UKR, load_corpus  # noqa: E402

SEED = 20261129
HERE = Path(__file__).resolve().parent
GOLD_PATH = HERE / "flashpoint_gold_f.jsonl"
USED_GOLD_E = HERE / "flashpoint_gold_e.jsonl"  # ukraine_dev, A, B, C and D come through sample_e.excluded_ids

POOL_UKR = 100  # the full draw; never change it (it fixes the generator's path)
N_UKR = 100     # the set: the first N_UKR sentences of the full draw (lower it to cut the set)
DEV_SHARE = 0.5


def excluded_ids(shared: Path) -> set[str]:
    """Article ids already used by ukraine_dev and gold sets A, B, C, D and E."""
    ids = sample_e.excluded_ids(shared)
    if not USED_GOLD_E.exists():
        sys.exit(f"sample_f: {USED_GOLD_E} not found; the exclusion list needs it")
    with USED_GOLD_E.open(encoding="utf-8") as fh:
        return ids | {json.loads(line)["article_id"] for line in fh if line.strip()}


def draw(shared: Path, n_ukr: int = N_UKR) -> list[dict]:
    """The draw (ids, offsets, split): the first n_ukr sentences of the full seeded draw (set E's, with F's seed)."""
    return sample_e.draw(shared, n_ukr, seed=SEED, excluded_fn=excluded_ids, prefix="fpf", who="sample_f",
                         pool=POOL_UKR)


def check(shared: Path, gold_path: Path = GOLD_PATH) -> list[str]:
    """Return a list of problems (empty when the gold file is consistent): set C's checks on set F's draw."""
    return sample_c.check(shared, gold_path, draw_fn=draw, excluded_fn=excluded_ids, label="F",
                          hint=f" (N_UKR={N_UKR}; raise it, or annotate or drop the records)")


def stats(shared: Path, gold_path: Path = GOLD_PATH) -> None:
    sample_c.stats(shared, gold_path)


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, draw=draw, check=check, stats=stats, corpora=(UKR,), gold_path=GOLD_PATH, doc=__doc__,
                   show_outlet=True, load=load_corpus)


if __name__ == "__main__":
    raise SystemExit(main())
