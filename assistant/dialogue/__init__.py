"""Guided dialogue: intent → slot filling → eligibility/scoring/answers → cited Chinese reply."""

from .models import ChatTurn, DialogueState
from .turn import chat_turn, process_turn

__all__ = ["ChatTurn", "DialogueState", "chat_turn", "process_turn"]
