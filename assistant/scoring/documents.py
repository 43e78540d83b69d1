"""Read a scoring input or rules file (YAML or JSON) safely: size-capped, mapping required."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from knowledge_base.errors import InputError

MAX_INPUT_BYTES = 1_000_000
_NOT_IN_KEY = set(":#'\"{}[]")
_BLANKS = " \t\u3000"


def _full_width_key_colons(text: str) -> str:
    """``programme：factory`` / ``  X11：8`` → ``programme: factory``: a key typed with a Chinese input method
    ends in a full-width colon, which YAML does not read. Only the first colon of a line, when it is
    full-width and the key before it holds no quote, bracket or comment (values keep their ：)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        position = line.find("：")
        if position <= 0 or _NOT_IN_KEY & set(line[:position]):
            continue
        key = line[:position].rstrip()
        if key.strip() in ("", "-"):
            continue
        lines[index] = f"{key}: {line[position + 1 :].lstrip(_BLANKS)}"
    return "\n".join(lines)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: object, line: int | None) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line = key, line


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader refusing a key given twice in one mapping (plain YAML keeps the last one silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[object] = set()
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool):
            continue
        if key in seen:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key, None)
        result[key] = value
    return result


def _parse_problem(exc: Exception) -> tuple[str, int | None]:
    """What the parser objected to and the 1-based line where it did (None when unknown)."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg, exc.lineno
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return str(problem), (mark.line + 1 if mark is not None else None)


def _too_large(label: str, size: int) -> InputError:
    return InputError(
        f"{label}：文件过大（{size} 字节，上限 {MAX_INPUT_BYTES} 字节）",
        f"{label}: file too large ({size} bytes, limit {MAX_INPUT_BYTES})",
    )


def parse_mapping_bytes(filename: str, data: bytes, label: str = "input") -> dict:
    """Parse ``data`` as JSON (``.json`` or text starting with ``{``) or YAML; it must be a mapping."""
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(label, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}：文件不是 UTF-8 文本", f"{label}: file is not UTF-8 text") from exc
    if not text.strip():
        raise InputError(
            f"{label}：文件为空；请至少填写 programme 和 indicators",
            f"{label}: the file is empty; give at least programme and indicators",
        )
    try:
        if filename.lower().endswith(".json") or text.lstrip().startswith("{"):
            parsed = json.loads(text, object_pairs_hook=_unique_pairs)
        else:
            parsed = yaml.load(_full_width_key_colons(text), Loader=_UniqueKeyLoader)  # a SafeLoader
    except _DuplicateKey as exc:
        where = f"第 {exc.line} 行" if exc.line else ""
        where_en = f" (line {exc.line})" if exc.line else ""
        raise InputError(
            f"{label}：{where}键 {exc.key!r} 在同一层重复填写，请只保留一个",
            f"{label}: key {exc.key!r} is given twice in the same mapping{where_en}; keep one",
        ) from None
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        detail, line = _parse_problem(exc)
        where_zh, where_en = (f"第 {line} 行：", f"line {line}: ") if line else ("", "")
        hint_zh, hint_en = "", ""
        if line and text.split("\n")[line - 1][:1] == "\t":
            hint_zh, hint_en = (
                "（YAML 不能用 Tab 缩进，请改用空格）",
                " (YAML indentation must use spaces, not tabs)",
            )
        raise InputError(
            f"{label}：无法解析 YAML/JSON：{where_zh}{detail}{hint_zh}",
            f"{label}: cannot parse YAML/JSON: {where_en}{detail}{hint_en}",
        ) from exc
    except RecursionError as exc:
        raise InputError(f"{label}：嵌套层级过深", f"{label}: nesting too deep") from exc
    if not isinstance(parsed, dict):
        raise InputError(
            f"{label}：顶层必须是映射（YAML/JSON 对象）",
            f"{label}: the top level must be a mapping (YAML/JSON object)",
        )
    return parsed


def load_mapping_file(path: Path, label: str = "input") -> dict:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise _too_large(label, size)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{label}：文件不存在：{path}", f"{label}: file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{label}：不是文件：{path}", f"{label}: not a file: {path}") from exc
    except OSError as exc:
        raise InputError(f"{label}：无法读取 {path}：{exc}", f"{label}: cannot read {path}: {exc}") from exc
    return parse_mapping_bytes(path.name, data, label)
