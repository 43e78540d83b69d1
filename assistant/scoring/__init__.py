"""Preliminary scoring (factory, park, supply chain) with a what-if gap plan."""

from assistant.scoring.engine import score_input
from assistant.scoring.models import ScoreResult
from assistant.scoring.prompts import IndicatorPrompt, next_indicators_to_ask

__all__ = ["IndicatorPrompt", "ScoreResult", "next_indicators_to_ask", "score_input"]
