"""Date phrases in news text, resolved against the article's publication date.

News text dates events relative to the day it was published: "on Thursday", "yesterday", "two days ago",
"December 17". This module finds such phrases and turns them into calendar dates with a one-line
explanation of how, so that ``flashpoint explain`` can show it. Rules (see docs/dates.md and the "Dates"
section of the gold guidelines):

- A weekday in a past-tense clause is the most recent such day on or before the publication date; in a
  future-tense clause (will, shall, going to, "next") it is the next such day on or after it.
- An explicit month and day without a year takes the year that fits the tense: in a past-tense clause a
  month-day after the publication date means the previous year.
- Phrases without a day ("last week", "in March", "in 2014", "three weeks ago") get ``date=None`` and the
  granularity says why (week, month, year).
- With no publication date every relative phrase resolves to None ("no publication date"); explicit dates
  with a year still resolve.

Finding is done by our own regular expressions (fast, and they catch what the statistical NER misses),
with the parser's DATE entities used to confirm bare month names ("in May" vs Theresa May) and as extra
candidates. ``dateparser`` is not used: it is about 60 times slower per phrase, resolves weekdays without
regard to tense and invents days for "last week" or "in March" (see docs/dates.md for the measurement).

    >>> import datetime as dt
    >>> resolve_phrase("on Thursday", dt.date(2021, 12, 24))[0]
    datetime.date(2021, 12, 23)

The spaCy component ``flashpoint_dates`` (stage ``flashpoint.dates.v1``) sets ``doc._.dates`` from
``doc._.pub_date``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

__all__ = ["DateMention", "find_dates", "resolve_phrase", "tense_of", "DateResolver", "GRANULARITIES"]

GRANULARITIES = ("day", "week", "month", "year", "unknown")

for _name in ("pub_date", "dates"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass
class DateMention:
    """A date phrase found in a text.

    text (str): the phrase as written, including a leading "on" ("on Thursday").
    start, end (int): character offsets into the Doc text ([start, end)).
    token_start, token_end (int): token span in the Doc.
    date (datetime.date | None): the resolved day; None for week/month/year phrases, ambiguous ones, or
        relative phrases without a publication date.
    granularity (str): "day" | "week" | "month" | "year" | "unknown".
    resolution (str): how the date was found, in words, for ``flashpoint explain``.
    """

    text: str
    start: int
    end: int
    token_start: int
    token_end: int
    date: dt.date | None
    granularity: str
    resolution: str


# --------------------------------------------------------------------------- vocabulary

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_FORMS = {
    1: ("January", "Jan"),
    2: ("February", "Feb"),
    3: ("March", "Mar"),
    4: ("April", "Apr"),
    5: ("May",),
    6: ("June", "Jun"),
    7: ("July", "Jul"),
    8: ("August", "Aug"),
    9: ("September", "Sept", "Sep"),
    10: ("October", "Oct"),
    11: ("November", "Nov"),
    12: ("December", "Dec"),
}
MONTHS: dict[str, int] = {}
for _num, _forms in _MONTH_FORMS.items():
    for _f in _forms:
        MONTHS[_f.lower()] = _num
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2,
}
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many")

# Capitalised words before a weekday that make it a name, not a date ("Good Friday", "Super Tuesday").
_WEEKDAY_NAME_PREFIXES = {"good", "black", "bloody", "super", "ash", "holy", "palm", "easter", "cyber", "maundy", "shrove", "giving"}
# Capitalised words after a weekday that make it a title ("Sunday Times", "Monday Night Football").
_WEEKDAY_NAME_SUFFIXES = {"times", "telegraph", "mirror", "express", "people", "post", "herald", "mail", "night", "world", "independent", "sport", "star", "observer", "today", "club", "league", "football", "morning"}

# Verbs whose infinitive complement lies ahead ("plans to meet on Friday", "is set to vote Tuesday").
_FUTURE_HEADS = {
    "go", "plan", "intend", "expect", "schedule", "set", "due", "prepare", "aim", "hope", "want", "seek",
    "propose", "poise", "about", "likely", "slate", "ready", "wish",
}
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
_PERFECT_MODAL_AUX = {"have", "'ve"}

# --------------------------------------------------------------------------- patterns

_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON_ALT = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_MON = r"(?P<mon>" + _MON_ALT + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_ON = r"(?:\b(?P<on>[Oo]n)\s+)?"
_END = r"(?![\w\d])"  # no letter/digit right after
_POSS = r"(?P<poss>['’]s)?"
_NUM = r"(?<![\w\d])(?P<num>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a\s+)?couple\s+of|(?:a\s+)?few|several|some|many)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "Thursday, Aug. 18, 2022", "Thursday, 18 August", "Thursday (Dec. 23)"
    ("weekday_date", re.compile(
        _ON + _WD + r",?\s+\(?"
        + r"(?:(?P<mon_a>" + _MON_ALT + r")\s+(?P<day_a>[0-3]?\d)(?:st|nd|rd|th)?"
        + r"|(?P<day_b>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon_b>" + _MON_ALT + r"))"
        + r"(?:,?\s+" + _YEAR + r")?\)?" + _END
    )),
    # "December 17", "Dec. 17, 2021", "Feb. 24 2022", "on Aug. 15, 2022"
    ("month_day", re.compile(_ON + _MON + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?" + _END + r"(?!\s*:\d)(?!\s*(?:%|per\s?cent))")),
    # "17 December", "24 February 2022", "the 17th of December"
    ("day_month", re.compile(_ON + r"(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?" + _END)),
    # "2022-02-24"
    ("iso", re.compile(_ON + r"(?<![\d-])" + _YEAR + r"-(?P<m>[01]\d)-(?P<day>[0-3]\d)" + _END + r"(?!-)")),
    # "12/17/2021", "17/12/21" (resolved only when unambiguous)
    ("numeric", re.compile(_ON + r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)?\d\d)" + _END + r"(?!/)")),
    # "12/17" (always refused as ambiguous; only via resolve_phrase, never found in running text)
    ("numeric_short", re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)" + _END + r"(?!/)")),
    # "on the 17th"
    ("ordinal", re.compile(r"\b(?P<on>[Oo]n)\s+the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)" + _END + r"(?!\s+(?:of\s+)?[a-z])")),
    # "March 2022", "in March 2022"
    ("month_year", re.compile(_MON + r",?\s+" + _YEAR + _END)),
    # "in March", "since May", "in early March", "last March"
    ("month", re.compile(
        r"(?P<cue>(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Dd]uring|[Ff]rom|[Bb]efore|[Aa]fter|[Tt]hrough|[Oo]f)\s+"
        r"(?:(?:early|late|mid-?)\s*)?"
        r"|(?:[Ee]arly|[Ll]ate|[Mm]id-?)\s*|(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?"
        r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December"
        r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)" + _END + r"(?!['’]s)"
    )),
    # "in 2014", "since 2014", "early 2022"
    ("year", re.compile(
        r"(?P<cue>[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Bb]efore|[Aa]fter|[Ff]rom|[Oo]f|[Ee]arly|[Ll]ate|[Mm]id-?)\s*"
        r"(?:(?:early|late|mid-?)\s*)?" + _YEAR + r"(?![\w%]|[.,]\d|\s*(?:%|per\s?cent))"
    )),
    # "today", "tonight", "yesterday", "tomorrow", "this morning", "last night", "earlier today"
    ("relative_day", re.compile(
        r"(?P<rel>(?:[Tt]he\s+day\s+before\s+yesterday|[Tt]he\s+day\s+after\s+tomorrow"
        r"|(?:(?:[Ee]arlier|[Ll]ater)\s+(?:on\s+)?)?(?:[Tt]oday|[Tt]onight)"
        r"|[Yy]esterday(?:\s+(?:morning|afternoon|evening))?|[Tt]omorrow(?:\s+(?:morning|afternoon|evening|night))?"
        r"|[Tt]his\s+(?:morning|afternoon|evening)|[Ll]ast\s+night|[Ee]arlier\s+this\s+(?:morning|afternoon|evening)))"
        + _POSS + _END
    )),
    # "last week", "earlier this week", "next month", "this year", "the past week", "over the weekend"
    ("relative_period", re.compile(
        r"(?P<rel>(?:(?:[Ee]arlier|[Ll]ater)\s+)?(?:[Tt]his|[Ll]ast|[Nn]ext|[Tt]he\s+past|[Tt]he\s+previous|[Tt]he\s+coming)\s+"
        r"(?P<unit>week|weekend|month|year)"
        r"|(?:[Ee]arlier|[Ll]ater)\s+in\s+the\s+(?P<unit2>week|month|year)"
        r"|(?:[Tt]he|[Tt]his)\s+(?P<unit3>weekend))" + _POSS + _END
    )),
    # "two days ago", "three weeks ago", "a few days ago"
    ("ago", re.compile(r"(?P<rel>" + _NUM + r"\s+(?P<unit>hours?|days?|weeks?|months?|years?)\s+ago)" + _END, re.IGNORECASE)),
    # "on Thursday", "last Thursday", "next Monday", "Thursday night", "Saturday's"
    ("weekday", re.compile(
        _ON + r"(?P<mod>(?:[Ll]ast|[Nn]ext|[Tt]his(?:\s+(?:past|coming))?|[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+(?:on\s+)?)?"
        + _WD + r"(?P<part>\s+(?:morning|afternoon|evening|night))?" + _POSS + _END
    )),
]
_BY_KIND = dict(_PATTERNS)
# patterns scanned over running text (numeric_short is too ambiguous: scores, fractions, 24/7)
_SCAN_KINDS = [k for k, _ in _PATTERNS if k != "numeric_short"]
_RELATIVE_KINDS = {"weekday", "relative_day", "relative_period", "ago", "ordinal", "month"}


# --------------------------------------------------------------------------- calendar helpers


def _month_num(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


# A month-day without a year is only read within this distance of the publication date.
_MAX_DAYS_FROM_PUB = 400


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not (dt.MINYEAR <= year <= dt.MAXYEAR) or not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return dt.date(year, month, day)


def _weekday_date(pub: dt.date, wd: int, rule: str) -> dt.date:
    """rule: on_or_before | before | on_or_after | after."""
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    if rule == "on_or_before":
        return pub - dt.timedelta(days=back)
    if rule == "before":
        return pub - dt.timedelta(days=back or 7)
    if rule == "on_or_after":
        return pub + dt.timedelta(days=ahead)
    return pub + dt.timedelta(days=ahead or 7)


def _infer_year(month: int, day: int, pub: dt.date, tense: str, weekday: int | None = None) -> tuple[dt.date | None, str]:
    """Pick the year of a month-day from the publication date and the tense."""
    cands = [
        d for y in (pub.year - 1, pub.year, pub.year + 1)
        if (d := _safe_date(y, month, day)) and abs((d - pub).days) <= _MAX_DAYS_FROM_PUB
    ]
    if not cands:
        return None, f"no {calendar.month_name[month]} {day} within a year of {pub.isoformat()}"
    if weekday is not None:
        fits = [d for d in cands if d.weekday() == weekday]
        if fits:
            best = min(fits, key=lambda d: abs((d - pub).days))
            return best, f"the year in which it falls on a {WEEKDAYS[weekday].title()}"
    if tense == "past":
        before = [d for d in cands if d <= pub]
        if before:
            best = max(before)
            why = "past tense: the latest one on or before " + pub.isoformat()
            if best.year != pub.year:
                why += " (the previous year)"
            return best, why
    if tense == "future":
        after = [d for d in cands if d >= pub]
        if after:
            best = min(after)
            why = "future tense: the next one on or after " + pub.isoformat()
            if best.year != pub.year:
                why += " (the next year)"
            return best, why
    best = min(cands, key=lambda d: abs((d - pub).days))
    return best, "present tense: the one nearest to " + pub.isoformat()


def _nearest_month(month: int, pub: dt.date, tense: str) -> int:
    """Year of a bare month name ("in March") given the tense."""
    if tense == "past":
        return pub.year if month <= pub.month else pub.year - 1
    if tense == "future":
        return pub.year if month >= pub.month else pub.year + 1
    return min((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs((y - pub.year) * 12 + month - pub.month))


def _phrase_tense(text: str, tense: str) -> str:
    """Words inside the phrase override the clause tense ("next Monday", "last Thursday", "ago")."""
    low = text.lower()
    if re.search(r"\b(next|tomorrow|coming)\b", low):
        return "future"
    if re.search(r"\b(last|yesterday|ago|past|previous)\b", low):
        return "past"
    return tense if tense in ("past", "present", "future") else "past"


# --------------------------------------------------------------------------- resolution

Result = tuple["dt.date | None", str, str]


def _no_pub(q: str, granularity: str = "day") -> Result:
    return None, granularity, f"{q}: no publication date to resolve a relative date against"


def _resolve_match(kind: str, m: re.Match[str], pub: dt.date | None, tense: str, cue: str | None = None) -> Result:
    try:
        return _resolve(kind, m, pub, tense, cue)
    except OverflowError:  # date arithmetic beyond year 1 or 9999
        return None, "unknown", f"'{m.group(0)}': the date falls outside the calendar (publication date {pub})"


def _resolve(kind: str, m: re.Match[str], pub: dt.date | None, tense: str, cue: str | None = None) -> Result:
    text = m.group(0)
    q = f"'{text}'"
    gd = m.groupdict()
    tense = _phrase_tense(text, tense)
    if cue in ("since", "as of") or (gd.get("cue") or "").lower() == "since":
        tense = "past"  # "since February 24", "as of Wednesday" look back from the publication date
    since = f" (start of a period: '{cue} ...')" if cue in ("since", "from") else f" (a state as of that day)" if cue == "as of" else ""

    if kind in ("month_day", "day_month", "weekday_date"):
        mon_word = gd.get("mon") or gd.get("mon_a") or gd.get("mon_b")
        day = int(gd.get("day") or gd.get("day_a") or gd.get("day_b"))
        month = _month_num(mon_word)
        wd = WEEKDAYS.index(gd["wd"].lower()) if gd.get("wd") else None
        if gd.get("year"):
            d = _safe_date(int(gd["year"]), month, day)
            if d is None:
                return None, "unknown", f"{q}: no such date ({calendar.month_name[month]} {day}, {gd['year']})"
            note = ""
            if wd is not None and d.weekday() != wd:
                note = f"; note: {d.isoformat()} is a {d.strftime('%A')}, not a {WEEKDAYS[wd].title()}"
            return d, "day", f"{q} is an explicit date = {d.isoformat()}{since}{note}"
        if pub is None:
            return None, "day", f"{q}: no publication date to infer the year from"
        d, why = _infer_year(month, day, pub, tense, wd)
        if d is None:
            return None, "unknown", f"{q}: {why}"
        return d, "day", f"{q} without a year, {why} = {d.isoformat()}{since}"

    if kind == "iso":
        d = _safe_date(int(gd["year"]), int(gd["m"]), int(gd["day"]))
        if d is None:
            return None, "unknown", f"{q}: no such date"
        return d, "day", f"{q} is an explicit ISO date = {d.isoformat()}{since}"

    if kind in ("numeric", "numeric_short"):
        a, b = int(gd["a"]), int(gd["b"])
        if kind == "numeric_short":
            return None, "unknown", (
                f"{q} is a numeric date without a year; month/day order and year are ambiguous, so it is not "
                "resolved (write 2021-12-17 or December 17)"
            )
        y = int(gd["y"])
        if y < 100:
            y += 2000
        if a > 12 and b <= 12:
            d, order = _safe_date(y, b, a), "day/month"
        elif b > 12 and a <= 12:
            d, order = _safe_date(y, a, b), "month/day"
        elif a == b:
            d, order = _safe_date(y, a, b), "day = month"
        else:
            return None, "unknown", f"{q}: numeric date with ambiguous month/day order (US or European?); not resolved"
        if d is None:
            return None, "unknown", f"{q}: no such date"
        return d, "day", f"{q} read as {order} (the only valid order) = {d.isoformat()}"

    if kind == "ordinal":
        day = int(gd["day"])
        if pub is None:
            return _no_pub(q)
        cands = []
        for k in (-2, -1, 0, 1, 2):
            y, mth = divmod(pub.month - 1 + k, 12)
            d = _safe_date(pub.year + y, mth + 1, day)
            if d:
                cands.append(d)
        if not cands:
            return None, "unknown", f"{q}: no month has a day {day}"
        if tense == "past" and (before := [d for d in cands if d <= pub]):
            d, why = max(before), f"past tense: the latest day {day} on or before {pub.isoformat()}"
        elif tense == "future" and (after := [d for d in cands if d >= pub]):
            d, why = min(after), f"future tense: the next day {day} on or after {pub.isoformat()}"
        else:
            d, why = min(cands, key=lambda c: abs((c - pub).days)), f"the day {day} nearest to {pub.isoformat()}"
        return d, "day", f"{q} (day of month only), {why} = {d.isoformat()}{since}"

    if kind in ("month_year", "month"):
        month = _month_num(gd["mon"])
        name = calendar.month_name[month]
        if gd.get("year"):
            return None, "month", f"{q} names a month ({name} {gd['year']}), not a day: event date left null"
        if pub is None:
            return _no_pub(q, "month")
        y = _nearest_month(month, pub, tense)
        return None, "month", f"{q} names a month ({name} {y}, {tense} tense), not a day: event date left null"

    if kind == "year":
        return None, "year", f"{q} names a year ({gd['year']}), not a day: event date left null"

    if kind == "relative_day":
        rel = re.sub(r"\s+", " ", gd["rel"].lower())
        if pub is None:
            return _no_pub(q)
        if "day before yesterday" in rel:
            off, word = -2, "the day before yesterday"
        elif "day after tomorrow" in rel:
            off, word = 2, "the day after tomorrow"
        elif "yesterday" in rel:
            off, word = -1, "yesterday"
        elif "tomorrow" in rel:
            off, word = 1, "tomorrow"
        elif "last night" in rel:
            off, word = -1, "last night (the evening before publication)"
        else:
            off, word = 0, rel
        d = pub + dt.timedelta(days=off)
        return d, "day", f"{q} = {word} relative to publication date {pub.isoformat()} = {d.isoformat()}"

    if kind == "relative_period":
        unit = (gd.get("unit") or gd.get("unit2") or gd.get("unit3")).lower()
        gran = "week" if unit in ("week", "weekend") else unit
        rel = re.sub(r"\s+", " ", gd["rel"].lower())
        if pub is None:
            return _no_pub(q, gran)
        if unit in ("week", "weekend"):
            monday = pub - dt.timedelta(days=pub.weekday())
            if "last" in rel or "previous" in rel or "past" in rel:
                monday -= dt.timedelta(days=7)
            elif "next" in rel or "coming" in rel:
                monday += dt.timedelta(days=7)
            span = f"the week of {monday.isoformat()}"
            if unit == "weekend":
                sat = monday + dt.timedelta(days=5)
                if rel.startswith("the ") and tense == "past" and sat > pub:
                    sat -= dt.timedelta(days=7)
                span = f"the weekend of {sat.isoformat()}"
        elif unit == "month":
            y, mth = pub.year, pub.month
            if "last" in rel or "previous" in rel or "past" in rel:
                y, mth = (y, mth - 1) if mth > 1 else (y - 1, 12)
            elif "next" in rel or "coming" in rel:
                y, mth = (y, mth + 1) if mth < 12 else (y + 1, 1)
            span = f"{calendar.month_name[mth]} {y}"
        else:
            y = pub.year - 1 if ("last" in rel or "previous" in rel or "past" in rel) else pub.year + 1 if ("next" in rel or "coming" in rel) else pub.year
            span = str(y)
        return None, gran, f"{q} = {span} ({gran}, no single day): event date left null"

    if kind == "ago":
        num_word = re.sub(r"\s+", " ", gd["num"].lower())
        unit = gd["unit"].lower().rstrip("s")
        if pub is None:
            return _no_pub(q, "day" if unit in ("day", "hour") else unit)
        if num_word in VAGUE_NUMBERS:
            gran = "week" if unit in ("day", "hour") else unit
            if unit == "hour":
                return pub, "day", f"{q}: hours before publication = {pub.isoformat()}"
            return None, gran, f"{q}: an unspecified number of {unit}s before {pub.isoformat()}: event date left null"
        n = int(num_word) if num_word.isdigit() else NUMBER_WORDS.get(num_word, NUMBER_WORDS.get(num_word.removeprefix("a "), 1))
        if unit == "hour":
            d = pub - dt.timedelta(days=1 if n >= 24 else 0)
            return d, "day", f"{q}: {n} hours before publication = {d.isoformat()} (the publication day unless >= 24 hours)"
        if unit == "day":
            d = pub - dt.timedelta(days=n)
            return d, "day", f"{q} = {pub.isoformat()} minus {n} day{'s' if n != 1 else ''} = {d.isoformat()}"
        return None, unit, f"{q}: about {n} {unit}{'s' if n != 1 else ''} before {pub.isoformat()} ({unit}, no single day): event date left null"

    if kind == "weekday":
        wd = WEEKDAYS.index(gd["wd"].lower())
        name = gd["wd"]
        if pub is None:
            return _no_pub(q)
        mod = (gd.get("mod") or "").strip().lower()
        if mod.startswith("last"):
            rule, how = "before", f"-> the {name} before {pub.isoformat()}"
        elif mod.startswith("next"):
            rule, how = "after", f"-> the {name} after {pub.isoformat()}"
        elif tense == "past" or mod in ("this past",):
            rule, how = "on_or_before", f"in past tense -> most recent {name} on/before {pub.isoformat()}"
        elif tense == "future" or mod.startswith("this"):
            rule, how = "on_or_after", f"in {tense} tense -> next {name} on/after {pub.isoformat()}"
        else:  # present tense: scheduled events ("a summit that starts Tuesday")
            rule, how = "on_or_after", f"in present tense (scheduled) -> next {name} on/after {pub.isoformat()}"
        d = _weekday_date(pub, wd, rule)
        return d, "day", f"{q} {how} = {d.isoformat()}{since}"

    return None, "unknown", f"{q}: not a date expression flashpoint resolves"


_ONE_WORD_CUES = ("since", "from", "until", "by")


def resolve_phrase(phrase: str, pub_date: dt.date | None, tense: str = "past") -> tuple[dt.date | None, str, str]:
    """Resolve one date phrase against a publication date.

    phrase (str): the phrase, e.g. "on Thursday", "Dec. 17", "two days ago", "since February 24".
    pub_date (datetime.date | None): the article's publication date (None: relative phrases give None).
    tense (str): "past" | "present" | "future": the tense of the clause the phrase belongs to.
    RETURNS (tuple): (date or None, granularity, resolution) where granularity is one of GRANULARITIES and
        resolution explains the result in one line.
    """
    if tense not in ("past", "present", "future"):
        raise ValueError(f'tense must be "past", "present" or "future" (got "{tense}")')
    text = re.sub(r"\s+", " ", (phrase or "").strip())
    if not text:
        return None, "unknown", "empty date phrase"
    cue = None
    low = text.lower()
    for c in ("as of", *_ONE_WORD_CUES):
        if low.startswith(c + " "):
            cue = c
            rest = text[len(c) + 1 :]
            # "since March" keeps its cue for the month pattern; others resolve the rest
            if not _BY_KIND["month"].fullmatch(text) and not _BY_KIND["year"].fullmatch(text):
                text = rest
            break
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m and _accept_bare(kind, m, None):
            return _resolve_match(kind, m, pub_date, tense, cue)
    # a longer phrase ("the morning of Feb. 24"): use the longest date pattern inside it
    best: tuple[int, str, re.Match[str]] | None = None
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not _accept_bare(kind, m, None):
                continue
            if best is None or len(m.group(0)) > best[0]:
                best = (len(m.group(0)), kind, m)
    if best is not None:
        return _resolve_match(best[1], best[2], pub_date, tense, cue)
    return None, "unknown", f"'{phrase.strip()}' is not a date expression flashpoint resolves"


def _accept_bare(kind: str, m: re.Match[str], confirmed: bool | None) -> bool:
    """Bare month names need a cue ("in May") or a DATE entity around them; May alone is a modal verb."""
    if kind != "month":
        return True
    if m.group("cue"):
        return True
    return bool(confirmed)


# --------------------------------------------------------------------------- tense


def tense_of(token: Token) -> str:
    """The tense of the clause headed by a verb token: "past" | "present" | "future".

    will/shall/'ll/won't, modals, "going to" and "plans/is set/is expected to" -> future;
    VBD, was/were/had/did + verb, has/have + VBN -> past; VBZ/VBP, is/are + verb -> present.
    Non-finite verbs (participle clauses, conjuncts without their own auxiliary) take the tense of the
    verb they hang on. Without a parse, or with no verb in reach, the answer is "past" (news default).
    """
    t = token
    for _ in range(6):
        aux = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
        lowers = {c.lower_ for c in aux}
        if lowers & _FUTURE_AUX:
            return "future"
        modal = [c for c in aux if c.tag_ == "MD"]
        if modal:
            return "past" if (lowers & _PERFECT_MODAL_AUX and t.tag_ == "VBN") else "future"
        if t.tag_ == "VB" and "to" in lowers and t.dep_ in ("xcomp", "ccomp", "advcl") and t.head.i != t.i:
            h = t.head
            if h.lemma_.lower() in _FUTURE_HEADS or h.lower_ in ("going", "gonna", "about", "due", "set", "poised", "slated", "scheduled", "expected"):
                head_tense = tense_of(h) if h is not t else "present"
                return "future" if head_tense != "past" else "past"
        if t.tag_ == "VBD":
            return "past"
        if t.tag_ == "MD":
            return "future"
        if any(c.tag_ == "VBD" for c in aux):
            return "past"
        if t.tag_ == "VBN" and any(c.lemma_ == "have" for c in aux):
            return "past"
        if t.tag_ in ("VBZ", "VBP"):
            return "present"
        if any(c.tag_ in ("VBZ", "VBP") for c in aux):
            return "present"
        if t.tag_ == "VBN" and t.dep_ in ("acl", "amod", "ROOT"):
            return "past"
        if t.dep_ in ("xcomp", "advcl", "conj", "ccomp", "acl", "relcl", "pcomp", "dep", "prep", "pobj", "npadvmod") and t.head.i != t.i:
            t = t.head
            continue
        break
    if t.tag_ in ("VBZ", "VBP"):
        return "present"
    return "past"


def _governing_verb(doc: Doc, token_start: int, token_end: int) -> Token | None:
    """The verb that a date phrase attaches to (through "on", nouns and prepositions)."""
    if not doc.has_annotation("DEP"):
        return None
    span = doc[token_start:token_end]
    head = span.root
    hops = 0
    while token_start <= head.i < token_end and head.head.i != head.i and hops < 4:
        head = head.head
        hops += 1
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i and hops < 10:
        head = head.head
        hops += 1
    if head.pos_ in ("VERB", "AUX"):
        return head
    return None


# --------------------------------------------------------------------------- finding


def _candidates(text: str, date_ents: list[tuple[int, int]], name_ents: list[tuple[int, int]]) -> list[tuple[int, int, str, re.Match[str]]]:
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind in _SCAN_KINDS:
        for m in _BY_KIND[kind].finditer(text):
            s, e = m.span()
            core = m.end("on") + 1 if m.groupdict().get("on") else s
            # inside a name ("USA Today", "World News Tonight", "the Act of 2022", "Theresa May")
            if any(a <= core and e <= b for a, b in name_ents) or (kind == "month" and any(a <= m.start("mon") < b for a, b in name_ents)):
                continue
            if kind == "month":
                in_date = any(a <= m.start("mon") and m.end("mon") <= b for a, b in date_ents)
                if not _accept_bare(kind, m, in_date):
                    continue
            if kind in ("weekday", "weekday_date") and _weekday_is_name(text, m):
                continue
            if kind == "relative_day" and _capitalised_in_name(text, m.start()):
                continue
            found.append((s, e, kind, m))
    # longest first, then leftmost: keep non-overlapping
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    for f in found:
        if all(f[1] <= c[0] or f[0] >= c[1] for c in chosen):
            chosen.append(f)
    chosen.sort(key=lambda f: f[0])
    return chosen


def _weekday_is_name(text: str, m: re.Match[str]) -> bool:
    before = text[: m.start("wd")].rstrip()
    prev = re.search(r"([A-Za-z]+)$", before)
    if prev and prev.group(1)[0].isupper() and prev.group(1).lower() in _WEEKDAY_NAME_PREFIXES and not m.group("on"):
        return True
    if re.search(r"\bMail\s+on\s*$", text[: m.start("wd")]):
        return True
    after = text[m.end("wd") :]
    nxt = re.match(r"\s+([A-Z][a-z]+)", after)
    if nxt and nxt.group(1).lower() in _WEEKDAY_NAME_SUFFIXES:
        return True
    return False


def _capitalised_in_name(text: str, start: int) -> bool:
    """'Today'/'Tonight' after a capitalised word inside a sentence is a title ("USA Today")."""
    if not text[start : start + 1].isupper():
        return False
    prev = re.search(r"([A-Za-z][\w.]*)\s+$", text[:start])
    return bool(prev and prev.group(1)[0].isupper())


def _cue_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 12) : start].lower()
    mm = re.search(r"(as of|since|from|until|by)\s+$", before)
    return mm.group(1) if mm else None


def find_dates(doc_or_span: Doc | Span, pub_date: dt.date | None) -> list[DateMention]:
    """Find and resolve the date phrases in a Doc or Span.

    doc_or_span (Doc | Span): parsed text (a Doc made by ``nlp.make_doc`` works too; tense is then "past").
    pub_date (datetime.date | None): publication date to resolve relative phrases against.
    RETURNS (list[DateMention]): mentions in text order; offsets point into the Doc.
    """
    pub_date = _as_date(pub_date)
    if isinstance(doc_or_span, Span):
        doc, base, text = doc_or_span.doc, doc_or_span.start_char, doc_or_span.text
        lo, hi = doc_or_span.start_char, doc_or_span.end_char
    else:
        doc, base, text = doc_or_span, 0, doc_or_span.text
        lo, hi = 0, len(doc_or_span.text)
    date_ents: list[tuple[int, int]] = []
    name_ents: list[tuple[int, int]] = []
    if doc.has_annotation("ENT_IOB"):
        for ent in doc.ents:
            if ent.end_char <= lo or ent.start_char >= hi:
                continue
            if ent.label_ in ("DATE",):
                date_ents.append((ent.start_char - base, ent.end_char - base))
            elif ent.label_ in ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "FAC"):
                name_ents.append((ent.start_char - base, ent.end_char - base))
    out: list[DateMention] = []
    for s, e, kind, m in _candidates(text, date_ents, name_ents):
        span = doc.char_span(s + base, e + base, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        core_start = span.start + (1 if m.groupdict().get("on") and len(span) > 1 else 0)
        verb = _governing_verb(doc, core_start, span.end)
        tense = tense_of(verb) if verb is not None else "past"
        cue = _cue_before(text, s)
        date, gran, why = _resolve_match(kind, m, pub_date, tense, cue)
        if verb is not None and kind in _RELATIVE_KINDS | {"month_day", "day_month", "weekday_date"} and pub_date is not None:
            why += f" [tense from '{verb.text}']"
        out.append(DateMention(m.group(0), s + base, e + base, span.start, span.end, date, gran, why))
    return out


def _as_date(value) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ValueError(f'publication date "{value}" is not an ISO date; expected e.g. 2021-12-24') from exc


# --------------------------------------------------------------------------- spaCy component


class DateResolver:
    """spaCy component: ``doc._.dates`` = find_dates(doc, doc._.pub_date)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.dates = find_dates(doc, doc._.pub_date)
        return doc


@Language.factory("flashpoint_dates", assigns=["doc._.dates"], default_config={})
def make_date_resolver(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Factory of the ``flashpoint.dates.v1`` stage."""
    return DateResolver()
