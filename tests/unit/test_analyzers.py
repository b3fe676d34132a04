"""The rule set against a table of notes, and the remote analyzers against real
loopback servers speaking the Ollama and OpenAI wire formats."""

from __future__ import annotations

import pytest

from adapters.analysis import OllamaAnalyzer, OpenAIAnalyzer, RulesAnalyzer
from adapters.memory import MemoryAnalysisRepository, MemoryItemRepository
from adapters.security import FixedClock
from core.analysis import AnalysisRequest, AnalysisService, checked_findings
from core.errors import InvalidInput, Unavailable, UpstreamFailed
from core.identity import Principal
from core.inspections import InspectionService, ItemCreate
from tests.fake_llm import GOOD_FINDINGS, fake_llm

C, M, m = "critical", "major", "minor"


@pytest.mark.parametrize(
    ("notes", "expected", "score", "risk"),
    [
        ("Walk-in cooler at 48°F.", [("3-501.16(A)(2)", C)], 75, "high"),
        ("Reach-in fridge holding at 7 °C", [("3-501.16(A)(2)", C)], 75, "high"),
        ("Walk-in cooler at 38 F, fine.", [], 100, "low"),
        ("Steam table soup at 120 F", [("3-501.16(A)(1)", C)], 75, "high"),
        ("Hot holding at 140F; cold holding at 4C.", [], 100, "low"),
        ("No soap at the hand sink.", [("6-301.11", C)], 75, "high"),
        ("Hand sink blocked by boxes of produce.", [("5-205.11", C)], 75, "high"),
        ("No paper towels at the hand sink", [("6-301.12", m)], 95, "low"),
        ("Mouse droppings behind the dry store shelving.", [("6-501.111", C)], 75, "high"),
        ("No evidence of pests.", [], 100, "low"),
        ("Raw chicken stored above the ready-to-eat salads.", [("3-302.11", M)], 90, "medium"),
        ("Found expired milk in the cooler.", [("3-501.17", M)], 90, "medium"),
        ("Several unlabeled containers of sauce.", [("3-602.11", m)], 95, "low"),
        ("No certified food protection manager on staff.", [("2-102.12", m)], 95, "low"),
        (
            "Cooler at 50F. Cockroaches under the sink. No soap. Raw beef over cooked rice. Expired cream.",
            [("3-501.16(A)(2)", C), ("6-301.11", C), ("6-501.111", C), ("3-302.11", M), ("3-501.17", M)],
            5,
            "high",
        ),
        ("Everything clean and in order.", [], 100, "low"),
    ],
)
async def test_the_rule_set(notes: str, expected: list[tuple[str, str]], score: int, risk: str) -> None:
    answer = await RulesAnalyzer().analyze(notes, context="", model=None)
    findings = checked_findings(answer, "rules")
    assert [(v.code, v.severity.value) for v in findings.violations] == expected
    assert findings.compliance_score == score and findings.risk.value == risk
    assert len(findings.corrective_actions) == len(expected)


@pytest.mark.parametrize("flavour", ["ollama", "openai"])
async def test_a_good_answer_becomes_findings(flavour: str) -> None:
    with fake_llm(flavour, "good") as server:
        analyzer = _analyzer(flavour, server.url)
        answer = await analyzer.analyze("Walk-in at 48F", context="Title: Bakery", model="tiny")
        await analyzer.close()
    findings = checked_findings(answer, flavour)
    assert findings.compliance_score == GOOD_FINDINGS["compliance_score"] and answer.model == "tiny"
    request = server.requests[0]
    if flavour == "ollama":
        assert request["path"] == "/api/chat" and request["payload"]["format"]["type"] == "object"
        assert request["payload"]["stream"] is False
    else:
        assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
        assert request["payload"]["response_format"]["type"] == "json_schema"
    assert "Walk-in at 48F" in request["payload"]["messages"][-1]["content"]


@pytest.mark.parametrize("flavour", ["ollama", "openai"])
async def test_a_slow_provider_times_out_as_unavailable(flavour: str) -> None:
    with fake_llm(flavour, "slow") as server:
        analyzer = _analyzer(flavour, server.url, timeout=0.5)
        with pytest.raises(Unavailable, match="timeout"):
            await analyzer.analyze("notes", context="", model=None)
        await analyzer.close()


@pytest.mark.parametrize("flavour", ["ollama", "openai"])
async def test_a_500_is_retried_then_succeeds(flavour: str) -> None:
    with fake_llm(flavour, "500", "good") as server:
        analyzer = _analyzer(flavour, server.url)
        answer = await analyzer.analyze("notes", context="", model=None)
        await analyzer.close()
    assert len(server.requests) == 2 and checked_findings(answer, flavour).risk.value == "high"


@pytest.mark.parametrize("flavour", ["ollama", "openai"])
async def test_persistent_500s_fail_as_upstream_errors(flavour: str) -> None:
    with fake_llm(flavour, "500", "500", "500") as server:
        analyzer = _analyzer(flavour, server.url, retries=2)
        with pytest.raises(UpstreamFailed, match="HTTP 500"):
            await analyzer.analyze("notes", context="", model=None)
        await analyzer.close()
    assert len(server.requests) == 3


@pytest.mark.parametrize("flavour", ["ollama", "openai"])
@pytest.mark.parametrize("behaviour", ["malformed", "not-json"])
async def test_malformed_model_output_is_a_clear_error_never_a_partial_result(flavour: str, behaviour: str) -> None:
    with fake_llm(flavour, behaviour) as server:
        analyzer = _analyzer(flavour, server.url)
        with pytest.raises(UpstreamFailed) as caught:
            checked_findings(await analyzer.analyze("notes", context="", model=None), flavour)
        await analyzer.close()
    assert flavour in caught.value.message


async def test_an_unreachable_provider_is_unavailable() -> None:
    analyzer = OllamaAnalyzer("http://127.0.0.1:9", model="x", retries=1, backoff=0.01)
    with pytest.raises(Unavailable, match="cannot be reached"):
        await analyzer.analyze("notes", context="", model=None)
    await analyzer.close()


async def test_openai_without_a_key_for_api_openai_com_is_unavailable() -> None:
    with pytest.raises(Unavailable, match="OPENAI_API_KEY"):
        await OpenAIAnalyzer("https://api.openai.com", model="gpt-4o-mini").analyze("notes", context="", model=None)


async def _service(server_url: str, *, fallback: bool) -> tuple[AnalysisService, int]:
    inspections = InspectionService(MemoryItemRepository(), FixedClock())
    item = await inspections.create(Principal(1, False), ItemCreate(title="Bakery"))
    analyzers = {"rules": RulesAnalyzer(), "ollama": OllamaAnalyzer(server_url, model="m", retries=0)}
    service = AnalysisService(analyzers, MemoryAnalysisRepository(), inspections, FixedClock(), fallback_to_rules=fallback)
    return service, item.id


async def test_fallback_to_rules_happens_only_when_configured_and_says_so() -> None:
    with fake_llm("ollama", "malformed", "malformed") as server:
        strict, item_id = await _service(server.url, fallback=False)
        with pytest.raises(UpstreamFailed):
            await strict.analyze_item(Principal(1, False), item_id, AnalysisRequest(notes="No soap.", provider="ollama"))
        lenient, item_id = await _service(server.url, fallback=True)
        stored = await lenient.analyze_item(Principal(1, False), item_id, AnalysisRequest(notes="No soap.", provider="ollama"))
    assert stored.provider == "rules" and stored.fallback_from == "ollama" and stored.violations[0].code == "6-301.11"


async def test_unknown_provider_is_invalid_input() -> None:
    service, item_id = await _service("http://127.0.0.1:9", fallback=False)
    service._analyzers.pop("ollama")
    with pytest.raises(InvalidInput):
        await service.analyze_item(Principal(1, False), item_id, AnalysisRequest(notes="x", provider="ollama"))


def _analyzer(flavour: str, url: str, *, timeout: float = 5.0, retries: int = 2):
    if flavour == "ollama":
        return OllamaAnalyzer(url, model="llama3.1", timeout=timeout, retries=retries, backoff=0.01)
    return OpenAIAnalyzer(url, model="gpt-test", api_key="sk-test", timeout=timeout, retries=retries, backoff=0.01)
