"""Event confidence: a small logistic model over features of the extraction.

The coefficients live in ``nlp/data/confidence.json`` and are fitted by ``training/calibrate.py`` on the
dev split of the gold sets only (never on the test split), so that among events with confidence near 0.8
about 80% have the right type. Without that file a hand-set prior is used (and said so in ``explain``).
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Any

FEATURES = (
    "weight", "noun", "consequence", "has_source", "source_resolved", "has_target", "target_resolved",
    "modality_asserted", "governed", "source_pronoun", "many_candidates", "background", "evaluation", "reliability",
)

PRIOR = {
    "bias": -1.6,
    "weight": 2.4,
    "noun": -0.5,
    "consequence": -0.3,
    "has_source": 0.6,
    "source_resolved": 0.5,
    "has_target": 0.3,
    "target_resolved": 0.3,
    "modality_asserted": 0.1,
    "governed": 0.0,
    "source_pronoun": -0.2,
    "many_candidates": -0.2,
    "background": -1.5,
    "evaluation": -0.8,
    "reliability": 0.0,
}


@functools.lru_cache(maxsize=1)
def coefficients() -> dict[str, Any]:
    try:
        text = resources.files("flashpoint.nlp").joinpath("data/confidence.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {"coef": PRIOR, "per_type": {}, "fitted": False}
    data = json.loads(text)
    data.setdefault("per_type", {})
    data["fitted"] = True
    return data


@functools.lru_cache(maxsize=1)
def trigger_stats() -> tuple[dict[str, tuple[int, int]], float]:
    """(lexicon row -> (right, fired) on the team's labelled sentences, the overall rate right); empty without
    the file (``training/trigger_stats.py`` writes it)."""
    try:
        text = resources.files("flashpoint.nlp").joinpath("data/trigger_stats.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}, 0.5
    rows = {k: (int(r), int(f)) for k, (r, f) in json.loads(text)["rows"].items()}
    fired = sum(f for _, f in rows.values())
    return rows, (sum(r for r, _ in rows.values()) / fired if fired else 0.5)


def reliability(trigger_key: str | None) -> float:
    """How much more often than the average row this lexicon row was right on the labelled sentences: the rate
    right, shrunk towards the overall rate by two pseudo-counts, minus the overall rate (0 for an unseen row)."""
    rows, base = trigger_stats()
    right, fired = rows.get(trigger_key or "", (0, 0))
    return (right + 2 * base) / (fired + 2) - base


def vectorise(features: dict[str, Any]) -> dict[str, float]:
    f = {k: float(bool(features.get(k))) for k in FEATURES if k not in ("weight", "reliability")}
    f["weight"] = float(features.get("weight", 0.5))
    f["many_candidates"] = float(features.get("n_candidates", 1) > 3)
    f["reliability"] = reliability(features.get("trigger_key"))
    return f


def confidence_for(event_type: str, features: dict[str, Any]) -> float:
    """Probability in [0, 1] that the event (type) is right, from the fitted logistic model."""
    model = coefficients()
    coef = model["coef"]
    x = vectorise(features)
    z = coef.get("bias", 0.0) + model["per_type"].get(event_type, 0.0)
    for k, v in x.items():
        z += coef.get(k, 0.0) * v
    return 1.0 / (1.0 + math.exp(-z))
