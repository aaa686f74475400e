"""Builders for tests and demos: hand-made articles, events and small stores (no model needed)."""

from __future__ import annotations

import datetime as dt
import random

from . import ontology
from .models import ActorMention, Article, Attribution, Event
from .nlp.pipeline import CodedArticle, Sentence

# Short articles in the project's own words, with actors and actions the coder knows (engine and worker tests).
STORIES = [
    "Russian forces shelled the city of Kharkiv on Monday, Ukrainian officials said. Two schools were damaged.",
    "The United States imposed new sanctions on Belarus on Tuesday. Washington accused Minsk of helping Moscow.",
    "Poland and Lithuania agreed to strengthen border controls. Their defence ministers met in Vilnius.",
    "Ukraine asked Germany for more air defence systems. Berlin said it would send two more units in spring.",
    "China called for talks between Russia and Ukraine and urged both sides to show restraint.",
    "NATO warned Russia against any attack on its members. The alliance moved more troops to Romania.",
    "Turkey hosted a meeting of the Russian and Ukrainian foreign ministers in Antalya. No deal was reached.",
    "France sent humanitarian aid to Ukraine, the French foreign ministry said on Friday.",
    "Belarus denied that its troops had crossed into Ukraine, a spokesman for the defence ministry said.",
    "The European Union condemned the missile strike on the railway station and promised to help rebuild it.",
]


def make_event(article: Article, *, event_type: str = "ASSAULT", source: str | None = "RUS", target: str | None = "UKR",
               day: dt.date | None = None, modality: str = "asserted", confidence: float = 0.8, trigger: str = "attacked",
               sentence: int = 0, outlets: tuple[str, ...] = (), speaker: str | None = None, mode: str | None = None,
               location: dict | None = None) -> Event:
    """One event on ``article`` whose trigger is the first occurrence of ``trigger`` in the text."""
    start = article.text.find(trigger)
    start = max(start, 0)
    attribution = []
    if speaker:
        attribution.append(Attribution(role="speaker", text=speaker, code=speaker))
    attribution += [Attribution(role="outlet", text=o, name=o) for o in outlets]
    return Event(
        doc_id=article.id, event_id=f"ev-{article.id}-{start}-{event_type}", sentence=sentence, event_type=event_type,
        mode=mode, quad=ontology.quad(event_type), intensity=ontology.intensity(event_type, mode),
        source=ActorMention(text=source, code=source) if source else None,
        target=ActorMention(text=target, code=target) if target else None,
        modality=modality, confidence=confidence, trigger_text=trigger, trigger_start=start, trigger_end=start + len(trigger),
        date=day or article.date, attribution=attribution, outlet=article.outlet, sentence_text=article.text,
        location=location,
    )


def make_coded(article_id: str, text: str, day: dt.date, outlet: str, events: list[dict]) -> CodedArticle:
    """A CodedArticle with one sentence (the whole text) and the given events (kwargs of make_event)."""
    art = Article(id=article_id, text=text, date=day, outlet=outlet, title=None, origin=f"test:{article_id}")
    evs = [make_event(art, **e) for e in events]
    return CodedArticle(art, [Sentence(0, 0, len(text), text)], evs)


def synthetic_coded(n_articles: int, seed: int = 42, start: dt.date = dt.date(2022, 1, 1), days: int = 90) -> list[CodedArticle]:
    """Random but realistic coded articles for benchmarks (types, dyads and dates drawn from skewed distributions)."""
    rng = random.Random(seed)
    actors = ["RUS", "UKR", "USA", "NATO", "BLR", "EUR", "GBR", "DEU", "FRA", "CHN", "TUR", "POL"]
    weights = [30, 28, 15, 8, 5, 5, 3, 3, 2, 2, 1, 1]
    types = ["ASSAULT", "ACCUSE", "CONSULT", "THREATEN", "AID", "SANCTION", "REQUEST", "MOBILIZE", "AGREE", "SUPPORT",
             "REJECT", "COERCE", "COOPERATE", "RETREAT", "PROTEST", "CONCEDE"]
    tweights = [20, 15, 10, 8, 7, 7, 6, 6, 5, 5, 4, 3, 2, 1, 1, 1]
    outlets = ["Wire A", "Wire B", "Gazette", "Herald", "Daily", "Tribune", "Post", "Times"]
    out = []
    for i in range(n_articles):
        day = start + dt.timedelta(days=rng.randrange(days))
        text = f"Article {i} about events on {day}. " + " ".join(rng.choice(["talks", "strikes", "aid", "sanctions", "warnings"]) for _ in range(30))
        evs = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            s, t = rng.choices(actors, weights, k=2)
            if s == t:
                continue
            evs.append(dict(event_type=rng.choices(types, tweights)[0], source=s, target=t, day=day,
                            confidence=round(rng.uniform(0.3, 0.95), 2), trigger="talks" if "talks" in text else "Article"))
        # distinct triggers per event so ids differ
        coded = make_coded(f"syn-{seed}-{i}", text, day, rng.choice(outlets), [])
        for k, e in enumerate(evs):
            ev = make_event(coded.article, **e)
            ev.event_id = f"ev-syn-{seed}-{i}-{k}"
            coded.events.append(ev)
        out.append(coded)
    return out
