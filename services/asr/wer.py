#!/usr/bin/env python3
"""Word error rate of a transcript against a reference, after normalising both the same way.

    python3 services/asr/wer.py REFERENCE HYPOTHESIS [--json] [--diff]

REFERENCE and HYPOTHESIS are text files; a HYPOTHESIS (or REFERENCE) that is JSON with a
"text" field (an OpenAI json/verbose_json or whisper.cpp answer) is read for that field.
Prints e.g. "WER 6.21% (S 21, D 9, I 8 / N 612 reference words)"; --json prints the counts
as JSON, --diff prints the aligned errors. Exit status 0 (the WER is data, not a verdict).

Normalisation (both sides): Unicode quotes and dashes folded; "Dr." -> doctor, "Mr." ->
mister, "Mrs." -> missus, "St." -> saint; acronyms spoken letter by letter ("U.S.", "US",
"REM", "U S") -> single letters; numbers -> words ("3.5" -> three point five, "20" ->
twenty, "1,000" -> one thousand, "5%" -> five percent, "3rd" -> third); common contractions
expanded ("I'm" -> i am); hyphens split words; other punctuation dropped; fillers (uh, um,
hmm) dropped; lower case. These are the ways espeak-ng's reading of the sample podcast's
scripts and Whisper's spelling of the same words differ without either being wrong.

Pure standard library: importable by tests (normalize(), wer()).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]
ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
            "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}

# Acronyms read letter by letter (matched case-sensitively, before lower-casing).
SPELLED = {"US", "USA", "UK", "EU", "REM", "BBC", "DNA", "MRI", "CEO", "TV", "FM", "AM", "PM",
           "AI", "PhD", "GPS", "CO2", "ADHD", "IQ"}
ABBREVIATIONS = {"dr": "doctor", "mr": "mister", "mrs": "missus", "ms": "miz", "st": "saint",
                 "prof": "professor", "vs": "versus", "etc": "et cetera", "jr": "junior",
                 "sr": "senior", "approx": "approximately"}
CONTRACTIONS = [
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"),
    (r"\blet's\b", "let us"), (r"\bain't\b", "is not"), (r"\by'all\b", "you all"),
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'ll\b", " will"), (r"'ve\b", " have"),
    (r"'m\b", " am"), (r"'d\b", " would"),
    (r"\b(it|that|what|there|here|who|where|how|he|she)'s\b", r"\1 is"),
]
FILLERS = {"uh", "um", "umm", "hmm", "mm", "mhm", "er", "ah", "eh"}


def int_to_words(n: int) -> str:
    if n < 0:
        return "minus " + int_to_words(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + int_to_words(rest))
    for value, name in SCALES:
        if n >= value:
            rest = n % value
            return (int_to_words(n // value) + " " + name +
                    ("" if rest == 0 else " " + int_to_words(rest)))
    raise AssertionError(n)


def ordinal_words(n: int) -> str:
    words = int_to_words(n).split()
    last = words[-1]
    if last in ORDINALS:
        words[-1] = ORDINALS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " ".join(words)


def number_to_words(token: str) -> str:
    token = token.replace(",", "")
    if "." in token:
        whole, frac = token.split(".", 1)
        head = int_to_words(int(whole)) if whole else "zero"
        return head + " point " + " ".join(ONES[int(d)] for d in frac)
    return int_to_words(int(token))


def _spell(match: re.Match) -> str:
    return " " + " ".join(ch for ch in match.group(0) if ch.isalnum()) + " "


def normalize(text: str) -> list[str]:
    """Returns the normalised words of `text` (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u2014", " ").replace("\u2013", " "))
    # Dotted acronyms (U.S., U.K., a.m.) and known all-caps ones (REM, US) -> letters.
    text = re.sub(r"\b(?:[A-Za-z]\.){2,}", _spell, text)
    text = re.sub(r"\b(" + "|".join(sorted(SPELLED, key=len, reverse=True)) + r")\b", _spell, text)
    text = text.lower()
    # Abbreviations with a full stop: "dr." -> doctor (only before a capitalised/any word).
    text = re.sub(r"\b(" + "|".join(ABBREVIATIONS) + r")\.(?=\s)",
                  lambda m: ABBREVIATIONS[m.group(1)], text)
    text = re.sub(r"\bdr\b", "doctor", text)
    text = re.sub(r"\bok\b", "okay", text)
    # Numbers: percentages, ordinals, decimals, thousands separators.
    text = re.sub(r"(\d[\d,]*(?:\.\d+)?)\s*%", lambda m: m.group(1) + " percent", text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: ordinal_words(int(m.group(1))), text)
    text = re.sub(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+",
                  lambda m: " " + number_to_words(m.group(0)) + " ", text)
    for pattern, repl in CONTRACTIONS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"[-/]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    return [w for w in text.split() if w not in FILLERS]


def align(ref: list[str], hyp: list[str]):
    """Levenshtein alignment; returns a list of (op, ref_word, hyp_word), op in = S D I."""
    n, m = len(ref), len(hyp)
    # cost[i][j] = edits turning ref[:i] into hyp[:j]
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i
    for j in range(1, m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        ri, row, prev = ref[i - 1], cost[i], cost[i - 1]
        for j in range(1, m + 1):
            sub = prev[j - 1] + (ri != hyp[j - 1])
            row[j] = min(sub, prev[j] + 1, row[j - 1] + 1)
    ops = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            ops.append(("=" if ref[i - 1] == hyp[j - 1] else "S", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            ops.append(("D", ref[i - 1], None))
            i -= 1
        else:
            ops.append(("I", None, hyp[j - 1]))
            j -= 1
    ops.reverse()
    return ops


def wer(reference: str, hypothesis: str) -> dict:
    """WER of `hypothesis` against `reference` (raw texts; both are normalised here)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    ops = align(ref, hyp)
    counts = {op: sum(1 for o in ops if o[0] == op) for op in "=SDI"}
    n = len(ref)
    errors = counts["S"] + counts["D"] + counts["I"]
    return {"wer": errors / n if n else float(bool(hyp)), "substitutions": counts["S"],
            "deletions": counts["D"], "insertions": counts["I"], "hits": counts["="],
            "reference_words": n, "hypothesis_words": len(hyp), "ops": ops}


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        data = f.read()
    stripped = data.lstrip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(data)
        except json.JSONDecodeError:
            return data
        if isinstance(obj, dict) and isinstance(obj.get("text"), str):
            return obj["text"]
    return data


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Word error rate after normalisation.")
    p.add_argument("reference")
    p.add_argument("hypothesis")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.add_argument("--diff", action="store_true", help="print each error in context")
    args = p.parse_args(argv)
    r = wer(read_text(args.reference), read_text(args.hypothesis))
    ops = r.pop("ops")
    if args.json:
        print(json.dumps(r))
    else:
        print(f"WER {100 * r['wer']:.2f}% (S {r['substitutions']}, D {r['deletions']}, "
              f"I {r['insertions']} / N {r['reference_words']} reference words; "
              f"{r['hypothesis_words']} hypothesis words)")
    if args.diff:
        for op, rw, hw in ops:
            if op == "S":
                print(f"  S  {rw} -> {hw}")
            elif op == "D":
                print(f"  D  {rw}")
            elif op == "I":
                print(f"  I  {hw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
