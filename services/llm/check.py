#!/usr/bin/env python3
"""Checks a running language model service over OpenAI's chat API, and measures it.

  services/llm/check.py [--url URL] [--model NAME] [--sample DIR] [--rounds N] [--api-key-env VAR]

Sends a snip-style request like hark's: a system prompt asking for a JSON object
{title, summary, takeaways[], quote} about a 200-word excerpt of the sample podcast's first
interview (scripts/make-sample-podcast, made in DIR if missing), twice per round:

  json_schema  response_format {"type": "json_schema", ...} (OpenAI's structured outputs):
               must parse and hold every key, every round; this is what hark should send
  json_object  response_format {"type": "json_object"} with the shape in the prompt: must
               be valid JSON whenever the model stops by itself (finish_reason "stop"); a
               tiny model may drop a key or run into max_tokens, which is reported

then one streamed request for the time to the first token and the decoding speed. Exits
non-zero when a json_schema reply does not parse or lacks a key. Standard library only;
works against any OpenAI-compatible server (Ollama, llama-server, vLLM, OpenAI).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEYS = ("title", "summary", "takeaways", "quote")
SYSTEM = ("You write show notes for a moment of a podcast. Reply with one JSON object in exactly "
          "this form:\n"
          '{"title": "...", "summary": "...", "takeaways": ["...", "..."], "quote": "..."}\n'
          "title: at most 8 words. summary: one sentence. takeaways: 2 or 3 short points. "
          "quote: one sentence copied from the excerpt.")
SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 80},
        "summary": {"type": "string", "maxLength": 300},
        "takeaways": {"type": "array", "items": {"type": "string", "maxLength": 160},
                      "minItems": 2, "maxItems": 3},
        "quote": {"type": "string", "maxLength": 240},
    },
    "required": list(KEYS),
    "additionalProperties": False,
}


def request(url: str, body: dict, key: str | None, timeout: float = 600):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return urllib.request.urlopen(urllib.request.Request(
        f"{url}/chat/completions", json.dumps(body).encode(), headers), timeout=timeout)


def excerpt(sample: str, shift: int = 0) -> str:
    path = os.path.join(sample, "episode1.txt")
    if not os.path.isfile(path):
        subprocess.run([os.path.join(ROOT, "scripts", "make-sample-podcast"), sample],
                       check=True, stdout=subprocess.DEVNULL)
    with open(path, encoding="utf-8") as f:
        words = f.read().split()
    # The guest's answers about sleep and memory, 200 words; each round shifts the window so
    # that no request finds its prompt already evaluated (llama.cpp reuses a common prefix).
    return " ".join(words[60 + shift:260 + shift])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="base URL ending in /v1 (default: scripts/llm-service url + /v1)")
    ap.add_argument("--model", default="smollm2-135m-instruct")
    ap.add_argument("--sample", default="/tmp/sample-llm")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=400)
    ap.add_argument("--api-key-env", help="variable holding a bearer token (OpenAI)")
    args = ap.parse_args()
    url = args.url or subprocess.run([os.path.join(ROOT, "scripts", "llm-service"), "url"],
                                     check=True, capture_output=True, text=True).stdout.strip() + "/v1"
    url = url.rstrip("/")
    key = os.environ.get(args.api_key_env) if args.api_key_env else None
    def messages_for(shift: int) -> list[dict]:
        return [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": "Excerpt:\n" + excerpt(args.sample, shift)}]

    text = excerpt(args.sample)
    print(f"{url} model {args.model}: snip request, {len(text.split())}-word excerpt, "
          f"temperature 0.2, max_tokens {args.max_tokens}")
    formats = {
        "json_schema": {"type": "json_schema",
                        "json_schema": {"name": "snip", "strict": True, "schema": SCHEMA}},
        "json_object": {"type": "json_object"},
    }
    failed = False
    times, rates = [], []
    for rnd in range(args.rounds):
        messages = messages_for(7 * rnd)
        for name, fmt in formats.items():
            body = {"model": args.model, "messages": messages, "temperature": 0.2,
                    "max_tokens": args.max_tokens, "seed": rnd + 1, "response_format": fmt}
            t0 = time.perf_counter()
            with request(url, body, key) as r:
                out = json.load(r)
            dt = time.perf_counter() - t0
            choice, usage = out["choices"][0], out.get("usage", {})
            content = choice["message"]["content"]
            try:
                obj = json.loads(content)
                parsed = isinstance(obj, dict)
            except ValueError:
                obj, parsed = None, False
            missing = [k for k in KEYS if not parsed or k not in obj]
            verdict = "ok" if parsed and not missing else (
                "missing " + ",".join(missing) if parsed else "not JSON")
            if name == "json_schema" and verdict != "ok":
                failed = True
            if name == "json_schema":   # the first of the round: the whole prompt is evaluated
                times.append(dt)
                rates.append(usage.get("completion_tokens", 0) / dt)
            print(f"  round {rnd + 1} {name:11s} {dt:6.2f} s  prompt {usage.get('prompt_tokens')} "
                  f"+ completion {usage.get('completion_tokens')} tokens  "
                  f"finish {choice.get('finish_reason')}  -> {verdict}")
            if rnd == 0:
                print("    " + (json.dumps(obj, ensure_ascii=False) if parsed else content)[:400])

    # One streamed request: time to the first token (prompt evaluation) and decoding speed.
    body = {"model": args.model, "messages": messages_for(7 * args.rounds), "temperature": 0.2,
            "seed": 1,
            "max_tokens": args.max_tokens, "stream": True,
            "response_format": formats["json_schema"]}
    t0 = time.perf_counter()
    first, pieces = None, 0
    with request(url, body, key) as r:
        for line in r:
            line = line.strip()
            if not line.startswith(b"data: ") or line == b"data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if chunk.get("choices") and chunk["choices"][0].get("delta", {}).get("content"):
                pieces += 1
                if first is None:
                    first = time.perf_counter() - t0
    total = time.perf_counter() - t0
    print(f"json_schema snip, whole prompt evaluated: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}), median "
          f"{statistics.median(rates):.1f} completion tokens/s end to end")
    if first is not None and pieces > 1:
        print(f"stream: first token after {first:.2f} s (prompt evaluation), then "
              f"{(pieces - 1) / (total - first):.1f} tokens/s ({pieces} pieces in {total:.2f} s)")
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
