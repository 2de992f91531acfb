"""What hark's local AI services (services/asr, llm, embeddings) share: OpenAI-style errors,
JSON request and response bodies, and running a threaded HTTP server that stops cleanly on
SIGTERM. Standard library only; each server.py puts this folder on sys.path to import it."""

from __future__ import annotations

import json
import logging
import signal
import threading
from http.server import BaseHTTPRequestHandler


class ApiError(Exception):
    """An error answered in OpenAI's shape: {"error": {"message", "type", "param", "code"}}."""

    def __init__(self, status: int, message: str, param: str | None = None,
                 code: str | None = None, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.kind = status, message, param, code, kind


def bad_request(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, message, param, code)


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler that speaks JSON. Subclasses set `log`, `server_version` and
    `max_body` (the largest request body read_json accepts)."""

    protocol_version = "HTTP/1.1"
    log = logging.getLogger("hark-service")
    max_body = 16 << 20

    def log_message(self, fmt, *args):  # one line per request, to the service's log
        self.log.info("%s %s", self.address_string(), fmt % args)

    def send_body(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status: int, obj) -> None:
        self.send_body(status, json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(),
                       "application/json")

    def send_error_json(self, err: ApiError, whisper_cpp: bool = False) -> None:
        if whisper_cpp:  # whisper.cpp's server answers {"error": "message"}
            self.send_json(err.status, {"error": err.message})
        else:
            self.send_json(err.status, {"error": {"message": err.message, "type": err.kind,
                                                  "param": err.param, "code": err.code}})

    def read_json(self) -> dict:
        """The request body as a JSON object, or an ApiError (400, or 413 over max_body)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ApiError(400, "bad Content-Length")
        if length <= 0:
            raise ApiError(400, "the request needs a JSON body")
        if length > self.max_body:
            raise ApiError(413, f"the body is over {self.max_body} bytes")
        try:
            req = json.loads(self.rfile.read(length))
        except (ValueError, UnicodeDecodeError) as e:
            raise ApiError(400, f"the body is not valid JSON: {e}")
        if not isinstance(req, dict):
            raise ApiError(400, "the body must be a JSON object")
        return req


def serve(server, log: logging.Logger, what: str) -> int:
    """Serves until SIGTERM or Ctrl-C, then closes the socket. Returns the exit status."""
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    host, port = server.server_address[:2]
    log.info("listening on http://%s:%d (%s)", host, port, what)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    log.info("stopped")
    return 0
