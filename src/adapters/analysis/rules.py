"""The offline default analyzer: a deterministic rule set for common food-code findings.

Each rule reads the notes sentence by sentence (split on . ; ! ? and line
breaks). A rule counts once however often it matches. Scoring: start at 100
and subtract 25 per critical, 10 per major and 5 per minor finding (never
below 0). Risk is high with any critical finding, medium with any major one or
a score under 85, otherwise low. Codes are sections of the FDA Food Code 2022.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.analysis import ProviderAnswer

RULESET = "food-code-rules/1"
WEIGHTS = {"critical": 25, "major": 10, "minor": 5}

_TEMPERATURE = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:°|º|deg(?:rees?)?\.?)?\s*([FC])\b", re.IGNORECASE)
_COLD = re.compile(r"cold[- ]?hold|fridge|refrigerat|cooler|walk[- ]?in|reach[- ]?in|chiller|freezer|salad bar|cold", re.I)
_HOT = re.compile(r"hot[- ]?hold|steam table|bain|warmer|hot well|heat lamp|hot[- ]?held|soup|hot", re.I)
_NEGATED = re.compile(r"\b(no|not|never|without|free of|none)\b(?:\W+\w+){0,3}\W*$", re.I)


def _fahrenheit(value: float, unit: str) -> float:
    return value if unit.upper() == "F" else value * 9 / 5 + 32


def _temperatures(sentence: str) -> list[tuple[float, str]]:
    """(°F, as written) for each temperature in the sentence."""
    return [(_fahrenheit(float(v), u), f"{v} °{u.upper()}") for v, u in _TEMPERATURE.findall(sentence)]


def _affirmed(pattern: re.Pattern[str], sentence: str) -> bool:
    """The pattern occurs in the sentence and is not just denied ("no evidence of pests")."""
    for match in pattern.finditer(sentence):
        if not _NEGATED.search(sentence[: match.start()]):
            return True
    return False


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    action: str
    check: Callable[[str], str | None]  # a sentence -> description of the violation, or None


def _cold(sentence: str) -> str | None:
    if not _COLD.search(sentence) or re.search(r"freez", sentence, re.I):
        return None
    too_warm = [written for f, written in _temperatures(sentence) if f > 41]
    return f"Cold holding at {too_warm[0]}, above 41 °F (5 °C)" if too_warm else None


def _hot(sentence: str) -> str | None:
    if not _HOT.search(sentence):
        return None
    too_cool = [written for f, written in _temperatures(sentence) if f < 135]
    return f"Hot holding at {too_cool[0]}, below 135 °F (57 °C)" if too_cool else None


def _pattern(pattern: str, description: str) -> Callable[[str], str | None]:
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda sentence: description if _affirmed(compiled, sentence) else None


def _absent(thing: str, description: str) -> Callable[[str], str | None]:
    """Matches "no soap", "soap missing", "out of soap", "soap dispenser empty"."""
    compiled = re.compile(
        rf"\b(no|without|lack(?:s|ing)?(?: of)?|out of)\s+((?!soap\b|paper\b|towels?\b)\w+\s+){{0,2}}(?:{thing})"
        rf"|(?:{thing})(\s+\w+){{0,2}}\s+"
        rf"(missing|empty|absent|not (available|provided|present|stocked)|unavailable|blocked|obstructed)",
        re.IGNORECASE,
    )
    return lambda sentence: description if compiled.search(sentence) else None


RULES: list[Rule] = [
    Rule("3-501.16(A)(2)", "critical", "Discard or rapidly chill affected food; repair or adjust the unit to hold at 41 °F (5 °C) or below and log temperatures.", _cold),
    Rule("3-501.16(A)(1)", "critical", "Reheat to 165 °F (74 °C) within 2 hours or discard; keep hot-held food at 135 °F (57 °C) or above.", _hot),
    Rule("5-205.11", "critical", "Provide an accessible hand-washing sink with hot and cold water; keep it clear and used only for hand washing.",
         _absent(r"hand[- ]?wash(ing)?\s*(sink|station|facilit\w*|basin)s?|hand[- ]?sinks?", "No usable hand-washing facility")),
    Rule("6-301.11", "critical", "Stock soap at every hand-washing sink and check dispensers each shift.",
         _absent(r"soap", "No soap at the hand-washing sink")),
    Rule("6-301.12", "minor", "Stock paper towels or a hand dryer at every hand-washing sink.",
         _absent(r"(paper )?towels|hand dryers?", "No means of drying hands")),
    Rule("6-501.111", "critical", "Call a licensed pest-control operator, remove the evidence, seal entry points and discard contaminated food.",
         _pattern(r"\b(mice|mouse|rodents?|rats?|droppings|cockroach(es)?|roach(es)?|infest\w*|pests?|flies)\b", "Evidence of pests")),
    Rule("3-302.11", "major", "Store raw animal food below and away from ready-to-eat food, ordered by cooking temperature.",
         _pattern(r"\braw\b[^.;]*\b(above|over|on top of)\b[^.;]*\b(ready[- ]to[- ]eat|rte|cooked|salad|produce|vegetables|fruit)",
                  "Raw animal food stored above ready-to-eat food")),
    Rule("3-501.17", "major", "Discard food past its date; date-mark ready-to-eat food held over 24 hours (7 days at 41 °F).",
         _pattern(r"\b(expired|out[- ]of[- ]date|past (its |the )?(use[- ]by|sell[- ]by|best[- ]before|expiry|expiration)( date)?)\b",
                  "Expired food on the premises")),
    Rule("3-602.11", "minor", "Label every container with the food's common name, and date-mark prepared food.",
         _pattern(r"\b(unlabel+ed|not label+ed|no labels?|missing labels?|undated)\b", "Unlabeled or undated food")),
    Rule("2-102.12", "minor", "Employ at least one certified food protection manager on staff.",
         _absent(r"certified food (protection )?manager|food manager cert\w*|cfpm", "No certified food protection manager")),
]

_SENTENCES = re.compile(r"[.;!?\n]+")


def findings_for(notes: str) -> dict:
    """The rule set's findings for notes, as a document in the findings format."""
    sentences = [s.strip() for s in _SENTENCES.split(notes.replace("°.", "°")) if s.strip()]
    violations, actions = [], []
    for rule in RULES:
        for sentence in sentences:
            description = rule.check(sentence)
            if description:
                violations.append({"code": rule.code, "description": description, "severity": rule.severity})
                actions.append(rule.action)
                break
    score = max(0, 100 - sum(WEIGHTS[v["severity"]] for v in violations))
    if any(v["severity"] == "critical" for v in violations):
        risk = "high"
    elif any(v["severity"] == "major" for v in violations) or score < 85:
        risk = "medium"
    else:
        risk = "low"
    if violations:
        summary = f"{len(violations)} violation(s) found: " + "; ".join(v["description"] for v in violations) + "."
    else:
        summary = "The rule set found no violations in these notes."
    return {"summary": summary, "violations": violations, "corrective_actions": actions, "risk": risk,
            "compliance_score": score}  # fmt: skip


class RulesAnalyzer:
    """Deterministic and offline; the default provider."""

    name = "rules"

    async def analyze(self, notes: str, *, context: str = "", model: str | None = None) -> ProviderAnswer:
        return ProviderAnswer(document=findings_for(notes), model=RULESET)
