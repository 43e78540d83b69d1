"""Generated draft-report dataset for the report checker evaluation (rendered at eval time, not committed)."""
