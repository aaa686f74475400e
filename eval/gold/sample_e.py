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

import random
import sys
from pathlib import Path

# set B/C/D pieces, shared rather than copied (run as a script from eval/gold/, like sample_d.py)
from sample_b import run_cli  # noqa: E402
import sample_c  # noqa: E402
from sample_c import UKR, _draw_ukraine, load_corpus  # noqa: E402

SEED = 20261128
HERE = Path(__file__).resolve().parent
GOLD_PATH = HERE / "flashpoint_gold_e.jsonl"
USED_OWN = tuple(HERE / f"flashpoint_gold_{x}.jsonl" for x in "cd")  # A and B come through sample_c

POOL_UKR = 100  # the full draw; never change it (it fixes the generator's path)
N_UKR = 100     # the set: the first N_UKR sentences of the full draw (lower it to cut the set)
DEV_SHARE = 0.5


def excluded_ids(shared: Path) -> set[str]:
    """Article ids already used by ukraine_dev and gold sets A, B, C and D."""
    return sample_c.excluded_ids(shared, also=USED_OWN)


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


def main_for(draw_fn, excluded_fn, gold_path: Path, label: str, n_ukr: int, doc: str):
    """The command line (draw / show / check / stats) of a set drawn like set E (set F uses it too)."""
    def check(shared: Path, path: Path = gold_path) -> list[str]:
        return sample_c.check(shared, path, draw_fn=draw_fn, excluded_fn=excluded_fn, label=label,
                              hint=f" (N_UKR={n_ukr}; raise it, or annotate or drop the records)")

    def stats(shared: Path, path: Path = gold_path) -> None:
        sample_c.stats(shared, path)

    def main(argv: list[str] | None = None) -> int:
        return run_cli(argv, draw=draw_fn, check=check, stats=stats, corpora=(UKR,), gold_path=gold_path,
                       doc=doc, show_outlet=True, load=load_corpus)
    return main


def later_set(letter: str, seed: int, doc: str, n_ukr: int = POOL_UKR):
    """A later set drawn exactly like set E (sets F, G, ...): its own seed, id prefix and gold file, every earlier
    set excluded (ukraine_dev, A, B through set C; C to the letter before this one by their gold files).
    RETURNS (excluded_ids, draw, main) for the set's module."""
    letter = letter.lower()
    own = "cdefghijklmnopqrstuvwxyz"  # the sets after B, in order
    used = tuple(HERE / f"flashpoint_gold_{x}.jsonl" for x in own[: own.index(letter)])
    gold_path = HERE / f"flashpoint_gold_{letter}.jsonl"

    def excluded(shared: Path) -> set[str]:
        return sample_c.excluded_ids(shared, also=used)

    def draw_set(shared: Path, n: int = n_ukr) -> list[dict]:
        return draw(shared, n, seed=seed, excluded_fn=excluded, prefix=f"fp{letter}", who=f"sample_{letter}",
                    pool=POOL_UKR)

    return excluded, draw_set, main_for(draw_set, excluded, gold_path, letter.upper(), n_ukr, doc)


main = main_for(draw, excluded_ids, GOLD_PATH, "E", N_UKR, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
