"""Scoring rules per programme (factory, park, supply chain) as validated data, plus provincial overrides."""

from knowledge_base.scoring.loader import apply_override, load_rules, parse_override, rules_path
from knowledge_base.scoring.models import PROGRAMMES, Indicator, Programme, RulesOverride, ScoringRules

__all__ = [
    "PROGRAMMES",
    "Indicator",
    "Programme",
    "RulesOverride",
    "ScoringRules",
    "apply_override",
    "load_rules",
    "parse_override",
    "rules_path",
]
