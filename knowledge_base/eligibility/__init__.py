"""Eligibility rules (one YAML file per programme) and the dialogue lexicon, schema-validated at load."""

from .loader import (
    PROGRAMMES,
    EligibilityRules,
    load_dialogue_lexicon,
    load_eligibility_rules,
    load_rules_from,
)
from .schema import (
    ACCIDENT_GRADES,
    ACCIDENT_KINDS,
    Category,
    DialogueLexicon,
    EditionNote,
    ProgrammeRules,
    Requirement,
)

__all__ = [
    "ACCIDENT_GRADES",
    "ACCIDENT_KINDS",
    "PROGRAMMES",
    "Category",
    "DialogueLexicon",
    "EditionNote",
    "EligibilityRules",
    "ProgrammeRules",
    "Requirement",
    "load_dialogue_lexicon",
    "load_eligibility_rules",
    "load_rules_from",
]
