#!/usr/bin/env python3
"""Writes a realistic podcast feed for the parsing benchmark.

Usage: make_feed.py EPISODES OUT.xml

Each item has what real podcast feeds carry: title, guid, pubDate, enclosure, iTunes tags,
1-2 kB of HTML show notes in content:encoded (and a shorter description), a
podcast:transcript, podcast:chapters and a podcast:person. Deterministic (fixed seed), so
runs are comparable.
"""
import random
import sys
from email.utils import formatdate

WORDS = ("podcast episode guest interview story science history music city river market "
         "question answer research community library future energy climate design software "
         "language memory health garden kitchen travel ocean mountain festival").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def show_notes(rng, i):
    parts = [f"<h2>Episode {i}</h2>"]
    while sum(len(p) for p in parts) < rng.randint(1000, 2000):
        parts.append(f"<p>{sentence(rng, 18)} <a href=\"https://example.com/links/{i}?ref=notes&amp;x=1\">"
                     f"{sentence(rng, 3)}</a> <strong>{sentence(rng, 4)}</strong></p>")
    parts.append("<ul>" + "".join(f"<li>{sentence(rng, 6)}</li>" for _ in range(4)) + "</ul>")
    return "".join(parts)


def item(rng, i, t0):
    notes = show_notes(rng, i)
    date = formatdate(t0 - i * 7 * 86400, usegmt=True)
    secs = rng.randint(900, 7200)
    return f"""    <item>
      <title>Episode {i}: {sentence(rng, 5)[:-1]}</title>
      <guid isPermaLink="false">bench-{i:06d}-{rng.getrandbits(32):08x}</guid>
      <link>https://bench.example.com/episodes/{i}</link>
      <pubDate>{date}</pubDate>
      <description>{sentence(rng, 30)}</description>
      <content:encoded><![CDATA[{notes}]]></content:encoded>
      <enclosure url="https://cdn.bench.example.com/audio/{i}.mp3?updated={1700000000 + i}" length="{secs * 16000}" type="audio/mpeg"/>
      <itunes:duration>{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}</itunes:duration>
      <itunes:episode>{i}</itunes:episode>
      <itunes:season>{1 + i // 100}</itunes:season>
      <itunes:episodeType>full</itunes:episodeType>
      <itunes:explicit>false</itunes:explicit>
      <itunes:image href="https://cdn.bench.example.com/art/{i}.jpg"/>
      <podcast:transcript url="https://cdn.bench.example.com/transcripts/{i}.vtt" type="text/vtt" language="en"/>
      <podcast:chapters url="https://cdn.bench.example.com/chapters/{i}.json" type="application/json+chapters"/>
      <podcast:person role="guest" href="https://bench.example.com/people/{i}">Guest {i}</podcast:person>
    </item>
"""


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    t0 = 1735689600  # 2025-01-01
    with open(out, "w", encoding="utf-8") as f:
        f.write("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
  <channel>
    <title>The Benchmark Hour</title>
    <link>https://bench.example.com/</link>
    <description>A generated feed for measuring parsers.</description>
    <language>en</language>
    <itunes:author>Bench Team</itunes:author>
    <itunes:image href="https://cdn.bench.example.com/cover.jpg"/>
    <podcast:guid>bench-0000-0000</podcast:guid>
    <podcast:person role="host">Hannah Host</podcast:person>
""")
        for i in range(n, 0, -1):
            f.write(item(rng, i, t0))
        f.write("  </channel>\n</rss>\n")


if __name__ == "__main__":
    main()
