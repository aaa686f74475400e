"""Parse memory: long articles are parsed in smaller batches (``Coder._batches``) and a worker gives freed
memory back after each chunk, without changing any result."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.models import Article
from flashpoint.nlp import pipeline
from flashpoint.nlp.pipeline import Coder
from flashpoint.testing import STORIES


def make(lengths: list[int]) -> list[Article]:
    return [Article(id=f"m{i}", text="x" * n, date=dt.date(2022, 3, 1), outlet="Test Wire")
            for i, n in enumerate(lengths)]


@pytest.fixture(scope="module")
def coder():
    c = Coder()
    yield c
    c.close()


@pytest.mark.parametrize("lengths,batch_size,batch_chars,expected", [
    ([10] * 5, 2, 1000, [2, 2, 1]),                  # the article count bounds a batch
    ([400, 400, 400, 100], 16, 1000, [2, 2]),        # the characters bound it
    ([5000, 10, 10], 16, 1000, [1, 2]),              # a longer article than the bound is a batch of its own
    ([10, 5000, 10], 16, 1000, [1, 1, 1]),
    ([], 16, 1000, []),
])
def test_pipeline_memory_batches_are_bounded(coder, monkeypatch, lengths, batch_size, batch_chars, expected):
    monkeypatch.setattr(coder, "batch_size", batch_size)
    monkeypatch.setattr(coder, "batch_chars", batch_chars)
    arts = make(lengths)
    batches = list(coder._batches(arts))
    assert [len(b) for b in batches] == expected
    assert [a.id for b in batches for a in b] == [a.id for a in arts]  # nothing lost, nothing reordered
    for b in batches:
        assert len(b) == 1 or sum(len(a.text) for a in b) <= batch_chars


def test_pipeline_memory_batches_count_only_the_parsed_characters(coder, monkeypatch):
    # text past max_chars is not parsed, so it does not count against batch_chars
    monkeypatch.setattr(coder, "max_chars", 100)
    monkeypatch.setattr(coder, "batch_chars", 250)
    assert [len(b) for b in coder._batches(make([10_000, 10_000, 10_000]))] == [2, 1]


def plain(coded):
    return [(c.article.id, [(s.start, s.end, s.text) for s in c.sentences], [e.to_dict() for e in c.events])
            for c in coded]


@pytest.mark.parametrize("n_process", [1, 2])
def test_pipeline_memory_small_batches_give_the_same_events(coder, monkeypatch, n_process):
    arts = [Article(id=f"s{i}", text=t, date=dt.date(2022, 3, 1 + i), outlet="Test Wire")
            for i, t in enumerate(STORIES[:8])]
    monkeypatch.setattr(coder, "batch_chars", 10**9)
    whole = plain(coder.process(arts))
    coder.close()  # workers fork from this process: they must see the changed batch_chars
    monkeypatch.setattr(coder, "batch_chars", 1)  # every article its own batch
    split = plain(coder.process(arts, n_process=n_process))
    coder.close()
    assert split == whole
    assert sum(len(evs) for _, _, evs in whole) > 0


def test_pipeline_memory_worker_trims_even_when_coding_fails(monkeypatch):
    trims = []

    class Failing:
        def process(self, articles, n_process=1):
            raise ValueError("boom")

    monkeypatch.setattr(pipeline, "_WORKER_CODER", Failing())
    monkeypatch.setattr(pipeline, "release_memory", lambda: trims.append(1))
    with pytest.raises(ValueError):
        pipeline._worker_code(make([10]))
    assert trims == [1]


def test_pipeline_memory_trim_is_safe_to_call():
    from flashpoint._memory import release_memory

    assert release_memory() is None


@pytest.mark.parametrize("text,size", [
    ("para one.\npara two.\n\npara three is longer.\n" * 20, 60),
    ("no line break at all " * 50, 100),                  # nothing to cut at: one piece
    ("a\n" + "b" * 500 + "\nc\n", 100),                   # a paragraph longer than a piece stays whole
    ("short\n", 100),
    ('A live blog in one paragraph. "Troops moved," he said. Talks resumed! ' * 20, 100),  # sentence ends
])
def test_pipeline_memory_segments_join_back_and_end_at_line_breaks(text, size):
    pieces = pipeline._segments(text, size)
    assert "".join(pieces) == text
    for piece in pieces[:-1]:
        # ends after a line break, or with none in the text after a sentence end, and the whitespace after it
        assert piece.rstrip() != piece
        assert piece.rstrip()[-1] in ("\n", ".", "!", "?", '"') if "\n" not in text else "\n" in piece
        assert not text[text.index(piece) + len(piece):][:1].isspace()
    if "\n" not in text and "." in text:
        assert len(pieces) > 1 and all(len(p) <= size for p in pieces)


def test_pipeline_memory_long_text_in_pieces_gives_the_events_of_the_whole(coder, monkeypatch):
    # several stories in one text, cut into pieces of a few paragraphs: the parse of each piece, joined,
    # gives the same sentences and events (actors resolved across pieces included) as the whole parse
    text = "\n\n".join(STORIES[:8])
    art = [Article(id="long", text=text, date=dt.date(2022, 3, 1), outlet="Test Wire")]
    monkeypatch.setattr(coder, "segment_chars", 10**9)
    whole = plain(coder.process(art))
    monkeypatch.setattr(coder, "segment_chars", 200)
    assert len(pipeline._segments(text, 200)) > 3
    pieces = plain(coder.process(art))
    assert pieces == whole
    assert len(whole[0][2]) > 5


def test_pipeline_memory_forked_workers_share_the_parents_model(monkeypatch):
    # fork: the parent loads the model before its workers start, so they share its pages; spawn: each worker
    # loads its own and the parent, which parses nothing, never does
    monkeypatch.setenv("FLASHPOINT_MP_START", "spawn")
    c = Coder()
    try:
        c._pool(2)  # spawned workers start on the first task: none here
        assert "nlp" not in c.__dict__
    finally:
        c.close()
    monkeypatch.setenv("FLASHPOINT_MP_START", "fork")
    c = Coder()
    try:
        arts = [Article(id="w", text=STORIES[0], date=dt.date(2022, 3, 1), outlet="Test Wire")]
        coded = list(c.process(arts, n_process=2))
        assert coded[0].events
        assert "nlp" in c.__dict__
    finally:
        c.close()
