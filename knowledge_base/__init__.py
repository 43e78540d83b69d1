"""Policy facts as versioned, schema-validated data (the lowest layer: imports nothing of ours)."""

from pathlib import Path

KB_ROOT = Path(__file__).resolve().parent
