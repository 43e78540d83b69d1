"""CLI commands of the knowledge area: ``index``, ``ingest`` and ``search``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from knowledge_base.errors import InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL
from retrieval.ingest import IngestReport
from retrieval.models import SearchResponse
from retrieval.service import SEARCH_MODES, SearchService, get_search_service, validate_query
from ui.cli.common import EXIT_USER_ERROR, emit_json, guarded

SNIPPET_CHARS = 160
_STATUS_ZH = {"ingested": "已导入", "replaced": "已更新", "unchanged": "未变化", "failed": "失败"}


def _service() -> SearchService:
    return get_search_service()


def index_command(
    force: Annotated[
        bool, typer.Option("--force", help="Drop all stored vectors and re-embed everything.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Embed every missing passage with the model (ignore shipped vectors)."
        ),
    ] = False,
    export_cache: Annotated[
        bool,
        typer.Option(
            "--export-cache",
            help="After building, write the built-in passages' vectors to retrieval/data (shipped cache).",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the index statistics as one JSON object.")
    ] = False,
) -> None:
    """Build or rebuild the search index (built-in documents + ingested files), with a progress bar."""
    service = _service()
    stats = guarded(lambda: service.build_index(progress=True, force=force, use_cache=not no_cache))
    manifest = guarded(service.export_vector_cache) if export_cache else None
    if as_json:
        emit_json(stats)
        return
    typer.echo(
        f"索引已就绪：{stats.chunks} 个段落（内置 {stats.builtin_chunks}，用户文件 {stats.user_chunks}），"
        f"本次嵌入 {stats.embedded} 个、取自向量缓存 {stats.from_cache} 个，用时 {stats.seconds:.1f} 秒；"
        f"嵌入模型 {stats.embedder}，向量库 {stats.vector_store}。"
    )
    if manifest is not None:
        typer.echo(
            f"向量缓存已写入：{manifest.count} 个内置段落（{manifest.embedder}，{manifest.dimension} 维）。"
        )


def _load_document(path: Path) -> object:
    from assistant.documents import load_document

    return load_document(path)


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (PDF, DOCX, Markdown, text).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the ingest report as one JSON object.")
    ] = False,
) -> None:
    """Add user documents to the index (incremental by content hash; directories are walked).

    Each unreadable file is reported by name on stderr and the others still ingest.

    Exit code 0 when at least one file is in the index afterwards (new, updated or unchanged), else 2.
    """
    report: IngestReport = guarded(lambda: _service().ingest(paths, loader=_load_document, progress=True))
    for item in report.files:
        if item.status == "failed":
            typer.echo(f"无法导入 cannot ingest：{item.path}\n  原因 reason：{item.reason}", err=True)
    if as_json:
        emit_json(report)
    else:
        for item in report.files:
            if item.status != "failed":
                line = (
                    f"{_STATUS_ZH[item.status]}：{item.path}（{item.clauses} 个条款，{item.chunks} 个段落）"
                )
                typer.echo(line)
                for warning in item.warnings:
                    typer.echo(f"  提示：{warning}")
        typer.echo(
            f"共 {len(report.files)} 个文件：导入/更新 {report.ingested}，未变化 {report.unchanged}，"
            f"失败 {report.failed}。"
        )
    if not report.any_usable:
        raise typer.Exit(EXIT_USER_ERROR)


def _read_queries(file: Path, max_chars: int) -> list[str]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(
            f"查询文件不存在：{file}", f"query file not found: {file}", code="not_found"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取查询文件 {file}：{exc}", f"cannot read query file {file}: {exc}") from exc
    queries = [line.strip() for line in text.splitlines() if line.strip()]
    if not queries:
        raise InputError(
            f"查询文件中没有查询：{file}", f"the query file has no queries: {file}", code="empty_query"
        )
    for number, query in enumerate(queries, start=1):
        try:
            validate_query(query, max_chars)
        except InputError as exc:
            raise InputError(
                f"查询文件第 {number} 条：{exc.message_zh}", f"query {number} of the file: {exc.message_en}"
            ) from exc
    return queries


def _print_listing(response: SearchResponse) -> None:
    typer.echo(f"查询：{response.query}（{response.mode}，前 {len(response.results)} 条）")
    if not response.results:
        typer.echo("  没有找到相关条文。")
    for number, hit in enumerate(response.results, start=1):
        flag = "" if hit.confirmed is True else f" 〔{UNCONFIRMED_LABEL}〕"
        snippet = hit.text.replace("\n", " ")
        if len(snippet) > SNIPPET_CHARS:
            snippet = snippet[:SNIPPET_CHARS] + "……"
        typer.echo(f"{number}. 《{hit.doc}》 {hit.clause}{flag}  得分 {hit.score:.4f}")
        if hit.title:
            typer.echo(f"   {hit.title}")
        typer.echo(f"   {snippet}")


def search_command(
    query: Annotated[str | None, typer.Argument(help="The search text (Chinese or English).")] = None,
    k: Annotated[int, typer.Option("-k", "--top-k", help="Number of passages to return.")] = 5,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Run every non-blank line of this file as a query.")
    ] = None,
    mode: Annotated[str, typer.Option("--mode", help="hybrid | bm25 | dense")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per query (JSON lines).")] = False,
) -> None:
    """Search the knowledge base and ingested documents; every hit names its document and clause."""

    def run() -> None:
        if (query is None) == (file is None):
            raise InputError(
                "请给出一个查询，或用 --file 指定查询文件（二者选一）。",
                "give either a query or --file with one query per line (not both).",
                code="empty_query",
            )
        if mode not in SEARCH_MODES:
            raise InputError(f"未知的检索模式：{mode}", f"unknown search mode: {mode}")
        service = _service()
        max_chars = service.settings.max_query_chars
        queries = (
            _read_queries(file, max_chars) if file is not None else [validate_query(query or "", max_chars)]
        )
        for text in queries:
            response = service.search(text, k=k, mode=mode)
            if as_json:
                emit_json(response)
            else:
                _print_listing(response)

    guarded(run)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the main app and the `eval` group."""
    app.command("index")(index_command)
    app.command("ingest")(ingest_command)
    app.command("search")(search_command)
