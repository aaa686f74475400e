"""Small helpers over spaCy's dependency parse, shared by the event, modality and attribution stages."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj", "attr", "oprd"}
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "parataxis"}


def children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def child(tok: Token, *deps: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def prep_objects(tok: Token, preps: set[str] | frozenset[str] | None = None) -> Iterator[tuple[str, Token]]:
    """(preposition lemma, its object) for each prep child of ``tok`` (also "agent" by-phrases)."""
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative"):
            lemma = c.lemma_.lower()
            if preps is not None and lemma not in preps:
                continue
            for o in c.children:
                if o.dep_ in ("pobj", "pcomp"):
                    yield lemma, o
            if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
                yield "to", c


def conjuncts_up(tok: Token) -> Token:
    """The first conjunct of a coordination ("blamed ... and demanded" -> blamed)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def clause_chain(tok: Token, limit: int = 8) -> Iterator[Token]:
    """The governing tokens from ``tok`` up to the sentence root (``tok`` excluded)."""
    cur = tok
    for _ in range(limit):
        if cur.head.i == cur.i:
            return
        cur = cur.head
        yield cur


def sentence_of(tok: Token) -> Span:
    return tok.sent


def is_verbal(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")
