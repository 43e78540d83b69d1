"""Every input validation error names the field and, where relevant, the valid range."""

from __future__ import annotations

import pytest

from assistant.scoring import score_input
from assistant.scoring.documents import MAX_INPUT_BYTES, load_mapping_file, parse_mapping_bytes
from knowledge_base.errors import InputError


def sc(indicators: object, **extra) -> dict:
    return {"programme": "supply_chain", "indicators": indicators, **extra}


@pytest.mark.parametrize(
    ("data", "needles"),
    [
        ({"indicators": {}}, ["programme"]),
        ({"programme": "mill", "indicators": {}}, ["programme", "factory, park, supply_chain"]),
        (sc({"X99": 3}), ["indicators", "X99", "X11"]),
        (sc({"X11": 9}), ["indicators.X11", "0–8"]),
        (sc({"X11": -1}), ["indicators.X11", "0–8"]),
        (sc({"X11": "good"}), ["indicators.X11", "0–8"]),
        (sc({"X26": 120}), ["indicators.X26", "0–100"]),
        (sc({"X26": -3}), ["indicators.X26", "0–100"]),
        (sc({"X26": True}), ["indicators.X26", "percentage"]),
        (sc({"X61": 3}), ["indicators.X61", "0–2.5"]),
        (sc({"X11": float("nan")}), ["indicators.X11"]),
        (sc({"X11": {"2024": 3}}), ["indicators.X11", "per year"]),
        (sc(["X11"]), ["indicators", "mapping"]),
        (sc({}, basic_requirements={"BR1": "maybe"}), ["basic_requirements.BR1", "true/false"]),
        (sc({}, basic_requirements={"BR-01": True}), ["basic_requirements", "BR-01"]),
        (sc({}, extra_field=1), ["extra_field"]),
        (sc({}, performance={"floor_area_ratio": {"value": 1}}), ["performance", "no performance metrics"]),
        ({"programme": "park", "indicators": {"EG1": -1}}, ["indicators.EG1", "0–+∞"]),
        ({"programme": "park", "indicators": {"EG2": 101}}, ["indicators.EG2", "0–100"]),
        ({"programme": "park", "indicators": {"HG2": -150}}, ["indicators.HG2", "-100–100"]),
        ({"programme": "park", "indicators": {"EG1": {2021: 1, 2022: 2, 2023: 3, 2024: 4}}}, ["EG1", "3"]),
        ({"programme": "park", "indicators": {"EG1": {"20x4": 1}}}, ["indicators.EG1", "year"]),
        (
            {"programme": "park", "indicators": {"EG1": {2022: 1, 2023: 2}, "EG2": {2024: 3, 2021: 4}}},
            ["3 years"],
        ),
        ({"programme": "park", "indicators": {"IG1": "maybe"}}, ["indicators.IG1", "true/false"]),
        ({"programme": "park", "indicators": {"EG1": [2.4, 2.7]}}, ["indicators.EG1", "with their years"]),
        ({"programme": "factory", "indicators": {"G18-INF-04": 3}}, ["indicators.G18-INF-04", "true"]),
        ({"programme": "factory", "indicators": {"G18-INF-01": 9}}, ["indicators.G18-INF-01", "0–8"]),
        ({"programme": "factory", "indicators": {"G18-EM-06": {"z": True}}}, ["G18-EM-06", "z"]),
        ({"programme": "factory", "indicators": {"G18-EM-06": [1]}}, ["G18-EM-06"]),
        ({"programme": "factory", "performance": {"nope": {}}}, ["performance", "nope"]),
        (
            {"programme": "factory", "performance": {"floor_area_ratio": {"floors": 3}}},
            ["floor_area_ratio", "floors"],
        ),
        (
            {"programme": "factory", "performance": {"floor_area_ratio": {"total_floor_area": -5}}},
            ["performance.floor_area_ratio.total_floor_area", "0–+∞"],
        ),
        (
            {"programme": "factory", "performance": {"energy_per_unit": {"energy_tce": 5, "output": 0}}},
            ["performance.energy_per_unit", "> 0"],
        ),
        (
            {"programme": "factory", "performance": {"green_material_rate": {"value": 130}}},
            ["performance.green_material_rate.value", "0–100"],
        ),
        (
            {
                "programme": "factory",
                "performance": {"green_material_rate": {"green_material": 5, "material_total": 2}},
            },
            ["performance.green_material_rate", "0–100"],
        ),
    ],
)
def test_invalid_inputs_raise_named_errors(data, needles):
    with pytest.raises(InputError) as info:
        score_input(data)
    for needle in needles:
        assert needle in info.value.message_en, info.value.message_en
    assert info.value.message_zh


def test_target_outside_range():
    with pytest.raises(InputError) as info:
        score_input(sc({}), target=120)
    assert "target" in info.value.message_en and "0–100" in info.value.message_en
    with pytest.raises(InputError):
        score_input(sc({}), target=-1)


def test_non_mapping_input():
    with pytest.raises(InputError):
        score_input(["programme"])  # type: ignore[arg-type]


def test_files_yaml_json_and_hostile(tmp_path):
    yaml_file = tmp_path / "in.yaml"
    yaml_file.write_text("programme: supply_chain\nindicators: {X11: 8}\n", encoding="utf-8")
    json_file = tmp_path / "in.json"
    json_file.write_text('{"programme": "supply_chain", "indicators": {"X11": 8}}', encoding="utf-8")
    assert load_mapping_file(yaml_file) == load_mapping_file(json_file)
    with pytest.raises(InputError, match="not found"):
        load_mapping_file(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="too large"):
        parse_mapping_bytes("big.yaml", b"a" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputError, match="UTF-8"):
        parse_mapping_bytes("bin.yaml", b"\xff\xfe\x00garbage\xff")
    with pytest.raises(InputError, match="cannot parse"):
        parse_mapping_bytes("bad.yaml", b"programme: [unclosed")
    with pytest.raises(InputError, match="top level"):
        parse_mapping_bytes("list.yaml", b"- 1\n- 2\n")
    with pytest.raises(InputError, match="cannot parse"):
        parse_mapping_bytes("tag.yaml", b"!!python/object/apply:os.system ['echo hi']")
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(InputError):
        parse_mapping_bytes("deep.json", deep)


def test_yaml_alias_bomb_is_rejected_quickly():
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefghij", "abcdefghi", strict=True):
        refs = ", ".join([f"*{prev}"] * 9)
        bomb += f"{name}: &{name} [{refs}]\n".encode()
    data = parse_mapping_bytes("bomb.yaml", bomb)  # aliases are shared references, not copies
    with pytest.raises(InputError) as info:
        score_input({"programme": "supply_chain", "indicators": data})
    assert "unknown ids" in info.value.message_en
