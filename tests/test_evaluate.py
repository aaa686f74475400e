"""Tests of the gold scorer (flashpoint.evaluate): gold reading, every scoring rule, and the coder plumbing.

All texts here are made up for the tests. Tests that read ../shared skip when it is absent.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from flashpoint.errors import InputError, MalformedRecord, QueryError, UnreadableInput
from flashpoint.evaluate import (
    GoldActor,
    GoldEvent,
    GoldSentence,
    evaluate,
    format_report,
    load_gold,
    main_evaluate,
    score,
)
from flashpoint.models import ActorMention, Article, Event

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD_DIR = SHARED / "gold"
CORPORA = SHARED / "corpora"


# ----------------------------------------------------------------------------------------------- builders
def actor(codes=None, text=None) -> GoldActor | None:
    if codes is None and text is None:
        return None
    return GoldActor(texts=(text,) if text else (), codes=frozenset(codes or ()))


def gev(etype, src=("USA",), tgt=("RUS",), *, alt=(), modality="asserted", alt_mod=(), reciprocal=False,
        optional=False, dates=None, speakers=None, outlets=None, src_text=None, tgt_text=None) -> GoldEvent:
    return GoldEvent(
        types=(etype, *alt),
        source=actor(src, src_text),
        target=actor(tgt, tgt_text),
        modalities=((modality,) if modality else ()) + tuple(alt_mod),
        reciprocal=reciprocal,
        optional=optional,
        dates=dates,
        speakers=speakers,
        outlets=outlets,
    )


def sent(sid, *events, text="A made-up sentence.") -> GoldSentence:
    return GoldSentence(id=sid, text=text, events=list(events), format="text")


def pev(etype, src="USA", tgt="RUS", conf=0.9, modality="asserted", *, src_codes=(), tgt_codes=(), date=None,
        attribution=(), src_span=None, tgt_span=None) -> dict:
    def a(code, codes, span):
        if code is None and not codes:
            return None
        start, end, text = span if span else (-1, -1, code)
        return {"text": text, "code": code, "codes": list(codes), "start": start, "end": end, "name": None}

    return {
        "event_type": etype,
        "source": a(src, src_codes, src_span),
        "target": a(tgt, tgt_codes, tgt_span),
        "modality": modality,
        "confidence": conf,
        "date": date,
        "attribution": list(attribution),
        "trigger": {"text": "x", "start": 0, "end": 1},
    }


def write_jsonl(path: Path, records: list[dict]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return path


# Two invented articles for a fake corpus; gold sentences point into them by offsets.
ART_A = (
    "Freedonia recalled its envoy from Sylvania on Monday. "
    "Its foreign minister accused Sylvania of shelling border villages. "
    "Markets were calm."
)
ART_B = "Sylvania and Freedonia held talks in Geneva. The weather was mild."


def _span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def fake_corpus(root: Path, gz: bool = False) -> Path:
    corpus = root / "corpora" / "toy-news"
    corpus.mkdir(parents=True)
    write_jsonl(
        corpus / ("articles.jsonl.gz" if gz else "articles.jsonl"),
        [
            {"id": "a1", "date": "2022-05-04", "outlet": "Toy Times", "title": "Envoy", "text": ART_A},
            {"id": "b1", "date": "2022-05-05", "outlet": "Toy Post", "title": "Talks", "text": ART_B},
            {"id": "zz", "date": "2022-05-06", "outlet": "Toy Post", "title": "Other", "text": "Unrelated."},
        ],
    )
    return root / "corpora"


def dev_record(sid, art_id, art_text, piece, gold, *, split="dev", with_text=True, date="2022-05-04") -> dict:
    start, end = _span(art_text, piece)
    rec = {"id": sid, "corpus": "toy-news", "article_id": art_id, "article_date": date, "outlet": "Toy Times",
           "start": start, "end": end, "text": piece, "gold": gold, "split": split}
    if not with_text:
        del rec["text"]
    return rec


GOLD_RECALL = {"event_type": "SANCTION", "mode": None, "source": {"text": "Freedonia", "code": "FRD", "sector": "GOV", "name": None},
               "target": {"text": "Sylvania", "code": "SYL", "sector": None, "name": None}, "modality": "asserted",
               "speaker": None, "outlets": [], "event_date": "2022-05-02", "date_text": "on Monday"}
GOLD_ACCUSE = {"event_type": "ACCUSE", "mode": None, "source": {"text": "Its foreign minister", "code": "FRD", "sector": "GOV", "name": None},
               "target": {"text": "Sylvania", "code": "SYL", "sector": None, "name": None}, "modality": "asserted",
               "speaker": None, "outlets": [], "event_date": None, "date_text": None}
GOLD_TALKS = {"event_type": "CONSULT", "mode": None, "source": {"text": "Sylvania", "code": "SYL", "sector": None, "name": None},
              "target": {"text": "Freedonia", "code": "FRD", "sector": None, "name": None}, "modality": "asserted",
              "speaker": None, "outlets": [], "event_date": None, "date_text": None, "reciprocal": True}
SENT_A1 = "Freedonia recalled its envoy from Sylvania on Monday."
SENT_A2 = "Its foreign minister accused Sylvania of shelling border villages."
SENT_A3 = "Markets were calm."
SENT_B1 = "Sylvania and Freedonia held talks in Geneva."


def toy_gold(tmp_path: Path, with_text: bool = True, name: str = "gold.jsonl") -> Path:
    return write_jsonl(tmp_path / name, [
        dev_record("t1", "a1", ART_A, SENT_A1, [GOLD_RECALL], with_text=with_text),
        dev_record("t2", "a1", ART_A, SENT_A2, [GOLD_ACCUSE], with_text=with_text),
        dev_record("t3", "a1", ART_A, SENT_A3, [], with_text=with_text, split="test"),
        dev_record("t4", "b1", ART_B, SENT_B1, [GOLD_TALKS], with_text=with_text, date="2022-05-05"),
    ])


# ----------------------------------------------------------------------------------------------- load_gold
@pytest.mark.parametrize("with_text", [True, False], ids=["inline", "reference"])
@pytest.mark.parametrize("gz", [False, True], ids=["jsonl", "jsonl.gz"])
def test_evaluate_load_gold_inline_and_reference(tmp_path, with_text, gz):
    corpora = fake_corpus(tmp_path, gz=gz)
    gold = load_gold(toy_gold(tmp_path, with_text), corpora_dir=corpora)
    assert [s.id for s in gold] == ["t1", "t2", "t3", "t4"]
    assert [s.text for s in gold] == [SENT_A1, SENT_A2, SENT_A3, SENT_B1]
    assert {s.format for s in gold} == {"inline" if with_text else "reference"}
    s1, s4 = gold[0], gold[3]
    assert s1.article_date == dt.date(2022, 5, 4) and s1.article_id == "a1" and s1.corpus == "toy-news"
    e = s1.events[0]
    assert e.types == ("SANCTION",) and e.source.codes == {"FRD"} and e.dates == ("2022-05-02",)
    assert e.speakers == [None] and e.outlets == []
    assert s4.events[0].reciprocal is True


def test_evaluate_load_gold_reference_needs_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_CORPORA", str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="corpus \"toy-news\" not found"):
        load_gold(toy_gold(tmp_path, with_text=False))


def test_evaluate_load_gold_env_corpora(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_CORPORA", str(fake_corpus(tmp_path)))
    assert load_gold(toy_gold(tmp_path, with_text=False))[1].text == SENT_A2


@pytest.mark.parametrize(
    "change,message",
    [
        ({"article_id": "missing"}, "not in the corpus"),
        ({"end": 10_000}, "past the end"),
    ],
)
def test_evaluate_load_gold_reference_errors(tmp_path, change, message):
    corpora = fake_corpus(tmp_path)
    rec = dev_record("t1", "a1", ART_A, SENT_A1, [], with_text=False)
    rec.update(change)
    with pytest.raises(InputError, match=message):
        load_gold(write_jsonl(tmp_path / "g.jsonl", [rec]), corpora_dir=corpora)


def test_evaluate_load_gold_inline_text_checked_against_corpus(tmp_path):
    corpora = fake_corpus(tmp_path)
    rec = dev_record("t1", "a1", ART_A, SENT_A1, [])
    rec["text"] = "Something else entirely, same length......."[: len(SENT_A1)]
    path = write_jsonl(tmp_path / "g.jsonl", [rec])
    load_gold(path, corpora_dir=corpora)  # the corpus is not read when the text is inline
    with pytest.raises(MalformedRecord, match="differs from the record's text"):
        evaluate(path, coder=RecordingCoder({}), corpora_dir=corpora, context="article")


@pytest.mark.parametrize(
    "line,message",
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x", "gold": []}', "neither \"text\" nor a corpus reference"),
        ('{"id": "x", "text": "Hi.", "gold": {}}', '"gold" must be a list'),
        ('{"text": "Hi.", "gold": []}', 'no "id"'),
        ('{"id": "x", "text": "Hi.", "gold": [{"plover": "AGREE", "source": [], "target": []}], "date": "5 May"}', "ISO date"),
    ],
)
def test_evaluate_load_gold_malformed_records_name_the_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "text": "Fine.", "gold": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(MalformedRecord, match=message) as info:
        load_gold(path)
    assert info.value.origin == f"{path}:2"


def test_evaluate_load_gold_missing_file(tmp_path):
    with pytest.raises(UnreadableInput, match="gold file not found"):
        load_gold(tmp_path / "nope.jsonl")


@pytest.mark.parametrize("split,ids", [("dev", ["t1", "t2", "t4"]), ("test", ["t3"]), (None, ["t1", "t2", "t3", "t4"])])
def test_evaluate_load_gold_split(tmp_path, split, ids):
    assert [s.id for s in load_gold(toy_gold(tmp_path), split=split)] == ids


@pytest.mark.parametrize("split,message", [("train", "its splits are: dev, test")])
def test_evaluate_load_gold_unknown_split(tmp_path, split, message):
    with pytest.raises(QueryError, match=message):
        load_gold(toy_gold(tmp_path), split=split)


GSR_RECORDS = [
    {"id": "G-1", "date": "2000-01-01", "text": "Nippon and Italia agreed on a trade pact.",
     "gold": [{"source": [{"text": "Nippon", "code": "JAP", "sector": ""}, {"text": "Italia", "code": "ITL", "sector": ""}],
               "target": [], "plover": "AGREE", "plover_2016": "AGREE", "event_text": "agreed", "context": "",
               "mode": "", "event_loc": "", "reciprocal": True}]},
    {"id": "G-1", "date": "2000-01-01", "text": "A regional forum urged Nippon to open talks.",
     "gold": [{"source": [{"text": "A regional forum", "code": "IGO", "sector": ""}],
               "target": [{"text": "Nippon", "code": "JAP", "sector": "GOV"}], "plover": "REQUEST", "plover_2016": "DEMAND",
               "event_text": "urged", "context": "", "mode": "", "event_loc": "", "reciprocal": False}]},
]


def test_evaluate_load_gold_plover_gsr_codes(tmp_path):
    gold = load_gold(write_jsonl(tmp_path / "gsr.jsonl", GSR_RECORDS))
    assert [s.id for s in gold] == ["G-1", "G-1#2"]  # a repeated id is made unique
    assert {s.format for s in gold} == {"plover_gsr"}
    agree, request = gold[0].events[0], gold[1].events[0]
    assert agree.types == ("AGREE",) and agree.source.codes == {"JPN", "ITA"} and agree.target is None
    assert agree.reciprocal and agree.modalities == () and agree.dates is None and agree.speakers is None
    assert request.source.wildcard and request.source.texts == ("A regional forum",)
    assert request.target.codes == {"JPN"}


def test_evaluate_load_gold_shared_files():
    if not (GOLD_DIR / "ukraine_dev.jsonl").is_file() or not (GOLD_DIR / "plover_gsr.jsonl").is_file():
        pytest.skip(f"shared gold not found at {GOLD_DIR}")
    dev = load_gold(GOLD_DIR / "ukraine_dev.jsonl")
    assert len(dev) == 294 and sum(len(s.required) for s in dev) == 255 and sum(len(s.optional) for s in dev) == 86
    assert len(load_gold(GOLD_DIR / "ukraine_dev.jsonl", split="test")) == 118
    gsr = load_gold(GOLD_DIR / "plover_gsr.jsonl")
    assert len(gsr) == 322 and len({s.id for s in gsr}) == 322
    assert not any(c in {"JAP", "ITL", "VTN", "IGO"} for s in gsr for e in s.events
                   for a in (e.source, e.target) if a for c in a.codes)


def test_evaluate_load_gold_shared_reference_only(tmp_path):
    src = GOLD_DIR / "ukraine_dev.jsonl"
    if not src.is_file() or not (CORPORA / "ukraine-media-2022").is_dir():
        pytest.skip(f"shared gold or corpus not found under {SHARED}")
    records = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()[:12]]
    texts = [r.pop("text") for r in records]
    gold = load_gold(write_jsonl(tmp_path / "ref.jsonl", records), corpora_dir=CORPORA)
    assert [s.text for s in gold] == texts and {s.format for s in gold} == {"reference"}


# ----------------------------------------------------------------------------------------------- score: headline
@pytest.mark.parametrize(
    "gold_event,pred,expect",
    [
        # type / source+target / modality of the top event
        (gev("AGREE", alt=("CONSULT",)), pev("CONSULT"), (1.0, 1.0, 1.0)),
        (gev("AGREE"), pev("CONSULT"), (0.0, 0.0, 0.0)),
        (gev("CONSULT", reciprocal=True), pev("CONSULT", src="RUS", tgt="USA"), (1.0, 1.0, 1.0)),
        (gev("CONSULT"), pev("CONSULT", src="RUS", tgt="USA"), (1.0, 0.0, 1.0)),
        (gev("ACCUSE", src=("USA", "GBR")), pev("ACCUSE", src="GBR"), (1.0, 1.0, 1.0)),
        (gev("ACCUSE"), pev("ACCUSE", src=None, src_codes=("FRA", "USA")), (1.0, 1.0, 1.0)),
        (gev("ACCUSE"), pev("ACCUSE", src=None, src_codes=("FRA", "DEU")), (1.0, 0.0, 1.0)),
        (gev("ACCUSE", src=()), pev("ACCUSE", src="CHN"), (1.0, 1.0, 1.0)),  # gold null code: anything
        (gev("ACCUSE", src=()), pev("ACCUSE", src=None), (1.0, 1.0, 1.0)),
        (gev("MOBILIZE", tgt=None), pev("MOBILIZE", tgt="UKR"), (1.0, 1.0, 1.0)),  # gold null target: anything
        (gev("MOBILIZE", tgt=None), pev("MOBILIZE", tgt=None), (1.0, 1.0, 1.0)),
        (gev("ASSAULT"), pev("ASSAULT", tgt=None), (1.0, 0.0, 1.0)),  # gold target coded, none predicted
        (gev("ASSAULT", modality="alleged", alt_mod=("asserted",)), pev("ASSAULT"), (1.0, 1.0, 1.0)),
        (gev("ASSAULT", modality="alleged"), pev("ASSAULT"), (1.0, 1.0, 0.0)),
    ],
)
def test_evaluate_score_headline_rules(gold_event, pred, expect):
    h = score([sent("s", gold_event)], {"s": [pred]})["headline"]
    assert (h["event_type_accuracy"], h["source_target_accuracy"], h["modality_accuracy"]) == expect


def test_evaluate_score_headline_top_event_and_conditionals():
    gold = [
        sent("a", gev("ACCUSE")),
        sent("b", gev("ASSAULT", modality="alleged")),
        sent("c", gev("REQUEST")),
        sent("d", gev("SUPPORT", optional=True)),  # no required event: a negative sentence
    ]
    preds = {
        # the most confident prediction is scored: ACCUSE (0.8) beats ASSAULT (0.3)
        "a": [pev("ASSAULT", conf=0.3), pev("ACCUSE", conf=0.8)],
        "b": [pev("ASSAULT", src="UKR", conf=0.6)],  # type right, actors and modality wrong
        # "c": no prediction counts wrong
        "d": [pev("SUPPORT")],  # matches the optional event: not a false alarm
    }
    h = score(gold, preds)["headline"]
    assert h["sentences"] == 3 and h["type_correct"] == 2
    assert h["event_type_accuracy"] == round(2 / 3, 4)
    assert h["source_target_accuracy"] == round(1 / 3, 4)
    assert h["source_target_given_type"] == 0.5
    assert h["modality_accuracy"] == round(1 / 3, 4) and h["modality_given_type"] == 0.5
    assert h["negative_sentences"] == 1 and h["false_alarm_rate"] == 0.0 and h["negative_any_prediction_rate"] == 1.0


def test_evaluate_score_negative_sentences():
    gold = [sent(f"n{i}") for i in range(4)] + [sent("o", gev("ASSAULT", optional=True))]
    preds = {"n0": [pev("ACCUSE")], "n1": [], "o": [pev("ACCUSE")]}
    result = score(gold, preds)
    h = result["headline"]
    assert h["negative_sentences"] == 5
    assert h["false_alarm_rate"] == 0.4 and h["negative_silent_rate"] == 0.6  # n0 and o (ACCUSE is not optional)
    assert h["event_type_accuracy"] is None  # no sentence with a required event
    assert result["events"]["type"]["micro"]["pred"] == 2 and result["events"]["type"]["micro"]["precision"] == 0.0


# ----------------------------------------------------------------------------------------------- score: events
def test_evaluate_score_event_prf_per_type_micro_macro():
    gold = [
        sent("a", gev("ACCUSE"), gev("ASSAULT"), gev("ASSAULT", src=("UKR",), tgt=("RUS",))),
        sent("b", gev("AGREE", alt=("AID",)), gev("ASSAULT", optional=True)),
    ]
    preds = {
        "a": [pev("ACCUSE", conf=0.9), pev("ASSAULT", conf=0.8), pev("REQUEST", conf=0.5)],
        "b": [pev("AID", conf=0.7), pev("ASSAULT", conf=0.6), pev("AID", conf=0.4)],
    }
    ev = score(gold, preds)["events"]
    t = ev["type"]
    # TP: ACCUSE, ASSAULT, AGREE (via AID); FP: REQUEST, second AID; the ASSAULT in "b" matches an optional event
    assert t["micro"] == {"tp": 3, "pred": 5, "gold": 4, "precision": 0.6, "recall": 0.75, "f1": round(2 * 0.6 * 0.75 / 1.35, 4)}
    assert ev["optional_matches"] == 1
    assert t["per_type"]["ASSAULT"]["recall"] == 0.5 and t["per_type"]["ASSAULT"]["precision"] == 1.0
    assert t["per_type"]["AGREE"]["recall"] == 1.0 and t["per_type"]["AGREE"]["precision"] is None
    assert t["per_type"]["AID"]["precision"] == 0.5 and t["per_type"]["REQUEST"]["f1"] == 0.0
    f1s = {k: v["f1"] for k, v in t["per_type"].items()}
    assert f1s == {"ASSAULT": round(2 / 3, 4), "ACCUSE": 1.0, "AGREE": 0.0, "AID": 0.0, "REQUEST": 0.0}
    assert t["macro"]["f1"] == round((2 / 3 + 1) / 5, 4)


def test_evaluate_score_event_levels_code_and_span():
    text = "Arland shelled the port of Borovia."
    g = gev("ASSAULT", src=("ARL",), tgt=("BOR",), src_text="Arland", tgt_text="the port of Borovia")
    preds = {
        "s": [pev("ASSAULT", src="ARL", tgt="XXX", src_span=(0, 6, "Arland"), tgt_span=(19, 34, "port of Borovia"))],
    }
    result = score([sent("s", g, text=text)], preds)
    ev = result["events"]
    assert ev["type"]["micro"]["tp"] == 1
    assert ev["type_actors_code"]["micro"]["tp"] == 0  # target code wrong
    assert ev["type_actors_span"]["micro"]["tp"] == 1  # but both spans overlap
    args = result["arguments"]
    assert args["source_code"]["accuracy"] == 1.0 and args["target_code"]["accuracy"] == 0.0
    assert args["actors_span"]["accuracy"] == 1.0


@pytest.mark.parametrize(
    "pred_actor,expect",
    [
        ({"text": "Arland", "code": "ARL", "start": 0, "end": 6}, True),
        ({"text": "Borovia", "code": "BOR", "start": 27, "end": 34}, False),  # placed elsewhere
        ({"text": "it", "code": "ARL", "name": "Republic of Arland", "start": -1, "end": -1}, True),  # by words of the name
        ({"text": "they", "code": "ARL", "start": -1, "end": -1}, False),
        (None, False),
    ],
)
def test_evaluate_score_source_span_rules(pred_actor, expect):
    text = "Arland shelled the port of Borovia."
    g = gev("ASSAULT", src=("ARL",), tgt=None, src_text="Arland")
    p = pev("ASSAULT", tgt=None)
    p["source"] = pred_actor
    assert score([sent("s", g, text=text)], {"s": [p]})["arguments"]["source_span"]["accuracy"] == float(expect)


@pytest.mark.parametrize(
    "gold_dates,pred_date,expect",
    [
        (("2022-05-02",), "2022-05-02", 1.0),
        (("2022-05-02",), "2022-05-03", 0.0),
        (("2022-05-02", "2022-05-03"), "2022-05-03", 1.0),
        ((None,), None, 1.0),
        ((None,), "2022-05-02", 0.0),
        ((None, "2022-05-01"), "2022-05-01", 1.0),
    ],
)
def test_evaluate_score_dates(gold_dates, pred_date, expect):
    d = score([sent("s", gev("ASSAULT", dates=gold_dates))], {"s": [pev("ASSAULT", date=pred_date)]})["dates"]
    assert d["all"]["accuracy"] == expect
    assert d["dated" if gold_dates[0] else "undated"]["n"] == 1


def test_evaluate_score_dates_not_annotated_are_not_counted():
    d = score([sent("s", gev("ASSAULT"))], {"s": [pev("ASSAULT", date="2022-05-02")]})["dates"]
    assert d["all"] == {"n": 0, "correct": 0, "accuracy": None}


SPK_USA = {"role": "speaker", "text": "Washington", "code": "USA"}
SPK_NONE = {"role": "speaker", "text": "a blogger", "code": None}
OUT_CNN = {"role": "outlet", "text": "CNN", "code": None}


@pytest.mark.parametrize(
    "speakers,attribution,expect",
    [
        ([None], [], 1.0),
        ([None], [SPK_USA], 0.0),
        ([{"text": "Washington", "code": "USA"}], [SPK_USA], 1.0),
        ([{"text": "Washington", "code": "USA"}], [SPK_NONE], 0.0),
        ([{"text": "Washington", "code": "USA"}], [], 0.0),
        ([{"text": "Washington", "code": "USA"}, None], [], 1.0),  # alt_speakers: [null]
        ([{"text": "a blogger", "code": None}], [SPK_NONE], 1.0),  # null speaker code: any speaker
    ],
)
def test_evaluate_score_speaker(speakers, attribution, expect):
    g = gev("ASSAULT", speakers=speakers)
    a = score([sent("s", g)], {"s": [pev("ASSAULT", attribution=attribution)]})["attribution"]
    assert a["speaker"]["accuracy"] == expect


@pytest.mark.parametrize(
    "outlets,attribution,expect",
    [
        ([], [], 1.0),
        ([], [OUT_CNN], 0.0),
        (["the CNN"], [SPK_USA, OUT_CNN], 1.0),
        (["Russian news agencies"], [{"role": "outlet", "text": "news agencies"}], 1.0),
        (["CNN", "the BBC"], [OUT_CNN], 0.0),
    ],
)
def test_evaluate_score_outlet_chain(outlets, attribution, expect):
    g = gev("ASSAULT", outlets=outlets)
    a = score([sent("s", g)], {"s": [pev("ASSAULT", attribution=attribution)]})["attribution"]
    assert a["outlets"]["accuracy"] == expect
    assert a["outlets_named"]["n"] == (1 if outlets else 0)


def test_evaluate_score_plover_gsr_legacy_and_wildcard_codes(tmp_path):
    gold = load_gold(write_jsonl(tmp_path / "gsr.jsonl", GSR_RECORDS))
    preds = {
        "G-1": [pev("AGREE", src="ITA", tgt="JPN")],  # reciprocal compound, legacy codes mapped
        "G-1#2": [pev("REQUEST", src="XYZ", tgt="JPN")],  # IGO source is not scored
    }
    h = score(gold, preds)["headline"]
    assert h["event_type_accuracy"] == 1.0 and h["source_target_accuracy"] == 1.0
    assert h["modality_accuracy"] is None and h["modality_sentences"] == 0  # plover_gsr has no modality


# ----------------------------------------------------------------------------------------------- score: tables
def test_evaluate_score_confusion():
    gold = [sent("a", gev("ACCUSE")), sent("b", gev("ASSAULT")), sent("c", gev("AGREE", alt=("AID",))), sent("n")]
    preds = {"a": [pev("ACCUSE")], "b": [pev("COERCE")], "c": [pev("AID")], "n": [pev("ASSAULT")]}
    conf = score(gold, preds)["confusion"]
    assert conf["labels"][-1] == "NONE" and conf["labels"].count("NONE") == 1
    assert conf["matrix"] == {
        "ACCUSE": {"ACCUSE": 1},
        "AID": {"AID": 1},  # an accepted alternative lands on the diagonal
        "ASSAULT": {"COERCE": 1},
        "NONE": {"ASSAULT": 1},
    }
    assert score([sent("x", gev("ACCUSE"))], {})["confusion"]["matrix"] == {"ACCUSE": {"NONE": 1}}


def test_evaluate_score_calibration_bins_and_ece():
    gold = [sent("a", gev("ACCUSE"), gev("ASSAULT"), gev("AGREE")), sent("b", gev("SUPPORT", optional=True))]
    preds = {
        "a": [pev("ACCUSE", conf=1.0), pev("ASSAULT", conf=0.5), pev("REJECT", conf=0.5), pev("AGREE", conf=0.9),
              pev("COERCE", conf=0.1)],
        "b": [pev("SUPPORT", conf=0.3)],  # matches an optional event: left out of calibration
    }
    cal = score(gold, preds)["calibration"]
    assert cal["events"] == 5
    assert [b["count"] for b in cal["bins"]] == [1, 0, 2, 0, 2]
    assert [b["precision"] for b in cal["bins"]] == [0.0, None, 0.5, None, 1.0]
    assert [b["mean_confidence"] for b in cal["bins"]] == [0.1, None, 0.5, None, 0.95]
    assert cal["ece"] == round((1 * 0.1 + 2 * 0.0 + 2 * 0.05) / 5, 4)


def test_evaluate_score_empty_and_unknown_ids():
    result = score([], {"ghost": [pev("ACCUSE")]})
    assert result["gold"]["unknown_prediction_ids"] == ["ghost"]
    assert result["headline"]["event_type_accuracy"] is None and result["calibration"]["ece"] is None
    json.dumps(result)  # JSON-ready


def test_evaluate_format_report_tables():
    gold = [sent("a", gev("ACCUSE")), sent("n")]
    text = format_report(score(gold, {"a": [pev("ACCUSE", conf=0.7)], "n": [pev("ASSAULT", conf=0.2)]}))
    for needle in ("event type accuracy             100.0%", "false-alarm rate", "ACCUSE", "Confusion", "0.6-0.8",
                   "Calibration (2 predicted events"):
        assert needle in text


# ----------------------------------------------------------------------------------------------- evaluate plumbing
class RecordingCoder:
    """Test double: emits fixed events wherever a trigger word occurs and records the articles it was given."""

    def __init__(self, triggers: dict[str, list[tuple[str, str, str, float]]]):
        # trigger word -> events to emit: (event type, source text, source code, confidence); the source is the
        # nearest occurrence of its text before the trigger
        self.triggers = triggers
        self.seen: list[Article] = []

    def code_articles(self, articles):
        for art in articles:
            self.seen.append(art)
            events = []
            for word, specs in self.triggers.items():
                pos = art.text.find(word)
                if pos < 0:
                    continue
                for etype, src, code, conf in specs:
                    s_at = art.text.rfind(src, 0, pos)
                    source = ActorMention(text=src, start=s_at, end=s_at + len(src), code=code)
                    events.append(Event(
                        doc_id=art.id, event_id=f"{art.id}:{pos}", sentence=0, event_type=etype, mode=None, quad="",
                        intensity=0.0, source=source, target=None, modality="asserted", confidence=conf,
                        trigger_text=word, trigger_start=pos, trigger_end=pos + len(word), date=art.date,
                    ))
            yield art, events


TRIGGERS = {
    "recalled": [("SANCTION", "Freedonia", "FRD", 0.8)],
    "accused": [("ACCUSE", "foreign minister", "FRD", 0.7)],
    "talks": [("CONSULT", "Sylvania", "SYL", 0.9)],
    "weather": [("ASSAULT", "Sylvania", "SYL", 0.4)],  # outside every gold sentence of article b1
}


def test_evaluate_article_context_codes_each_article_once(tmp_path):
    corpora = fake_corpus(tmp_path)
    coder = RecordingCoder(TRIGGERS)
    result = evaluate(toy_gold(tmp_path), coder=coder, corpora_dir=corpora, context="article")
    assert [a.id for a in coder.seen] == ["a1", "b1"]  # a1 holds three gold sentences, coded once
    assert coder.seen[0].text == ART_A and coder.seen[0].date == dt.date(2022, 5, 4)
    assert result["meta"]["events_outside_gold_sentences"] == 1 and result["meta"]["inputs_coded"] == 2
    rows = {r["id"]: r for r in result["sentences"]}
    assert rows["t1"]["predicted"] == ["SANCTION:0.80"] and rows["t2"]["predicted"] == ["ACCUSE:0.70"]
    assert rows["t3"]["predicted"] == [] and rows["t4"]["predicted"] == ["CONSULT:0.90"]
    h = result["headline"]
    assert h["event_type_accuracy"] == 1.0 and h["negative_silent_rate"] == 1.0
    # the predicted "foreign minister" is placed inside t2 after rebasing and overlaps the gold "Its foreign minister"
    assert result["arguments"]["source_span"]["correct"] == 3
    assert result["arguments"]["source_code"]["accuracy"] == 1.0
    assert result["headline"]["source_target_accuracy"] == 0.0  # no target predicted, all gold targets coded


def test_evaluate_article_context_rebases_offsets(tmp_path):
    corpora = fake_corpus(tmp_path)
    captured = {}

    def spy(gold, predictions):
        captured.update(predictions)
        return {"gold": {}, "headline": {}}

    import flashpoint.evaluate as ev_mod

    real = ev_mod.score
    ev_mod.score = spy
    try:
        evaluate(toy_gold(tmp_path), coder=RecordingCoder(TRIGGERS), corpora_dir=corpora)
    finally:
        ev_mod.score = real
    (accuse,) = captured["t2"]
    assert accuse["trigger"]["start"] == SENT_A2.index("accused")
    assert accuse["source"]["start"] == SENT_A2.index("foreign minister")


def test_evaluate_sentence_context_codes_each_sentence(tmp_path):
    coder = RecordingCoder(TRIGGERS)
    result = evaluate(toy_gold(tmp_path), coder=coder, split="dev", context="sentence")
    assert [a.text for a in coder.seen] == [SENT_A1, SENT_A2, SENT_B1]
    assert [a.id for a in coder.seen] == ["t1", "t2", "t4"]
    assert coder.seen[2].date == dt.date(2022, 5, 5)
    assert result["headline"]["event_type_accuracy"] == 1.0 and result["meta"]["context"] == "sentence"


def test_evaluate_plover_gsr_records_coded_alone(tmp_path):
    coder = RecordingCoder({"agreed": [("AGREE", "Italia", "ITA", 0.9)], "urged": [("REQUEST", "forum", "XYZ", 0.9)]})
    result = evaluate(write_jsonl(tmp_path / "gsr.jsonl", GSR_RECORDS), coder=coder, context="article")
    assert [a.id for a in coder.seen] == ["G-1", "G-1#2"]
    assert result["headline"]["event_type_accuracy"] == 1.0


def test_evaluate_bad_context(tmp_path):
    with pytest.raises(QueryError, match="use one of: article, sentence"):
        evaluate(toy_gold(tmp_path), coder=RecordingCoder({}), context="paragraph")


def test_evaluate_main_evaluate_writes_json(tmp_path):
    out = tmp_path / "result.json"
    result = main_evaluate(toy_gold(tmp_path), "dev", out, coder=RecordingCoder(TRIGGERS), context="sentence")
    assert json.loads(out.read_text(encoding="utf-8"))["headline"] == result["headline"]
