"""Eligibility engine: rules from knowledge_base/eligibility applied to a profile."""

from .engine import evaluate, evaluate_profile, evaluate_requirement, match_category
from .models import Check, EligibilityResult, GapItem, Note
from .profile import Profile, accident_vocabulary, parse_profile

__all__ = [
    "Check",
    "EligibilityResult",
    "GapItem",
    "Note",
    "Profile",
    "accident_vocabulary",
    "evaluate",
    "evaluate_profile",
    "evaluate_requirement",
    "match_category",
    "parse_profile",
]
