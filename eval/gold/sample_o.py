"""Draw, show and check gold set O (flashpoint_gold_o.jsonl).

Set O holds hand-annotated sentences from ``shared/corpora/ukraine-media-2022`` only (15 outlets, 2022 articles):
up to 100 sentences, 2 per article, stratified by outlet and month exactly like sets E-N. There are no
White House sentences. Every article already used by ``shared/gold/ukraine_dev.jsonl`` or by gold sets A, B, C, D, E,
F, G, H, I, J, K, L, M and N is excluded.

The full draw (POOL_UKR sentences) is always made with one ``random.Random(20261230)``; the set is its first N_UKR
sentences. Lowering N_UKR therefore keeps the same first sentences, offsets, ids and splits (the dev/test cut is made
on the full draw's articles).

The gold file stores references only (corpus, article_id, start, end): the text stays in the corpus and is read
from there.

Usage (from the repository root; standard library only):
    python eval/gold/sample_o.py draw            # the drawn references, one JSON object a line (no text)
    python eval/gold/sample_o.py show [FROM TO]  # the drawn sentences with their text, for the annotator
    python eval/gold/sample_o.py check           # verify flashpoint_gold_o.jsonl against the draw and corpora
    python eval/gold/sample_o.py stats           # counts used in NOTES_o.md
Option ``--shared DIR`` points at another copy of the shared folder (default: the ``shared/`` beside the checkout).
"""

from __future__ import annotations

# set E's sampler, shared rather than copied (run as a script from eval/gold/, like sample_e.py)
import sample_e  # noqa: E402

SEED = 20261230
N_UKR = 100  # the set: the first N_UKR sentences of the full draw of sample_e.POOL_UKR (lower it to cut the set)

#: article ids already used by ukraine_dev and gold sets A-N; the draw (ids, offsets, split); the command line
excluded_ids, draw, main = sample_e.later_set("o", SEED, __doc__, N_UKR)


if __name__ == "__main__":
    raise SystemExit(main())
