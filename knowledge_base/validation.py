"""Load a YAML data file and validate it against a pydantic model, naming file and field on failure."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge_base.errors import KnowledgeBaseError

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: YAML syntax error: {exc}") from exc


def load_model(path: Path, model: type[ModelT], data: object | None = None) -> ModelT:
    """Validate ``path`` (or already-read ``data`` from it) as ``model``.

    Errors name the file and the dotted field path, e.g.
    ``rules/factory.yaml: items.3.clause: Field required``.
    """
    raw = read_yaml(path) if data is None else data
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()
        )
        raise KnowledgeBaseError(f"{path}: {problems}") from exc
