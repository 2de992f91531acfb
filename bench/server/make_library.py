#!/usr/bin/env python3
"""Writes N podcast feeds of M episodes each (RSS 2.0 + iTunes), deterministic, for the
server load test (bench/server/run.sh). Every enclosure points at one local audio file, so
`hark download` can fetch any episode without a network.

    make_library.py OUT_DIR AUDIO_FILE [--podcasts 100] [--episodes 1000]
"""
import argparse
import os
import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

WORDS = ("ocean garden memory habit market city river science history design music sleep "
         "language money energy health food travel coffee bridge forest planet story craft "
         "library engine school weather kitchen letter island mountain bicycle theatre").split()


def episode_xml(rng, p, e, audio_url, audio_size, when):
    topic = " ".join(rng.sample(WORDS, 3))
    title = f"Episode {e + 1}: On {topic}"
    desc = (f"In this episode of show {p + 1} we talk about {topic}. "
            + " ".join(rng.choice(WORDS) for _ in range(40)) + ".")
    return (f"<item><title>{escape(title)}</title>"
            f"<guid isPermaLink=\"false\">bench-{p}-{e}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{escape(desc)}</description>"
            f"<itunes:duration>{rng.randint(900, 5400)}</itunes:duration>"
            f"<enclosure url=\"{escape(audio_url)}\" length=\"{audio_size}\" type=\"audio/mpeg\"/>"
            "</item>\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("audio")
    ap.add_argument("--podcasts", type=int, default=100)
    ap.add_argument("--episodes", type=int, default=1000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    audio = os.path.abspath(args.audio)
    size = os.path.getsize(audio)
    rng = random.Random(20261127)
    start = datetime(2015, 1, 5, 6, 0, tzinfo=timezone.utc)
    for p in range(args.podcasts):
        path = os.path.join(args.out, f"show{p:03d}.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
                    f"<channel><title>Bench Show {p + 1}</title>"
                    f"<link>https://example.org/show{p}</link>"
                    f"<description>Generated show {p + 1} for the load test.</description>"
                    "<language>en</language>\n")
            for e in range(args.episodes):
                when = start + timedelta(days=e, hours=p % 24)
                f.write(episode_xml(rng, p, e, f"file://{audio}?ep={p}-{e}", size, when))
            f.write("</channel></rss>\n")
        print(path)


if __name__ == "__main__":
    main()
