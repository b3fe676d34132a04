"""Analyzers for the core's Analyzer port: the offline rule set and two LLM servers."""

from adapters.analysis.remote import OllamaAnalyzer, OpenAIAnalyzer
from adapters.analysis.rules import RulesAnalyzer

__all__ = ["OllamaAnalyzer", "OpenAIAnalyzer", "RulesAnalyzer"]
