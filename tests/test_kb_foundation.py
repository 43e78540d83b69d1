from pathlib import Path

import pytest
from pydantic import BaseModel

from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.kb import KnowledgeBase
from knowledge_base.provenance import Provenance
from knowledge_base.validation import load_model


class _Item(BaseModel):
    id: str
    weight: float


class _File(BaseModel):
    items: list[_Item]


def test_broken_file_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("items:\n  - id: A\n    weight: 1\n  - id: B\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_model(path, _File)
    assert "rules.yaml" in str(err.value)
    assert "items.1.weight" in str(err.value)


def test_yaml_syntax_error_names_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("items: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"bad\.yaml"):
        load_model(path, _File)


def test_unconfirmed_provenance_is_labelled() -> None:
    confirmed = Provenance(source="GB/T 36132-2018", clause="4.3.1 a)", edition="GB2018", confirmed=True)
    partial = Provenance(source="T2018 模板", clause="基本要求第6条", edition="T2018", confirmed="partial")
    assert "待核实" not in confirmed.citation
    assert partial.citation.endswith("（待核实）")
    assert not partial.is_confirmed


def test_content_hash_changes_with_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    kb = KnowledgeBase(root=tmp_path)
    before = kb.content_hash()
    (tmp_path / "a.yaml").write_text("x: 2\n", encoding="utf-8")
    assert kb.content_hash() != before
