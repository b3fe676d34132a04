"""Loopback HTTP servers that speak the Ollama and OpenAI wire formats, for tests.
Each request takes the next scripted behaviour: a good answer, a slow one, a 500,
or malformed model output. Nothing leaves the machine."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_FINDINGS = {
    "summary": "Cold holding too warm in the walk-in cooler.",
    "violations": [{"code": "3-501.16(A)(2)", "description": "Walk-in cooler at 48 °F", "severity": "critical"}],
    "corrective_actions": ["Repair the cooler and discard affected food."],
    "risk": "high",
    "compliance_score": 75,
}


class FakeLLM:
    def __init__(self, flavour: str) -> None:
        self.flavour = flavour  # "ollama" or "openai"
        self.script: list[str] = []
        self.requests: list[dict] = []
        self.url = ""

    def answer(self, content: str, model: str) -> dict:
        if self.flavour == "ollama":
            return {"model": model, "message": {"role": "assistant", "content": content}, "done": True}
        return {"model": model, "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


@contextmanager
def fake_llm(flavour: str, *script: str) -> Iterator[FakeLLM]:
    """``script`` items: "good", "slow", "500", "malformed", "not-json", "tags"."""
    state = FakeLLM(flavour)
    state.script = list(script)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: dict | str) -> None:
            data = (json.dumps(body) if isinstance(body, dict) else body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/api/tags":
                self._send(200, {"models": [{"name": "llama3.1:latest"}, {"name": "qwen2.5:7b"}]})
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append({"path": self.path, "payload": payload, "auth": self.headers.get("Authorization")})
            behaviour = state.script.pop(0) if state.script else "good"
            model = payload.get("model", "unknown")
            if behaviour == "slow":
                time.sleep(2.0)
                behaviour = "good"
            if behaviour == "500":
                self._send(500, {"error": "model crashed"})
            elif behaviour == "malformed":
                bad = {**GOOD_FINDINGS, "compliance_score": 250, "risk": "catastrophic"}
                self._send(200, state.answer(json.dumps(bad), model))
            elif behaviour == "not-json":
                self._send(200, state.answer("Sure! Here are the findings: the cooler is warm.", model))
            else:
                self._send(200, state.answer(json.dumps(GOOD_FINDINGS), model))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
