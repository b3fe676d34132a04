"""Analyses through HTTP, on PostgreSQL, with the rule set and a loopback Ollama."""

from __future__ import annotations

from adapters.analysis import OllamaAnalyzer, RulesAnalyzer
from tests.fake_llm import fake_llm
from tests.http.test_users_api import assert_error


def _item(api, headers) -> str:
    item = api.client.post("/api/v1/items/", json={"title": "Harbour Fish Bar"}, headers=headers).json()
    return f"/api/v1/items/{item['id']}/analyses"


def test_create_and_list_analyses(make_api) -> None:
    api = make_api("postgres")
    _, headers = api.user()
    url = _item(api, headers)
    created = api.client.post(url, json={"notes": "Walk-in cooler at 48 F. Mouse droppings in store."}, headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["provider"] == "rules" and body["risk"] == "high" and len(body["violations"]) == 2
    api.client.post(url, json={"notes": "All clean now.", "provider": "rules"}, headers=headers)
    listed = api.client.get(url, headers=headers).json()
    assert [a["notes"] for a in listed["items"]] == ["All clean now.", "Walk-in cooler at 48 F. Mouse droppings in store."]
    assert listed["total"] == 2 and listed["limit"] == 20


def test_analyses_of_someone_elses_item_are_404(make_api) -> None:
    api = make_api("postgres")
    _, ann = api.user()
    _, bob = api.user("bob@example.gov")
    url = _item(api, ann)
    assert_error(api.client.post(url, json={"notes": "x"}, headers=bob), 404, "not_found")
    assert_error(api.client.get(url, headers=bob), 404, "not_found")
    assert_error(api.client.get(url), 401, "authentication_failed")


def test_bad_requests_are_422(make_api) -> None:
    api = make_api("postgres")
    _, headers = api.user()
    url = _item(api, headers)
    for body in ({"notes": ""}, {"notes": "x", "provider": "gpt"}, {"notes": "x", "extra": 1}, {}):
        assert_error(api.client.post(url, json=body, headers=headers), 422, "validation_error")


def test_a_failing_provider_answers_503_or_502_never_invented_findings(make_api) -> None:
    with fake_llm("ollama", "malformed", "500", "500", "500") as server:
        analyzers = {"rules": RulesAnalyzer(), "ollama": OllamaAnalyzer(server.url, model="m", retries=2, backoff=0.01)}
        api = make_api("postgres", analyzers=analyzers)
        _, headers = api.user()
        url = _item(api, headers)
        bad = api.client.post(url, json={"notes": "x", "provider": "ollama"}, headers=headers)
        assert_error(bad, 502, "upstream_error")
        failing = api.client.post(url, json={"notes": "x", "provider": "ollama"}, headers=headers)
        assert_error(failing, 502, "upstream_error")
    unreachable = {"rules": RulesAnalyzer(), "ollama": OllamaAnalyzer("http://127.0.0.1:9", model="m", retries=0)}
    api = make_api("postgres", analyzers=unreachable)
    _, headers = api.user("c@example.gov")
    url = _item(api, headers)
    assert_error(api.client.post(url, json={"notes": "x", "provider": "ollama"}, headers=headers), 503, "unavailable")
    assert api.client.get(url, headers=headers).json()["total"] == 0
