"""Load and validate the eligibility rule files (cached once per process)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.validation import load_model

from .schema import DialogueLexicon, Programme, ProgrammeRules

ELIGIBILITY_DIR = Path(__file__).resolve().parent
RULES_DIR = ELIGIBILITY_DIR / "rules"
DIALOGUE_FILE = ELIGIBILITY_DIR / "dialogue.yaml"
PROGRAMMES: tuple[Programme, ...] = ("factory", "park", "supply_chain", "product")


class EligibilityRules(BaseModel):
    model_config = ConfigDict(frozen=True)

    programmes: dict[str, ProgrammeRules]

    def get(self, programme: str) -> ProgrammeRules:
        return self.programmes[programme]


def load_rules_from(directory: Path) -> EligibilityRules:
    """Validate every programme file in ``directory``; errors name file and field."""
    loaded: dict[str, ProgrammeRules] = {}
    for programme in PROGRAMMES:
        path = directory / f"{programme}.yaml"
        rules = load_model(path, ProgrammeRules)
        if rules.programme != programme:
            raise KnowledgeBaseError(f"{path}: programme: expected '{programme}', found '{rules.programme}'")
        loaded[programme] = rules
    return EligibilityRules(programmes=loaded)


@lru_cache(maxsize=1)
def load_eligibility_rules() -> EligibilityRules:
    return load_rules_from(RULES_DIR)


@lru_cache(maxsize=1)
def load_dialogue_lexicon() -> DialogueLexicon:
    return load_model(DIALOGUE_FILE, DialogueLexicon)
