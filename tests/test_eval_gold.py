"""The project's own gold sets (eval/gold): every reference still points at the sentence it was annotated on.

Each set stores references into ``../shared/corpora`` (corpus, article id, character offsets), never the text.
Its ``sample_*.py check`` redraws the sample, re-reads the corpus and validates every record (offsets, actor
texts in the sentence or article, types, modalities, dates, no copied text).
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize("name", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"])
def test_eval_gold_set_references_check_out(name):
    if not (SHARED / "corpora").is_dir():
        pytest.skip(f"{SHARED}/corpora is absent (a fresh clone without the shared data): the references cannot be read")
    proc = subprocess.run([sys.executable, str(ROOT / "eval" / "gold" / f"sample_{name}.py"), "check"],  # shared/ beside the checkout
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-2000:]
    assert " 0 problem(s)" in out, out[-2000:]
