"""Report templates: all seven types load, ids are stable, provenance is complete, broken files are named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.report_templates import REPORT_TYPES, TEMPLATES_DIR, load_report_templates, load_template


def test_all_seven_report_types_load() -> None:
    templates = load_report_templates()
    assert set(templates) == set(REPORT_TYPES)
    for template in templates.values():
        assert any(element.required for element in template.elements)
        ids = [element.id for element in template.elements]
        assert len(ids) == len(set(ids))


def test_reference_check_ids_are_kept() -> None:
    park = load_report_templates()["park_third_party"]
    referenced = {ref for element in park.elements for ref in element.reference_ids}
    assert {"TP-C1", "TP-B1", "TP-B2", "TP-B3", "TP-B4", "TP-H1", "TP-H2", "TP-A1"} <= referenced
    park_self = load_report_templates()["park_self"]
    referenced = {ref for element in park_self.elements for ref in element.reference_ids}
    assert {"SE-C1", "SE-B1", "SE-B2", "SE-B3", "SE-H1", "SE-H2", "SE-H3"} <= referenced


def test_unconfirmed_park_subsections_are_only_recommended() -> None:
    # green_park.yaml: items from unconfirmed template parts raise warnings, not errors.
    park_self = load_report_templates()["park_self"]
    for element_id in ("PS-CH2-INFRA", "PS-CH2-INDUSTRY", "PS-CH2-ECOLOGY", "PS-CH2-OPERATION"):
        element = park_self.element(element_id)
        assert element.confirmed is False and element.required is False


def test_summary_template_is_grounded_in_the_notice() -> None:
    summary = load_report_templates()["summary"]
    assert summary.source == "工信厅节函〔2016〕586号"
    assert all(e.clause.startswith(("五（二）", "五（三）")) for e in summary.elements)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["elements"][0].pop("clause"), "elements.0.clause"),
        (lambda d: d["elements"][1].update(kind="poem"), "elements.1.kind"),
        (lambda d: d["elements"][2].update(id="bad id"), "elements.2.id"),
        (lambda d: d["elements"].append(dict(d["elements"][0])), "duplicate element ids"),
    ],
)
def test_broken_template_names_file_and_field(tmp_path: Path, mutate, expected: str) -> None:
    data = yaml.safe_load((TEMPLATES_DIR / "factory_self.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "factory_self.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        load_template(path)
    assert str(path) in error.value.message_en
    assert expected in error.value.message_en


def test_missing_template_type_is_reported(tmp_path: Path) -> None:
    for name in ("factory_self", "park_self"):
        (tmp_path / f"{name}.yaml").write_text((TEMPLATES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    with pytest.raises(KnowledgeBaseError) as error:
        load_report_templates.__wrapped__(tmp_path)
    assert "summary" in error.value.message_en
