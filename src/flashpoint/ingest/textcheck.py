"""Cheap checks on raw input: binary or text, which encoding, control characters, English or not.

Nothing here needs a model or a network; every check reads at most a bounded sample of the input.

Encoding (``sniff_encoding``): a byte-order mark wins (UTF-8, UTF-16, UTF-32); else UTF-8 when the sample
decodes as UTF-8; else UTF-16 without a mark when NUL bytes sit on alternate positions; else the guess of
``charset_normalizer`` (installed with requests; optional) when it reads as a non-Latin script (cp1251 ...);
else cp1252 when it decodes, else latin-1 (which decodes any byte string, so a text file is never refused
for its encoding alone).

Language (``guess_language``): a text is judged *not English* only when it positively looks like something
else, because news that is mostly numbers, tables or lists of names has few function words in any language
(2,253 of the 19,043 Reuters-21578 texts, mostly tables of figures, have an English function-word share
under 0.10) and must still pass:

- letters mostly (> 50%) of a non-Latin script (Cyrillic, Greek, Arabic, Hebrew, CJK, ...): that script's
  language (``ru``, ``uk``, ``el``, ``ar`` ...);
- else, with at least ``MIN_WORDS`` word tokens in the sample: the share of each language's common function
  words among the word tokens. English passes at ``ENGLISH_THRESHOLD`` (0.20) or more (median of the shared
  corpora: 0.37). Below that, the text is another language when that language's share is at least
  ``FOREIGN_THRESHOLD`` (0.10) and at least ``FOREIGN_MARGIN`` (2) times the English share, and at least
  ``MIN_DISTINCT`` (3) different function words of it occur. Languages checked: fr, de, es, it, pt, nl, sv,
  pl, tr, id.
- anything else (too short, no clear signal) passes as English.

Measured on the shared corpora (Reuters-21578, ukraine-media-2022, whitehouse-2021-22: 27,228 texts) and the
seed article: no text is judged foreign (false-skip rate 0/27,229); tests/test_ingest_readers.py checks a
1-in-5 sample of each corpus.
"""

from __future__ import annotations

import codecs
import collections
import re
import unicodedata

# ---------------------------------------------------------------------------------------------- text cleaning

# C0 controls except \t and \n, DEL, and C1 controls (\x80-\x9f: mostly mis-decoded cp1252 bytes)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # lone halves (from JSON "\\ud800" escapes) cannot be written as UTF-8


def clean_text(text: str) -> str:
    """Normalise newlines to \\n, drop control characters (\\n and \\t kept) and a leading BOM, replace lone
    surrogates with U+FFFD, strip.

    text (str): the text as read.
    RETURNS (str): the cleaned text.
    """
    text = _NEWLINES.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _SURROGATES.sub("\ufffd", text)
    return text.lstrip("\ufeff").strip()


# ---------------------------------------------------------------------------------------------- bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``head``, or None."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        guess = "utf-16-le"
    elif even > 0.4 * half and odd < 0.05 * half:
        guess = "utf-16-be"
    else:
        return None
    text = sample[: half * 2].decode(guess, errors="replace")
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return guess if printable >= 0.95 * len(text) else None


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the first bytes of an input) is not text: NUL bytes or many control bytes.

    UTF-16/32 text (with a byte-order mark, or UTF-16 without one) is text.
    """
    if not head:
        return False
    if bom_encoding(head) or _utf16_without_bom(head):
        return False
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12, 27))
    return controls > 0.05 * len(sample)


def _valid_utf8_prefix(head: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a multi-byte character cut at the end of the sample is fine
    except UnicodeDecodeError:
        return False
    return True


def sniff_encoding(head: bytes) -> str:
    """Guess the encoding of an input from its first bytes (see the module docstring for the order).

    head (bytes): the first bytes of the input (up to 64 KiB is plenty).
    RETURNS (str): a Python codec name.
    """
    bom = bom_encoding(head)
    if bom:
        return bom
    if _valid_utf8_prefix(head):
        return "utf-8"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    return guess_legacy_encoding(head)


def guess_legacy_encoding(data: bytes) -> str:
    """Encoding for bytes that are not UTF-8.

    charset_normalizer's guess when it reads as a non-Latin script (cp1251 Cyrillic, cp1253 Greek, ...);
    for Latin-script text cp1252, the commonest legacy encoding (charset_normalizer cannot tell cp1250 from
    cp1252 on short English samples); else latin-1, which decodes anything.
    """
    try:
        import charset_normalizer
    except ImportError:  # optional: it comes with requests, but flashpoint works without it
        charset_normalizer = None
    if charset_normalizer is not None and len(data) >= 16:
        best = charset_normalizer.from_bytes(data[:65536]).best()
        if best is not None and best.encoding and is_ascii_compatible(best.encoding):
            try:
                decoded = data.decode(best.encoding)
            except (UnicodeDecodeError, LookupError):
                decoded = None
            if decoded is not None:
                letters = [c for c in decoded if ord(c) > 127 and c.isalpha()]
                latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
                if letters and latin < len(letters) / 2:
                    return codecs.lookup(best.encoding).name
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def decode_fallback(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not valid UTF-8. RETURNS (str, str): the text and the encoding used."""
    encoding = guess_legacy_encoding(data)
    return data.decode(encoding, errors="replace"), encoding


def is_ascii_compatible(encoding: str) -> bool:
    """True when the encoding writes ASCII (and so newlines) as single ASCII bytes."""
    try:
        if codecs.lookup(encoding).name == "utf-8-sig":
            return True
        return b"\n" == "\n".encode(encoding) and b"a,{" == "a,{".encode(encoding)
    except (LookupError, UnicodeError):
        return False


# ---------------------------------------------------------------------------------------------- language

#: English passes when at least this share of its word tokens are common English function words.
ENGLISH_THRESHOLD = 0.20
#: another language is named when its function words make at least this share of the word tokens ...
FOREIGN_THRESHOLD = 0.10
#: ... and at least this many times the English share.
FOREIGN_MARGIN = 2.0
#: fewer word tokens than this: too short to judge, passes.
MIN_WORDS = 8
#: a language is named only when at least this many *different* function words of it occur (one-letter
#: words such as Polish "w" or Portuguese "o" also appear in tables of figures and abbreviations).
MIN_DISTINCT = 3
#: only the first this many characters are looked at.
SAMPLE_CHARS = 20_000

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to a in is that for it on with as was by at he she they we be this are from or have has "
        "had not but an his her their its which will would been were who there after about also than more "
        "into i you our can all if no one up out so what do over said".split()
    ),
    "fr": frozenset(
        "le la les de des du et est un une que qui dans pour pas par sur au aux avec ce il elle ils sont été "
        "mais ou plus ont se son sa ses leur cette nous vous à être était selon".split()
    ),
    "de": frozenset(
        "der die das und ist nicht mit den dem des ein eine einer zu von auf für sich auch es im sie wir wird "
        "werden hat haben aus bei nach oder aber wie noch über dass nur sind war".split()
    ),
    "es": frozenset(
        "el la los las de del y que en un una por con para es se no al lo como más pero sus su fue ha este "
        "esta son entre sobre también muy ya".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della che e è un una per con non sono si da al alla nel nella anche come più "
        "ma questo dei delle ha essere".split()
    ),
    "pt": frozenset(
        "o os a as de do da dos das e que em no na um uma para com não por se mais como foi ao à são seu "
        "sua também ele ela mas pelo pela".split()
    ),
    "nl": frozenset(
        "de het een en van is dat op te in met voor niet zijn er aan ook als door bij maar om naar werd "
        "wordt nog dan heeft hij zij".split()
    ),
    "sv": frozenset(
        "och att det som en på är av för med till den har de inte om ett var jag men vi kan sig från så "
        "eller också".split()
    ),
    "pl": frozenset(
        "i w na z że się nie do to jest jak o po co ale od za przez dla jego jej są być który która które "
        "oraz także".split()
    ),
    "tr": frozenset(
        "ve bir bu da de için ile ne olarak çok daha gibi olan kadar ancak sonra ama en her ise değil şu "
        "o ki".split()
    ),
    "id": frozenset(
        "yang dan di ke dari ini itu dengan untuk pada tidak dalam akan adalah juga oleh atau sudah telah "
        "karena bahwa mereka kami".split()
    ),
}

# (name, character class) for scripts other than Latin; the first whose letters dominate is reported
_SCRIPTS = (
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("cjk", re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")),
    ("devanagari", re.compile(r"[\u0900-\u097f]")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]")),
    ("armenian", re.compile(r"[\u0530-\u058f]")),
    ("georgian", re.compile(r"[\u10a0-\u10ff]")),
)
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")


def _script_language(script: str, sample: str) -> str:
    if script == "cyrillic":
        return "uk" if re.search(r"[іїєґІЇЄҐ]", sample) else "ru"
    if script == "cjk":
        if re.search(r"[\u3040-\u30ff]", sample):
            return "ja"
        if re.search(r"[\uac00-\ud7af]", sample):
            return "ko"
        return "zh"
    return {"greek": "el", "arabic": "ar", "hebrew": "he", "devanagari": "hi", "thai": "th",
            "armenian": "hy", "georgian": "ka"}[script]


def function_word_ratios(text: str) -> tuple[dict[str, float], dict[str, int], int]:
    """Share of each language's function words among the word tokens of ``text`` (sampled).

    RETURNS (tuple): {language: share of tokens}, {language: number of distinct function words seen},
        and the number of word tokens.
    """
    counts = collections.Counter(_WORD.findall(text[:SAMPLE_CHARS].lower()))
    n = sum(counts.values())
    shares: dict[str, float] = {}
    distinct: dict[str, int] = {}
    for lang, vocab in FUNCTION_WORDS.items():
        seen = [counts[w] for w in vocab if w in counts]
        shares[lang] = sum(seen) / n if n else 0.0
        distinct[lang] = len(seen)
    return shares, distinct, n


def guess_language(text: str) -> str | None:
    """Return a language code when ``text`` is clearly not English, else None (English or cannot tell).

    text (str): the article text.
    RETURNS (str | None): "fr", "de", "ru" ... or None. See the module docstring for the rule.
    """
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters >= 20:
        for script, pattern in _SCRIPTS:
            if len(pattern.findall(sample)) > 0.5 * letters:
                return _script_language(script, sample)
    shares, distinct, n = function_word_ratios(sample)
    if n < MIN_WORDS:
        return None
    english = shares.pop("en")
    if english >= ENGLISH_THRESHOLD:
        return None
    candidates = [(share, lang) for lang, share in shares.items() if distinct[lang] >= MIN_DISTINCT]
    if not candidates:
        return None
    share, lang = max(candidates)
    if share >= FOREIGN_THRESHOLD and share >= FOREIGN_MARGIN * english:
        return lang
    return None
