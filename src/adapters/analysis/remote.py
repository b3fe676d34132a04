"""Language-model analyzers over HTTP: Ollama's /api/chat and any OpenAI-compatible
/v1/chat/completions server. Both ask for JSON that fits the findings schema,
time out, retry connection errors and 5xx a bounded number of times with
backoff, and fail clearly: 503 when unreachable, 502 when the answer is bad."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import msgspec

from core.analysis import ModelFindings, ProviderAnswer
from core.errors import Unavailable, UpstreamFailed

#: The JSON schema the model's answer must fit (the core checks it again).
FINDINGS_SCHEMA = msgspec.json.schema(ModelFindings)
SYSTEM_PROMPT = (
    "You are a food-safety inspection assistant. Read the inspector's notes and report only what they "
    "support: never invent a violation. Answer with one JSON object with the keys summary, violations "
    "(each with code, description and severity: critical, major or minor; code is the FDA Food Code "
    "section when you know it, else null), corrective_actions, risk (low, medium or high) and "
    "compliance_score (0-100, 100 meaning no violations)."
)


def _flatten(schema: dict) -> dict:
    """Inline $refs: some servers do not follow references in a response schema."""
    definitions = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(definitions[node["$ref"].split("/")[-1]])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


FLAT_SCHEMA = _flatten(FINDINGS_SCHEMA)


def _user_message(notes: str, context: str) -> str:
    return (f"Inspection item:\n{context}\n\n" if context else "") + f"Inspector's notes:\n{notes}"


class _Remote:
    name = "remote"

    def __init__(self, base_url: str, *, model: str, timeout: float = 30.0, retries: int = 2, backoff: float = 0.5,
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.retries = retries
        self.backoff = backoff
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout), headers=headers or {})

    async def _post(self, path: str, payload: dict) -> dict:
        return await self._request("POST", path, payload)

    async def _request(self, method: str, path: str, payload: dict | None = None) -> dict:
        url = f"{self.base_url}{path}"
        for attempt in range(self.retries + 1):
            try:
                response = await self._client.request(method, url, json=payload)
            except httpx.TimeoutException as exc:
                # A timed-out generation is not retried: it would most likely time out again.
                raise Unavailable(f"The {self.name} provider did not answer within the timeout.") from exc
            except httpx.TransportError as exc:
                if attempt < self.retries:
                    await asyncio.sleep(self.backoff * 2**attempt)
                    continue
                raise Unavailable(f"The {self.name} provider at {self.base_url} cannot be reached.") from exc
            if response.status_code >= 500 and attempt < self.retries:
                await asyncio.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code >= 400:
                raise UpstreamFailed(
                    f"The {self.name} provider answered HTTP {response.status_code}: {_short(response.text)}"
                )
            try:
                return response.json()
            except ValueError as exc:
                raise UpstreamFailed(f"The {self.name} provider answered something that is not JSON.") from exc
        raise AssertionError("unreachable")

    async def close(self) -> None:
        await self._client.aclose()


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _document(content: Any, provider: str) -> Any:
    if not isinstance(content, str):
        raise UpstreamFailed(f"The {provider} provider's answer has no message content.")
    try:
        return json.loads(content)
    except ValueError as exc:
        raise UpstreamFailed(f"The {provider} provider's answer is not JSON: {_short(content)}") from exc


class OllamaAnalyzer(_Remote):
    """Ollama's chat API with a JSON-schema ``format`` (OLLAMA_BASE_URL, the seed's name)."""

    name = "ollama"

    async def analyze(self, notes: str, *, context: str = "", model: str | None = None) -> ProviderAnswer:
        chosen = model or self.model
        body = await self._post(
            "/api/chat",
            {
                "model": chosen,
                "stream": False,
                "format": FLAT_SCHEMA,
                "options": {"temperature": 0},
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": _user_message(notes, context)},
                ],
            },
        )
        message = body.get("message") if isinstance(body, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        return ProviderAnswer(document=_document(content, self.name), model=str(body.get("model") or chosen))

    async def models(self) -> list[str]:
        """The models the Ollama server has (``GET /api/tags``)."""
        body = await self._request("GET", "/api/tags")
        return sorted(m.get("name", "?") for m in body.get("models", []) if isinstance(m, dict))


class OpenAIAnalyzer(_Remote):
    """Any OpenAI-compatible chat-completions server (OpenAI, vLLM, llama.cpp, LM Studio)."""

    name = "openai"

    def __init__(self, base_url: str, *, model: str, api_key: str | None = None, **options: Any) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        super().__init__(base_url, model=model, headers=headers, **options)
        self._needs_key = "api.openai.com" in base_url and not api_key

    async def analyze(self, notes: str, *, context: str = "", model: str | None = None) -> ProviderAnswer:
        if self._needs_key:
            raise Unavailable("The openai provider needs OPENAI_API_KEY to reach api.openai.com.")
        chosen = model or self.model
        path = "/chat/completions" if self.base_url.endswith("/v1") else "/v1/chat/completions"
        body = await self._post(
            path,
            {
                "model": chosen,
                "temperature": 0,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "inspection_findings", "schema": FLAT_SCHEMA, "strict": True},
                },
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": _user_message(notes, context)},
                ],
            },
        )
        try:
            content = body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            content = None
        return ProviderAnswer(document=_document(content, self.name), model=str(body.get("model") or chosen))
