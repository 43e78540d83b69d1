"""The eligibility rule data: loads, keeps the reference ids, and a broken file names file + field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge_base.eligibility import (
    PROGRAMMES,
    load_dialogue_lexicon,
    load_eligibility_rules,
    load_rules_from,
)
from knowledge_base.eligibility.loader import RULES_DIR
from knowledge_base.errors import KnowledgeBaseError

REFERENCE_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


def test_all_programmes_load_with_reference_ids() -> None:
    rules = load_eligibility_rules()
    assert set(rules.programmes) == set(PROGRAMMES)
    factory_ids = set(rules.get("factory").requirement_ids)
    assert {f"BR-0{i}" for i in range(1, 9)} <= factory_ids
    assert {f"BR{i}" for i in range(1, 9)} | {"P1"} <= set(rules.get("park").requirement_ids)
    assert {f"BR{i}" for i in range(1, 8)} == set(rules.get("supply_chain").requirement_ids)
    assert "PC-01" in rules.get("product").requirement_ids


def test_factory_basic_requirement_text_matches_reference() -> None:
    reference = yaml.safe_load((REFERENCE_DIR / "green_factory.yaml").read_text(encoding="utf-8"))
    ref_items = {item["id"]: item for item in reference["basic_requirements"]["items"]}
    factory = load_eligibility_rules().get("factory")
    for requirement_id, item in ref_items.items():
        ours = factory.requirement(requirement_id)
        assert ours.text == item["requirement"]
        assert ours.clause == item["clause"]
        assert ours.veto is item["veto"]
        assert ours.confirmed == item["confirmed"]


def test_park_veto_flags_match_reference() -> None:
    reference = yaml.safe_load((REFERENCE_DIR / "green_park.yaml").read_text(encoding="utf-8"))
    park = load_eligibility_rules().get("park")
    for item in reference["basic_requirements"]["items"]:
        assert park.requirement(item["id"]).veto is item["veto"], item["id"]
    assert park.requirement("BR6").threshold == 2


def test_accident_thresholds_follow_editions() -> None:
    rules = load_eligibility_rules()
    assert rules.get("factory").requirement("BR-02").accident.min_veto_grade == "较大"
    assert rules.get("supply_chain").requirement("BR3").accident.min_veto_grade == "重大"
    assert rules.get("park").requirement("BR2").accident.min_veto_grade == "重大"


def test_every_question_is_plain_language() -> None:
    for programme in load_eligibility_rules().programmes.values():
        for req in programme.requirements:
            assert req.id not in req.question
            assert "BR" not in req.question


def test_lexicon_loads() -> None:
    lexicon = load_dialogue_lexicon()
    assert "园区" in lexicon.programme_synonyms["park"]


def test_broken_rule_file_names_file_and_field(tmp_path: Path) -> None:
    broken_dir = tmp_path / "rules"
    shutil.copytree(RULES_DIR, broken_dir)
    path = broken_dir / "park.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["requirements"][1]["clause"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as excinfo:
        load_rules_from(broken_dir)
    assert "park.yaml" in str(excinfo.value)
    assert "requirements.1.clause" in str(excinfo.value)


def test_accident_requirement_without_accident_block_is_rejected(tmp_path: Path) -> None:
    broken_dir = tmp_path / "rules"
    shutil.copytree(RULES_DIR, broken_dir)
    path = broken_dir / "factory.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for req in data["requirements"]:
        req.pop("accident", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"factory\.yaml"):
        load_rules_from(broken_dir)
