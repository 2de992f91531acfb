#!/usr/bin/env python3
"""Checks a running embeddings service over its HTTP API, and measures it.

  services/embeddings/check.py [--url URL] [--sample DIR] [--bench] [--model NAME]

1. Meaning: embeds "query: how does sleep help you remember things" and every speaker turn
   of the sample podcast (scripts/make-sample-podcast, made in DIR if missing) as
   "passage: ...", ranks the turns by cosine similarity and fails unless the turn where the
   guest explains how deep sleep replays the day into long-term memory ranks first.
2. --bench: throughput for batches of 32 passages of 60 words (OpenAI request, float JSON),
   and the latency of one short query (docs/PERFORMANCE.md).

Works against any OpenAI-compatible server of an e5 model (the prefixes are in the text);
for a model without prefixes pass --no-prefix. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QUERY = "how does sleep help you remember things"
# A phrase of the turn that must rank first (episode 1: the hippocampus and deep sleep).
EXPECTED = "moves the important parts into long-term storage"


def post(url: str, body: dict, timeout: float = 300) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)


def embed(base: str, model: str, texts: list[str]) -> list[list[float]]:
    d = post(f"{base}/v1/embeddings", {"model": model, "input": texts})
    assert d["object"] == "list" and len(d["data"]) == len(texts), d
    data = sorted(d["data"], key=lambda e: e["index"])
    assert [e["index"] for e in data] == list(range(len(texts)))
    return [e["embedding"] for e in data]


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def sample_texts(sample: str) -> list[str]:
    if not os.path.isfile(os.path.join(sample, "episode1.txt")):
        subprocess.run([os.path.join(ROOT, "scripts", "make-sample-podcast"), sample],
                       check=True, stdout=subprocess.DEVNULL)
    out = []
    for n in (1, 2, 3):
        with open(os.path.join(sample, f"episode{n}.txt"), encoding="utf-8") as f:
            out.append(f.read())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="base URL (default: scripts/embeddings-service url)")
    ap.add_argument("--sample", default="/tmp/sample-embeddings")
    ap.add_argument("--model", default="multilingual-e5-small")
    ap.add_argument("--no-prefix", action="store_true", help="send texts without e5 prefixes")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    base = args.url or subprocess.run([os.path.join(ROOT, "scripts", "embeddings-service"), "url"],
                                      check=True, capture_output=True, text=True).stdout.strip()
    base = base.rstrip("/")
    q_pre, p_pre = ("", "") if args.no_prefix else ("query: ", "passage: ")
    episodes = sample_texts(args.sample)

    turns = [line.strip() for ep in episodes for line in ep.splitlines() if len(line.split()) >= 8]
    vecs = embed(base, args.model, [q_pre + QUERY] + [p_pre + t for t in turns])
    dim = len(vecs[0])
    ranked = sorted(((cosine(vecs[0], v), t) for v, t in zip(vecs[1:], turns)), reverse=True)
    print(f"query: {QUERY!r} against {len(turns)} speaker turns ({dim} dimensions)")
    for i, (score, text) in enumerate(ranked[:5], 1):
        print(f"  {i}. {score:.4f}  {text[:90]}{'...' if len(text) > 90 else ''}")
    rank = next(i for i, (_, t) in enumerate(ranked, 1) if EXPECTED in t)
    ok = rank == 1
    print(f"expected turn ranks {rank}: {'PASS' if ok else 'FAIL'}")

    if args.bench:
        words = " ".join(episodes).split()
        passages = [" ".join(words[i:i + 60]) for i in range(0, len(words) - 59, 60)]
        batch = [p_pre + passages[i % len(passages)] for i in range(32)]
        embed(base, args.model, batch)                    # warm-up
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            embed(base, args.model, batch)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(f"batch of 32 passages x 60 words: median {med * 1000:.0f} ms over {args.rounds} "
              f"rounds (min {min(times) * 1000:.0f} ms) = {32 / med:.1f} passages/s")
        times = []
        for _ in range(max(args.rounds, 10)):
            t0 = time.perf_counter()
            embed(base, args.model, [q_pre + QUERY])
            times.append(time.perf_counter() - t0)
        print(f"one query: median {statistics.median(times) * 1000:.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
