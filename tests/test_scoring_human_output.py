"""`greenmfg score` without --json: verdict first, blocking items with clauses, 待核实 labels, all Chinese."""

from __future__ import annotations

import pytest
import typer
import yaml
from typer.testing import CliRunner

from ui.cli import scoring as scoring_cli


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    eval_app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    scoring_cli.register(app, eval_app)
    return app


def run(app: typer.Typer, tmp_path, data: dict, *args: str) -> list[str]:
    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["score", "--input", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_factory_verdict_first_then_blocking_mandatory_items_with_clauses(app, tmp_path) -> None:
    lines = run(
        app,
        tmp_path,
        {
            "programme": "factory",
            "basic_requirements": {"BR-01": True, "BR-02": False},
            "indicators": {"G18-INF-01": True, "G18-INF-03": False},
        },
    )
    assert lines[0].startswith("【结论】未通过") and "尚有" in lines[0] and "分未确定" in lines[0]
    blocking = next(
        i for i, line in enumerate(lines) if line.startswith("【阻碍通过的项目】（条款出自 GB/T 36132")
    )
    assert blocking < next(i for i, line in enumerate(lines) if line.startswith("【基本要求】"))
    gate_line = next(line for line in lines[1:] if "基本要求 BR-02" in line)
    assert "一票否决" in gate_line and "依据：" in gate_line
    item_line = next(line for line in lines[1:] if "必选项 G18-INF-03" in line)
    assert "未满足" in item_line and "基础设施—建筑（G18-INF-03）" in item_line and "待核实" in item_line
    assert not any(word in "\n".join(lines) for word in ("passed", "failed", "unknown"))
    assert any(line.startswith("【未确定的") for line in lines)


def test_no_pass_mark_is_explained_and_override_pass_mark_decides(app, tmp_path) -> None:
    data = {"programme": "supply_chain", "indicators": {f"X{i}": True for i in (11, 12, 13)}}
    lines = run(app, tmp_path, data)
    assert lines[0].startswith("【结论】是否通过未判定") and "--rules" in lines[0]
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        yaml.safe_dump(
            {"programme": "supply_chain", "name": "某省细则", "source": "某省文件", "pass_mark": 15}
        ),
        encoding="utf-8",
    )
    lines = run(app, tmp_path, data, "--rules", str(rules))
    assert lines[0].startswith("【结论】是否达到及格分 15 尚无法判定（基本要求尚未全部确认）")
    data["basic_requirements"] = {f"BR{i}": True for i in range(1, 8)}
    lines = run(app, tmp_path, data, "--rules", str(rules))
    assert lines[0].startswith("【结论】达到及格分 15；初步得分 20 / 100")


def test_park_unreported_mandatory_items_are_called_unreported_and_years_shown(app, tmp_path) -> None:
    lines = run(app, tmp_path, {"programme": "park", "indicators": {"EG1": {2023: 2.7, 2024: 3.1}}})
    text = "\n".join(lines)
    assert "必选项 EG2 可再生能源使用比例：未填报（必选指标须填报）" in text
    eg1 = next(line for line in lines if line.startswith("  EG1 "))
    assert "引领值 ≥3" in eg1 and "2023 未满足" in eg1 and "2024 满足" in eg1 and "［待核实］" in eg1


def test_a_target_already_reached_says_so_instead_of_pointing_at_an_empty_list(app, tmp_path) -> None:
    data = {"programme": "supply_chain", "indicators": {"X11": 8, "X12": 6}}
    lines = run(app, tmp_path, data, "--target", "10")
    assert "【目标 10 分】当前初步得分 14 已达到目标" in lines
    assert not any("按上列建议可达到" in line for line in lines)
    failed_gate = {**data, "basic_requirements": {"BR1": False}}
    lines = run(app, tmp_path, failed_gate, "--target", "10")
    assert "【目标 10 分】当前初步得分 14 已达到目标，但须先解决上列阻碍通过的项目" in lines


def test_input_warnings_come_right_after_the_verdict(app, tmp_path) -> None:
    lines = run(app, tmp_path, {"programme": "supply_chain", "indicators": {"X41": 0.35}})
    assert lines[1] == "【请核对输入】"
    assert "indicators.X41" in lines[2] and "35%" in lines[2]
    assert sum("indicators.X41" in line for line in lines) == 1  # not repeated among the notes


def test_park_item_missing_only_in_the_latest_year_is_named_as_such(app, tmp_path) -> None:
    data = {"programme": "park", "indicators": {"EG1": {2023: 2.4, 2024: 3.1}, "EG2": {2023: 12}}}
    lines = run(app, tmp_path, data)
    blocking = next(line for line in lines if "必选项 EG2" in line)
    assert "最近年度（2024）未填报" in blocking
    assert any("缺少最近年度 2024 数值的指标 1 项：EG2" in line for line in lines)
    advice = next(line for line in lines if line.startswith("  EG2") and "+" in line)
    assert "最近年度（2024）数值尚未填写" in advice


def test_a_failed_verdict_says_why(app, tmp_path) -> None:
    full = {f"X{n}": True for n in (11, 12, 13, 21, 22, 23, 24, 25, 31, 32, 43, 44, 51, 61, 62, 63, 64)}
    data = {
        "programme": "supply_chain",
        "indicators": {**full, "X26": 80, "X41": 50, "X42": 60},  # 94.7
        "basic_requirements": {f"BR{i}": True for i in range(1, 8)},
    }
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "programme: supply_chain\nname: 某省细则\nsource: 某省通知\npass_mark: 96\n", encoding="utf-8"
    )
    lines = run(app, tmp_path, data, "--rules", str(rules))
    assert lines[0].startswith("【结论】未通过（得分低于及格分 96）；初步得分 94.7 / 100")
    factory = {
        "programme": "factory",
        "basic_requirements": {"BR-02": "不满足"},
        "indicators": {"G18-INF-01": False},
    }
    lines = run(app, tmp_path, factory)
    assert lines[0].startswith(
        "【结论】未通过（基本要求 BR-02 不满足（一票否决）；必选项 G18-INF-01 未满足）"
    )


def test_a_value_given_but_not_judgeable_is_not_called_unfilled(app, tmp_path) -> None:
    # HG7 道路遗撒率 has no 引领值 in our data: the value is there, the verdict cannot be
    lines = run(app, tmp_path, {"programme": "park", "indicators": {"HG7": 2, "EG1": 3}})
    row = next(line for line in lines if line.startswith("  HG7 "))
    assert "已填写、无法判定" in row and "未填写" not in row
    assert any("HG7 道路遗撒率 已填写但无法判定：引领值在参考资料中缺失" in line for line in lines)
    assert not any("current" in line for line in lines)  # values without a year: no 分年度 line


def test_park_gate_passed_with_an_encouraged_item_not_met_is_not_called_all_met(app, tmp_path) -> None:
    gate = {f"BR{i}": True for i in range(1, 7)} | {"BR7": False}
    lines = run(app, tmp_path, {"programme": "park", "basic_requirements": gate, "indicators": {"EG1": 3}})
    gate_line = next(line for line in lines if line.startswith("【基本要求】"))
    assert gate_line.startswith("【基本要求】一票否决项全部满足")
    assert "  BR7 管理体系与能源监测平台（鼓励）：未满足（不否决）" in lines


def test_advice_resting_on_an_unconfirmed_reference_value_is_labelled(app, tmp_path) -> None:
    lines = run(app, tmp_path, {"programme": "park", "indicators": {"EG2": 12}})
    advice = next(line for line in lines if line.startswith("  EG2 ") and "+" in line)
    assert "引领值 15%" in advice and advice.endswith("［待核实］")
    confirmed = run(app, tmp_path, {"programme": "supply_chain", "indicators": {"X12": 4}})
    assert next(line for line in confirmed if line.startswith("  X12 ") and "+" in line).endswith("目标")


def test_a_default_benchmark_from_our_data_is_labelled_with_its_source(app, tmp_path) -> None:
    default = {"building_density": {"building_footprint_area": 11000, "site_area": 40000}}
    lines = run(app, tmp_path, {"programme": "factory", "performance": default})
    assert "【绩效】建筑密度：27.5 %，基准 30（规则数据默认值）［待核实］，未满足" in lines
    given = {"building_density": {"building_footprint_area": 11000, "site_area": 40000, "benchmark": 25}}
    lines = run(app, tmp_path, {"programme": "factory", "performance": given})
    assert "【绩效】建筑密度：27.5 %，基准 25（您提供），满足" in lines


def test_inferred_group_points_are_shown_as_such(app, tmp_path) -> None:
    from knowledge_base.scoring import load_rules

    infra = {i.id: True for i in load_rules("factory").indicators if i.group == "基础设施"}
    lines = run(app, tmp_path, {"programme": "factory", "indicators": infra})
    assert "  基础设施 权重 20%：20 / 20（未确定 0，含按余下分值推算 16.6）" in lines


def test_a_reachable_target_under_a_veto_says_the_veto_still_applies(app, tmp_path) -> None:
    data = {"programme": "supply_chain", "indicators": {"X11": 8}, "basic_requirements": {"BR3": False}}
    lines = run(app, tmp_path, data, "--target", "30")
    target = next(line for line in lines if line.startswith("【目标 30 分】"))
    assert target.startswith("【目标 30 分】按上列建议可达到") and "BR3 不满足（一票否决）" in target


def test_a_park_fail_by_points_states_the_best_reachable_total(app, tmp_path) -> None:
    values = {"EG1": 3, "EG2": 0, "EG3": 0, "RG1": 0, "RG2": 0, "RG3": 0, "RG4": 0, "IG1": False, "CG1": 0,
              "CG2": 0, "HG1": 0, "HG2": 0, "HG3": 10**9, "HG4": 10**9, "HG5": 0, "MG1": False, "MG2": False,
              "MG3": False}  # fmt: skip
    data = {
        "programme": "park",
        "indicators": values,
        "basic_requirements": {f"BR{i}": True for i in range(1, 7)},
    }
    rules = tmp_path / "rules.yaml"
    rules.write_text("programme: park\nname: 某省细则\nsource: 某省通知\npass_mark: 60\n", encoding="utf-8")
    lines = run(app, tmp_path, data, "--rules", str(rules))
    # with the 13 optional indicators reported at their 引领值: (1 + 13) / 31 × 100 = 45.16
    assert lines[0].startswith("【结论】未通过（得分低于及格分 60，最好情况下最多 45.16）")


def test_a_factory_target_beyond_the_known_points_is_not_called_unreachable(app, tmp_path) -> None:
    # items with known points are worth 22.1 in all, but a group whose unscored items are all met earns
    # the rest of its 100 raw points, so 30 is reachable in the best case
    lines = run(app, tmp_path, {"programme": "factory", "indicators": {"G18-INF-01": True}}, "--target", "30")
    target = next(line for line in lines if line.startswith("【目标 30 分】"))
    assert target.startswith("【目标 30 分】仅靠分值已知的条目无法达到") and "最多 100 分" in target
