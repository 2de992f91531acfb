#!/usr/bin/env python3
"""Generate hark's sample podcast: original interview scripts spoken by espeak-ng.

Usage: scripts/make-sample-podcast OUT_DIR [--base-url URL] [--check] [--force]

Reads the show settings (show.txt) and the episode scripts (episodeN.txt) next to this
file, synthesises every sentence separately with espeak-ng so the real duration of each
one is known from its sample count, lays the sentences out with fixed pauses, and writes
into OUT_DIR:

  feed.xml                 RSS 2.0 + iTunes + Podcasting 2.0 feed
  artwork.png              1400x1400 channel artwork
  episodeN.mp3             mono MP3 with ID3 tags
  episodeN.vtt             WebVTT transcript, <v Speaker> tags, one cue per sentence
  episodeN.chapters.json   Podcasting 2.0 chapters (version 1.2.0)
  episodeN.txt             exactly the words spoken, one line per speaker turn
  episodeN.segments.json   ground truth for tests: every sentence with speaker/times

Only the Python standard library is used; espeak-ng and ffmpeg/ffprobe are run with
argument lists. Text outputs are deterministic. Re-running into the same OUT_DIR reuses
MP3s whose inputs have not changed (see .sample-manifest.json). Every file is written to
a temporary name and renamed into place, so a partly written file never looks complete.
"""

from __future__ import annotations

import argparse
import array
import concurrent.futures
import contextlib
import datetime
import email.utils
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape, quoteattr

# Bump when a change here alters the audio or the timings, to invalidate cached MP3s.
GENERATOR_VERSION = "1"

HERE = Path(__file__).resolve().parent

PAUSE_TURN = 0.35      # silence between speaker turns
PAUSE_SENTENCE = 0.20  # silence between sentences of one turn
PAUSE_CLAUSE = 0.08    # silence between the pieces of a sentence split for a long cue
TAIL = 0.60            # silence at the end of an episode
EDGE_PAD = 0.02        # silence kept around each synthesised piece after trimming
TRIM_THRESHOLD = 256   # |sample| below this counts as silence when trimming
MAX_CUE = 8.0          # sentences longer than this are split at a clause boundary
MP3_BITRATE = "64k"
ARTWORK_SUBTITLE = "a hark sample podcast"

PODCAST_NS_GUID = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")  # Podcasting 2.0

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "u.s", "e.g", "i.e", "etc", "a.m", "p.m", "no"}


class SampleError(Exception):
    pass


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- input


@dataclass
class Voice:
    name: str
    speed: int = 165
    pitch: int = 50

    @staticmethod
    def parse(spec: str) -> "Voice":
        parts = spec.split()
        if not parts:
            raise SampleError("empty voice specification")
        v = Voice(parts[0])
        for p in parts[1:]:
            key, _, val = p.partition("=")
            if key == "speed":
                v.speed = int(val)
            elif key == "pitch":
                v.pitch = int(val)
            else:
                raise SampleError(f"unknown voice option {p!r} in {spec!r}")
        return v

    def key(self) -> str:
        return f"{self.name} s={self.speed} p={self.pitch}"


@dataclass
class Turn:
    speaker: str
    text: str
    chapter: str | None = None      # a chapter starts at this turn
    soundbite: str | None = None    # this turn is the episode's soundbite
    sentences: list[str] = field(default_factory=list)


@dataclass
class Episode:
    number: int
    source: Path
    meta: dict
    turns: list[Turn]

    @property
    def stem(self) -> str:
        return f"episode{self.number}"


def parse_header(lines: list[str], where: str) -> dict:
    meta: dict = {}
    for i, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, val = line.partition(":")
        if not sep:
            raise SampleError(f"{where}:{i}: expected 'key: value', got {line!r}")
        meta[key.strip()] = val.strip()
    return meta


def parse_show(path: Path) -> dict:
    meta = parse_header(path.read_text(encoding="utf-8").splitlines(), str(path))
    for k in ("title", "description", "author", "language", "host", "host_voice", "guid_seed"):
        if k not in meta:
            raise SampleError(f"{path}: missing '{k}'")
    return meta


def parse_episode(path: Path, number: int, show: dict) -> Episode:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    try:
        sep = next(i for i, l in enumerate(lines) if l.strip() == "---")
    except StopIteration:
        raise SampleError(f"{path}: missing '---' between header and dialogue") from None
    meta = parse_header(lines[:sep], str(path))
    for k in ("title", "description", "pubdate", "guest", "guest_voice"):
        if k not in meta:
            raise SampleError(f"{path}: missing '{k}'")
    speakers = {show["host"], meta["guest"]}
    turns: list[Turn] = []
    pending_chapter = pending_soundbite = None
    for i, raw in enumerate(lines[sep + 1:], sep + 2):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[(chapter|soundbite)\]\s*(.+)", line)
        if m:
            if m.group(1) == "chapter":
                pending_chapter = m.group(2).strip()
            else:
                pending_soundbite = m.group(2).strip()
            continue
        speaker, sepc, said = line.partition(": ")
        if not sepc or speaker not in speakers:
            raise SampleError(f"{path}:{i}: expected 'Speaker Name: text' with speaker in {sorted(speakers)}")
        if re.search(r"[<>&]", said):
            raise SampleError(f"{path}:{i}: please keep '<', '>' and '&' out of the dialogue")
        t = Turn(speaker, " ".join(said.split()), pending_chapter, pending_soundbite)
        t.sentences = split_sentences(t.text)
        turns.append(t)
        pending_chapter = pending_soundbite = None
    if not turns:
        raise SampleError(f"{path}: no dialogue")
    if turns[0].chapter is None:
        raise SampleError(f"{path}: the first line of dialogue must follow a [chapter] marker")
    if sum(1 for t in turns if t.soundbite) != 1:
        raise SampleError(f"{path}: exactly one [soundbite] marker expected")
    return Episode(number, path, meta, turns)


def split_sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a space and a capital/digit, except after abbreviations."""
    out, start = [], 0
    for m in re.finditer(r"[.!?]['\")]?\s+(?=[A-Z0-9\"'])", text):
        before = text[start:m.start() + 1].split()[-1].lower().rstrip(".")
        if text[m.start()] == "." and before in ABBREVIATIONS:
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def split_clause(text: str) -> tuple[str, str] | None:
    """Split a long sentence in two at the clause boundary nearest its middle."""
    mid = len(text) / 2
    cands = [m.end() for m in re.finditer(r"[,;:]\s+", text)]
    if not cands:
        cands = [m.start() + 1 for m in re.finditer(r"\s(?:and|but|because|which|so|then|while)\s", text)]
    cands = [c for c in cands if 8 < c < len(text) - 8]
    if not cands:
        return None
    c = min(cands, key=lambda c: abs(c - mid))
    return text[:c].strip(), text[c:].strip()


# --------------------------------------------------------------------------- tools


def require_tools() -> dict:
    tools = {}
    for name in ("espeak-ng", "ffmpeg", "ffprobe"):
        path = shutil.which(name)
        if not path:
            raise SampleError(f"{name} not found on PATH; run scripts/install-deps.sh")
        tools[name] = path
    return tools


def run(args: list[str], *, input: bytes | None = None) -> bytes:
    p = subprocess.run(args, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip()
        raise SampleError(f"{Path(args[0]).name} failed ({p.returncode}): {err[-800:]}")
    return p.stdout


def tool_version(tool: str) -> str:
    out = run([tool, "-version" if "ff" in Path(tool).name else "--version"])
    return out.decode("utf-8", "replace").splitlines()[0].strip()


# --------------------------------------------------------------------------- audio


def parse_wav(data: bytes) -> tuple[int, array.array]:
    """Parse espeak-ng's WAV (streamed to stdout, so the size fields are bogus)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SampleError("espeak-ng did not produce a WAV file")
    pos, rate = 12, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        body = pos + 8
        if cid == b"fmt ":
            fmt, channels = int.from_bytes(data[body:body + 2], "little"), int.from_bytes(data[body + 2:body + 4], "little")
            rate = int.from_bytes(data[body + 4:body + 8], "little")
            bits = int.from_bytes(data[body + 14:body + 16], "little")
            if (fmt, channels, bits) != (1, 1, 16):
                raise SampleError(f"unexpected WAV format from espeak-ng: fmt={fmt} ch={channels} bits={bits}")
            pos = body + size + (size & 1)
        elif cid == b"data":
            pcm = data[body:]
            pcm = pcm[: len(pcm) // 2 * 2]
            samples = array.array("h")
            samples.frombytes(pcm)
            if sys.byteorder != "little":
                samples.byteswap()
            if rate is None:
                raise SampleError("WAV data before fmt chunk")
            return rate, samples
        else:
            pos = body + size + (size & 1)
    raise SampleError("WAV without data chunk")


def trim(samples: array.array, rate: int) -> array.array:
    """Cut espeak-ng's leading/trailing silence, keeping EDGE_PAD of it on each side."""
    loud = [i for i, x in enumerate(samples) if x >= TRIM_THRESHOLD or x <= -TRIM_THRESHOLD]
    if not loud:
        raise SampleError("espeak-ng produced silence")
    pad = round(EDGE_PAD * rate)
    return samples[max(0, loud[0] - pad): min(len(samples), loud[-1] + 1 + pad)]


def synthesize(espeak: str, voice: Voice, text: str) -> tuple[int, array.array]:
    args = [espeak, "--stdout", "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch)]
    rate, samples = parse_wav(run(args, input=text.encode("utf-8")))
    return rate, trim(samples, rate)


@dataclass
class Unit:
    """One synthesised piece of audio = one VTT cue (a sentence or part of a long one)."""
    turn: int
    sentence: int
    piece: int
    text: str
    start: int = 0  # samples
    end: int = 0


@dataclass
class Layout:
    rate: int
    total: int
    units: list[Unit]


def synthesize_episodes(episodes: list[Episode], voices: dict, espeak: str, jobs: int) -> dict:
    """Synthesise every sentence of the given episodes. Returns {stem: (Layout, pcm)}."""
    cache: dict = {}

    def synth_all(keys):
        todo = [k for k in dict.fromkeys(keys) if k not in cache]
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            for k, res in zip(todo, pool.map(lambda k: synthesize(espeak, voices[k[0]], k[1]), todo)):
                cache[k] = res

    # pieces[(ep, turn, sentence)] -> list of texts; split until every piece is short enough
    pieces = {}
    for ep in episodes:
        for ti, t in enumerate(ep.turns):
            for si, s in enumerate(t.sentences):
                pieces[(ep.stem, ti, si)] = (t.speaker, [s])
    for _ in range(4):
        synth_all((spk, p) for spk, ps in pieces.values() for p in ps)
        changed = False
        for key, (spk, ps) in pieces.items():
            new = []
            for p in ps:
                rate, samples = cache[(spk, p)]
                halves = split_clause(p) if len(samples) / rate > MAX_CUE else None
                if halves:
                    new.extend(halves)
                    changed = True
                else:
                    new.append(p)
            pieces[key] = (spk, new)
        if not changed:
            break

    result = {}
    for ep in episodes:
        rates = {cache[(t.speaker, s)][0] for t in ep.turns for s in t.sentences}
        if len(rates) != 1:
            raise SampleError(f"espeak-ng voices disagree on the sample rate: {sorted(rates)}")
        rate = rates.pop()
        pcm = array.array("h")
        units: list[Unit] = []

        def silence(sec):
            pcm.extend(array.array("h", bytes(2 * round(sec * rate))))

        for ti, t in enumerate(ep.turns):
            if ti:
                silence(PAUSE_TURN)
            for si in range(len(t.sentences)):
                if si:
                    silence(PAUSE_SENTENCE)
                for pi, p in enumerate(pieces[(ep.stem, ti, si)][1]):
                    if pi:
                        silence(PAUSE_CLAUSE)
                    _, samples = cache[(t.speaker, p)]
                    u = Unit(ti, si, pi, p, start=len(pcm))
                    pcm.extend(samples)
                    u.end = len(pcm)
                    units.append(u)
        silence(TAIL)
        result[ep.stem] = (Layout(rate, len(pcm), units), pcm)
    return result


def write_wav(path: Path, rate: int, pcm: array.array) -> None:
    data = pcm.tobytes() if sys.byteorder == "little" else _swapped(pcm)
    hdr = b"RIFF" + (36 + len(data)).to_bytes(4, "little") + b"WAVE"
    hdr += b"fmt " + (16).to_bytes(4, "little") + (1).to_bytes(2, "little") + (1).to_bytes(2, "little")
    hdr += rate.to_bytes(4, "little") + (rate * 2).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
    hdr += b"data" + len(data).to_bytes(4, "little")
    path.write_bytes(hdr + data)


def _swapped(pcm: array.array) -> bytes:
    c = array.array("h", pcm)
    c.byteswap()
    return c.tobytes()


def encode_mp3(ffmpeg: str, wav: Path, out: Path, tags: dict) -> None:
    args = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav),
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            "-ac", "1", "-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-id3v2_version", "3"]
    for k, v in tags.items():
        args += ["-metadata", f"{k}={v}"]
    args += ["-f", "mp3", str(out)]
    run(args)


def probe_duration(ffprobe: str, path: Path) -> float:
    out = run([ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)])
    return float(out.decode().strip())


def make_artwork(ffmpeg: str, title: str, subtitle: str) -> bytes:
    return run([ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                artwork_graph(title, subtitle), "-frames:v", "1", "-fflags", "+bitexact", "-flags", "+bitexact",
                "-c:v", "png", "-f", "image2pipe", "-"])


def artwork_graph(title: str, subtitle: str) -> str:
    font = find_font()
    graph = "color=c=0x1d3557:s=1400x1400:d=1,format=rgb24"
    graph += ",drawbox=x=100:y=100:w=1200:h=1200:color=0xf4a261@1:t=24"
    if font:
        def dt(text, size, y, color):
            text = text.replace("\\", "\\\\").replace("'", "\u2019").replace(":", "\\:")
            return (f",drawtext=fontfile='{font}':text='{text}':fontsize={size}:fontcolor={color}"
                    f":x=(w-text_w)/2:y={y}")
        graph += dt(title, 130, "(h-text_h)/2-60", "0xf1faee") + dt(subtitle, 56, "(h)/2+110", "0xf4a261")
    return graph


def find_font() -> str | None:
    for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
              "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
              "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"):
        if os.path.exists(p):
            return p
    fc = shutil.which("fc-match")
    if fc:
        with contextlib.suppress(Exception):
            p = subprocess.run([fc, "-f", "%{file}", "sans:bold"], capture_output=True, text=True, timeout=10).stdout.strip()
            if p and os.path.exists(p) and "'" not in p and ":" not in p:
                return p
    return None


def check_alignment(ffmpeg: str, mp3: Path, layout: Layout) -> list[str]:
    """Decode the MP3 and verify speech inside cues and silence in the gaps between them."""
    raw = run([ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(mp3),
               "-f", "s16le", "-ac", "1", "-ar", str(layout.rate), "-"])
    dec = array.array("h")
    dec.frombytes(raw[: len(raw) // 2 * 2])
    problems = []
    if abs(len(dec) - layout.total) > layout.rate * 0.1:
        problems.append(f"decoded {len(dec)} samples, expected {layout.total}")

    def rms(a, b):
        a, b = max(0, a), min(len(dec), b)
        if b <= a:
            return 0.0
        return (sum(x * x for x in dec[a:b]) / (b - a)) ** 0.5

    ms = layout.rate // 1000
    for u in layout.units:
        if rms(u.start + 30 * ms, u.end - 30 * ms) < 300:
            problems.append(f"cue at {u.start / layout.rate:.3f}s looks silent: {u.text[:40]!r}")
    for a, b in zip(layout.units, layout.units[1:]):
        gap = b.start - a.end
        if gap >= 150 * ms and rms(a.end + 30 * ms, b.start - 30 * ms) > 150:
            problems.append(f"gap at {a.end / layout.rate:.3f}s is not silent")
    return problems


# --------------------------------------------------------------------------- text outputs


def ts_vtt(sec: float) -> str:
    ms = round(sec * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def ts_short(sec: float) -> str:
    s = int(sec)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


def ts_hms(sec: float) -> str:
    s = round(sec)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def secs(samples: int, rate: int) -> float:
    return round(samples / rate, 3)


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def episode_facts(ep: Episode, layout: Layout) -> dict:
    rate = layout.rate
    by_turn: dict[int, list[Unit]] = {}
    for u in layout.units:
        by_turn.setdefault(u.turn, []).append(u)
    chapters = [{"startTime": secs(by_turn[i][0].start, rate), "title": t.chapter}
                for i, t in enumerate(ep.turns) if t.chapter]
    sb_turn = next(i for i, t in enumerate(ep.turns) if t.soundbite)
    sb = {"startTime": secs(by_turn[sb_turn][0].start, rate),
          "duration": round((by_turn[sb_turn][-1].end - by_turn[sb_turn][0].start) / rate, 3),
          "title": ep.turns[sb_turn].soundbite}
    return {"chapters": chapters, "soundbite": sb, "duration": secs(layout.total, rate), "by_turn": by_turn}


def render_vtt(ep: Episode, layout: Layout) -> str:
    out = ["WEBVTT", "", f"NOTE {ep.meta['title']}", ""]
    for n, u in enumerate(layout.units, 1):
        spk = ep.turns[u.turn].speaker
        out += [str(n), f"{ts_vtt(u.start / layout.rate)} --> {ts_vtt(u.end / layout.rate)}",
                f"<v {spk}>{vtt_escape(u.text)}", ""]
    return "\n".join(out)


def render_chapters(facts: dict) -> str:
    return json.dumps({"version": "1.2.0", "chapters": facts["chapters"]}, indent=2, ensure_ascii=False) + "\n"


def render_script(ep: Episode) -> str:
    return "".join(t.text + "\n" for t in ep.turns)


def render_segments(ep: Episode, show: dict, layout: Layout, facts: dict) -> str:
    rate = layout.rate
    chapter_of_turn, ci = [], -1
    for t in ep.turns:
        ci += bool(t.chapter)
        chapter_of_turn.append(ci)
    sentences = []
    for ti, t in enumerate(ep.turns):
        units = facts["by_turn"][ti]
        for si, s in enumerate(t.sentences):
            us = [u for u in units if u.sentence == si]
            sentences.append({"turn": ti, "speaker": t.speaker, "chapter": chapter_of_turn[ti],
                              "start": secs(us[0].start, rate), "end": secs(us[-1].end, rate), "text": s})
    doc = {
        "episode": ep.number,
        "title": ep.meta["title"],
        "duration": facts["duration"],
        "speakers": [{"name": show["host"], "role": "host"}, {"name": ep.meta["guest"], "role": "guest"}],
        "chapters": facts["chapters"],
        "soundbite": facts["soundbite"],
        "sentences": sentences,
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def rfc822(s: str) -> str:
    dt = datetime.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=datetime.timezone.utc)
    return email.utils.format_datetime(dt)


def cdata(html: str) -> str:
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_feed(show: dict, episodes: list[Episode], facts: dict, sizes: dict, url) -> str:
    host = show["host"]
    e = xml_escape
    L = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<rss version="2.0"',
         '     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
         '     xmlns:podcast="https://podcastindex.org/namespace/1.0"',
         '     xmlns:content="http://purl.org/rss/1.0/modules/content/"',
         '     xmlns:atom="http://www.w3.org/2005/Atom">',
         '  <channel>',
         f'    <title>{e(show["title"])}</title>',
         f'    <link>{e(url(""))}</link>',
         f'    <atom:link href={quoteattr(url("feed.xml"))} rel="self" type="application/rss+xml"/>',
         f'    <description>{e(show["description"])}</description>',
         f'    <language>{e(show["language"])}</language>']
    if show.get("copyright"):
        L.append(f'    <copyright>{e(show["copyright"])}</copyright>')
    newest = max(episodes, key=lambda ep: ep.meta["pubdate"])
    L += [f'    <lastBuildDate>{rfc822(newest.meta["pubdate"])}</lastBuildDate>',
          f'    <generator>hark make-sample-podcast {GENERATOR_VERSION}</generator>',
          '    <image>',
          f'      <url>{e(url("artwork.png"))}</url>',
          f'      <title>{e(show["title"])}</title>',
          f'      <link>{e(url(""))}</link>',
          '    </image>',
          f'    <itunes:author>{e(show["author"])}</itunes:author>',
          f'    <itunes:summary>{e(show["description"])}</itunes:summary>',
          f'    <itunes:image href={quoteattr(url("artwork.png"))}/>',
          f'    <itunes:category text={quoteattr(show.get("category", "Science"))}/>',
          '    <itunes:explicit>false</itunes:explicit>',
          '    <itunes:type>episodic</itunes:type>',
          '    <itunes:owner>',
          f'      <itunes:name>{e(show["author"])}</itunes:name>',
          f'      <itunes:email>{e(show.get("owner_email", ""))}</itunes:email>',
          '    </itunes:owner>',
          f'    <podcast:guid>{uuid.uuid5(PODCAST_NS_GUID, show["guid_seed"])}</podcast:guid>',
          f'    <podcast:locked owner={quoteattr(show.get("owner_email", ""))}>no</podcast:locked>',
          '    <podcast:medium>podcast</podcast:medium>',
          f'    <podcast:person role="host" group="cast">{e(host)}</podcast:person>']
    for ep in sorted(episodes, key=lambda ep: ep.meta["pubdate"], reverse=True):
        f = facts[ep.stem]
        guest = ep.meta["guest"]
        notes = [f"<p>{e(ep.meta['description'])}</p>",
                 f"<p>Host: {e(host)}. Guest: {e(guest)}"
                 + (f", {e(ep.meta['guest_bio'])}" if ep.meta.get("guest_bio") else "") + ".</p>",
                 "<p>Chapters:</p>", "<ul>"]
        notes += [f"<li>[{ts_short(c['startTime'])}] {e(c['title'])}</li>" for c in f["chapters"]]
        notes += ["</ul>"]
        sb = f["soundbite"]
        L += ['    <item>',
              f'      <title>{e(ep.meta["title"])}</title>',
              f'      <guid isPermaLink="false">{uuid.uuid5(PODCAST_NS_GUID, show["guid_seed"] + "/" + ep.stem)}</guid>',
              f'      <pubDate>{rfc822(ep.meta["pubdate"])}</pubDate>',
              f'      <description>{e(ep.meta["description"])}</description>',
              f'      <content:encoded>{cdata("".join(notes))}</content:encoded>',
              f'      <enclosure url={quoteattr(url(ep.stem + ".mp3"))} length="{sizes[ep.stem]}" type="audio/mpeg"/>',
              f'      <itunes:title>{e(ep.meta["title"])}</itunes:title>',
              f'      <itunes:episode>{ep.number}</itunes:episode>',
              '      <itunes:episodeType>full</itunes:episodeType>',
              f'      <itunes:duration>{ts_hms(f["duration"])}</itunes:duration>',
              '      <itunes:explicit>false</itunes:explicit>',
              f'      <podcast:episode>{ep.number}</podcast:episode>',
              f'      <podcast:transcript url={quoteattr(url(ep.stem + ".vtt"))} type="text/vtt" language="en"/>',
              f'      <podcast:chapters url={quoteattr(url(ep.stem + ".chapters.json"))} type="application/json+chapters"/>',
              f'      <podcast:soundbite startTime="{sb["startTime"]:.3f}" duration="{sb["duration"]:.3f}">{e(sb["title"])}</podcast:soundbite>',
              f'      <podcast:person role="host" group="cast">{e(host)}</podcast:person>',
              f'      <podcast:person role="guest" group="cast">{e(guest)}</podcast:person>',
              '    </item>']
    L += ['  </channel>', '</rss>', '']
    return "\n".join(L)


# --------------------------------------------------------------------------- files


def atomic_write(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def cleanup(paths: list[Path]):
    """Remove temporary files that were not renamed into place (on error or interrupt)."""
    try:
        yield
    finally:
        for p in paths:
            with contextlib.suppress(OSError):
                p.unlink()


@contextlib.contextmanager
def locked(out: Path):
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(out / ".sample.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def layout_to_json(layout: Layout) -> dict:
    return {"rate": layout.rate, "total": layout.total,
            "units": [[u.turn, u.sentence, u.piece, u.text, u.start, u.end] for u in layout.units]}


def layout_from_json(d: dict) -> Layout:
    return Layout(d["rate"], d["total"], [Unit(*u) for u in d["units"]])


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make-sample-podcast", description="Generate hark's sample podcast.")
    ap.add_argument("out_dir", help="directory to write the podcast into (created if missing)")
    ap.add_argument("--base-url", help="URL the directory will be served at (default: file:// URLs)")
    ap.add_argument("--check", action="store_true", help="decode the MP3s and verify cue/silence alignment")
    ap.add_argument("--force", action="store_true", help="re-synthesise even if the MP3s are up to date")
    ap.add_argument("--jobs", type=int, default=max(2, min(8, os.cpu_count() or 2)), help="parallel espeak-ng processes")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    try:
        tools = require_tools()
        out = Path(args.out_dir).resolve()
        if out == HERE:
            raise SampleError("refusing to write into the script directory")
        out.mkdir(parents=True, exist_ok=True)

        show = parse_show(HERE / "show.txt")
        sources = sorted(HERE.glob("episode*.txt"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
        episodes = [parse_episode(p, int(re.sub(r"\D", "", p.stem)), show) for p in sources]
        if not episodes:
            raise SampleError(f"no episode scripts in {HERE}")
        voices = {show["host"]: Voice.parse(show["host_voice"])}
        for ep in episodes:
            voices[ep.meta["guest"]] = Voice.parse(ep.meta["guest_voice"])

        if args.base_url:
            base = args.base_url.rstrip("/")
            url = lambda name: f"{base}/{name}"  # noqa: E731
        else:
            url = lambda name: (out / name).as_uri() if name else out.as_uri() + "/"  # noqa: E731

        with locked(out):
            for stale in out.glob(".*.tmp-*"):  # left behind by an interrupted run
                with contextlib.suppress(OSError):
                    stale.unlink()
            manifest_path = out / ".sample-manifest.json"
            manifest = {}
            with contextlib.suppress(Exception):
                manifest = json.loads(manifest_path.read_text())
            tool_ids = [tool_version(tools["espeak-ng"]), tool_version(tools["ffmpeg"])]
            consts = [GENERATOR_VERSION, PAUSE_TURN, PAUSE_SENTENCE, PAUSE_CLAUSE, TAIL, EDGE_PAD,
                      TRIM_THRESHOLD, MAX_CUE, MP3_BITRATE]

            def episode_key(ep: Episode) -> str:
                h = hashlib.sha256()
                for part in [*map(str, consts), *tool_ids, ep.source.read_text(encoding="utf-8"),
                             show["title"], show["author"], show["host"], voices[show["host"]].key(),
                             voices[ep.meta["guest"]].key()]:
                    h.update(part.encode("utf-8") + b"\0")
                return h.hexdigest()

            layouts: dict[str, Layout] = {}
            todo = []
            for ep in episodes:
                m = manifest.get("episodes", {}).get(ep.stem)
                mp3 = out / f"{ep.stem}.mp3"
                if (not args.force and m and m.get("key") == episode_key(ep) and mp3.exists()
                        and mp3.stat().st_size == m.get("mp3_bytes")):
                    layouts[ep.stem] = layout_from_json(m["layout"])
                else:
                    todo.append(ep)

            new_manifest = {"generator": GENERATOR_VERSION, "episodes": dict(manifest.get("episodes", {}))}
            if todo:
                if not args.quiet:
                    log(f"make-sample-podcast: synthesising {', '.join(e.stem for e in todo)} with espeak-ng")
                synth = synthesize_episodes(todo, voices, tools["espeak-ng"], args.jobs)
                tmps: list[Path] = []
                with tempfile.TemporaryDirectory(prefix="hark-sample-") as tmpdir, cleanup(tmps):
                    def encode(ep):
                        layout, pcm = synth[ep.stem]
                        wav = Path(tmpdir) / f"{ep.stem}.wav"
                        write_wav(wav, layout.rate, pcm)
                        tmp = out / f".{ep.stem}.mp3.tmp-{os.getpid()}"
                        tmps.append(tmp)
                        encode_mp3(tools["ffmpeg"], wav, tmp, {
                            "title": ep.meta["title"], "artist": show["author"], "album": show["title"],
                            "album_artist": show["author"], "track": str(ep.number), "genre": "Podcast",
                            "date": ep.meta["pubdate"][:4],
                            "comment": f"Host: {show['host']}. Guest: {ep.meta['guest']}."})
                        return ep, layout, tmp
                    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
                        for ep, layout, tmp in pool.map(encode, todo):
                            os.replace(tmp, out / f"{ep.stem}.mp3")
                            layouts[ep.stem] = layout
                            new_manifest["episodes"][ep.stem] = {
                                "key": episode_key(ep), "mp3_bytes": (out / f"{ep.stem}.mp3").stat().st_size,
                                "layout": layout_to_json(layout)}
            # keep manifest entries for reused episodes as they were
            for ep in episodes:
                if ep not in todo:
                    new_manifest["episodes"][ep.stem] = manifest["episodes"][ep.stem]

            # artwork
            art_key = hashlib.sha256("\0".join(
                [GENERATOR_VERSION, tool_ids[1], artwork_graph(show["title"], ARTWORK_SUBTITLE)]).encode()).hexdigest()
            if args.force or manifest.get("artwork") != art_key or not (out / "artwork.png").exists():
                atomic_write(out / "artwork.png", make_artwork(tools["ffmpeg"], show["title"], ARTWORK_SUBTITLE))
            new_manifest["artwork"] = art_key

            # verify durations and write the text files
            facts, sizes, summary, problems = {}, {}, [], []
            for ep in episodes:
                layout = layouts[ep.stem]
                mp3 = out / f"{ep.stem}.mp3"
                f = facts[ep.stem] = episode_facts(ep, layout)
                sizes[ep.stem] = mp3.stat().st_size
                probed = probe_duration(tools["ffprobe"], mp3)
                if abs(probed - f["duration"]) > 0.1:
                    problems.append(f"{ep.stem}.mp3: ffprobe says {probed:.3f}s, layout says {f['duration']:.3f}s")
                if args.check:
                    problems += [f"{ep.stem}.mp3: {p}" for p in check_alignment(tools["ffmpeg"], mp3, layout)]
                atomic_write(out / f"{ep.stem}.vtt", render_vtt(ep, layout))
                atomic_write(out / f"{ep.stem}.chapters.json", render_chapters(f))
                atomic_write(out / f"{ep.stem}.txt", render_script(ep))
                atomic_write(out / f"{ep.stem}.segments.json", render_segments(ep, show, layout, f))
                summary.append((ep, f, probed, len(layout.units)))
            atomic_write(out / "feed.xml", render_feed(show, episodes, facts, sizes, url))
            atomic_write(manifest_path, json.dumps(new_manifest, indent=1, sort_keys=True) + "\n")

        if problems:
            for p in problems:
                log(f"make-sample-podcast: {p}")
            return 1
        if not args.quiet:
            print(f"Sample podcast '{show['title']}' in {out} ({time.monotonic() - t0:.1f}s"
                  + (", audio reused" if not todo else "") + ")")
            for ep, f, probed, ncues in summary:
                print(f"  {ep.stem}.mp3  {ts_short(f['duration'])} ({f['duration']:.2f}s, ffprobe {probed:.2f}s)  {len(f['chapters'])} chapters  "
                      f"{ncues} cues  guest {ep.meta['guest']}  \"{ep.meta['title']}\"")
            print(f"  feed: {out / 'feed.xml'}" + (f"  (served at {args.base_url.rstrip('/')}/feed.xml)" if args.base_url else ""))
            if args.check:
                print("  check: cue boundaries match speech and silence in the decoded MP3s")
        return 0
    except SampleError as e:
        log(f"make-sample-podcast: error: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
