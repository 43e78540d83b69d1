"""Ingestion of user documents: generated DOCX (with a table) and PDF (CJK font), text, incremental
re-ingest by content hash, replacement of changed files, and per-file failures that never stop a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from assistant.documents import load_document
from knowledge_base.documents.model import Clause
from knowledge_base.errors import InputError
from knowledge_base.settings import Settings
from retrieval.clause_splitter import TextBlock
from retrieval.index import INDEX_FORMAT, MANIFEST_NAME, index_dir, load_state
from retrieval.service import SearchService
from tests.helpers_retrieval import CountingEmbedder

BUILTIN = [
    Clause(
        doc_id="notice-586",
        doc="工信厅节函〔2016〕586号",
        clause="四（一）",
        title="四、建设内容 > （一）绿色工厂",
        text="绿色工厂是制造业的生产单元，是绿色制造的实施主体。",
    ),
]


@pytest.fixture()
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture()
def service(tmp_path: Path, embedder: CountingEmbedder) -> SearchService:
    return SearchService(
        Settings(home=tmp_path / "home", chroma_url=None),
        clause_source=lambda: BUILTIN,
        terms_source=lambda: ["绿色工厂", "余热回收"],
        kb_hash_source=lambda: "fixed",
        embedder=embedder,
    )


def make_docx(path: Path, water_rate: str = "百分之九十") -> Path:
    document = DocxDocument()
    document.add_heading("某电机公司绿色工厂自评价报告", level=0)
    document.add_heading("一、企业基本情况", level=1)
    document.add_paragraph("本企业位于江苏省苏州市，主要生产高效节能电机。")
    document.add_heading("二、评价内容", level=1)
    document.add_heading("（一）能源与资源投入", level=2)
    document.add_paragraph(f"企业实施余热回收改造，废水处理后回用率达到{water_rate}。")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows,
        [("指标", "数值", "单位"), ("单位产品综合能耗", "0.35", "吨标煤/台"), ("水重复利用率", "92", "%")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("（二）环境排放", level=2)
    document.add_paragraph("大气污染物排放满足国家和地方标准要求。")
    document.save(path)
    return path


def make_pdf(path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pages = [
        ["一、园区概况", "本园区位于浙江省，入驻企业一百二十家。", "二、能源利用"],
        ["（一）可再生能源", "园区屋顶光伏装机容量达到五十兆瓦，可再生能源使用比例为百分之十八。"],
    ]
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for offset, line in enumerate(lines):
            pdf.drawString(50, 800 - 22 * offset, line)
        pdf.showPage()
    pdf.save()
    return path


def test_docx_with_table_is_ingested_and_searchable(service: SearchService, tmp_path: Path) -> None:
    path = make_docx(tmp_path / "自评价报告.docx")
    report = service.ingest([path], loader=load_document)
    (item,) = report.files
    assert item.status == "ingested" and item.doc == "自评价报告.docx" and item.chunks >= 3
    hit = service.search("余热回收 废水回用率", k=1).results[0]
    assert hit.origin == "user" and hit.doc == "自评价报告.docx" and hit.source_path == str(path.resolve())
    assert hit.clause == "二（一）" and hit.title.endswith("（一）能源与资源投入")
    hits = service.search("单位产品综合能耗 吨标煤", k=5).results
    table = [h for h in hits if "| 单位产品综合能耗 | 0.35 | 吨标煤/台 |" in h.text]
    assert table and table[0].clause == "二（一）"  # the table stays in its clause…
    assert "| 指标 | 数值 | 单位 |\n| 单位产品综合能耗 |" in table[0].text  # …under its header row


def test_pdf_with_chinese_text_keeps_pages_and_clauses(service: SearchService, tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "园区报告.pdf")
    (item,) = service.ingest([path], loader=load_document).files
    assert item.status == "ingested", item.reason
    hit = service.search("屋顶光伏装机容量", k=1).results[0]
    assert (hit.doc, hit.clause, hit.page) == ("园区报告.pdf", "二（一）", 2)
    assert hit.title == "二、能源利用 > （一）可再生能源"


def test_reingest_is_incremental(service: SearchService, embedder: CountingEmbedder, tmp_path: Path) -> None:
    path = make_docx(tmp_path / "报告.docx")
    first = service.ingest([path], loader=load_document).files[0]
    embedded = embedder.passages
    again = service.ingest([path], loader=load_document).files[0]
    assert again.status == "unchanged" and again.chunks == first.chunks
    assert embedder.passages == embedded  # nothing re-embedded

    make_docx(path, water_rate="百分之九十五")
    changed = service.ingest([path], loader=load_document).files[0]
    assert changed.status == "replaced" and changed.doc_id == first.doc_id
    assert 1 <= embedder.passages - embedded < first.chunks  # only the changed passage
    texts = [hit.text for hit in service.search("废水处理后回用率", k=10).results if hit.origin == "user"]
    assert any("百分之九十五" in text for text in texts)
    assert not any("百分之九十。" in text for text in texts)  # the old passage is gone
    user_chunks = [chunk for chunk in service.ensure_ready().chunks if chunk.origin == "user"]
    assert len(user_chunks) == changed.chunks
    assert service.store.count() == len(service.ensure_ready().chunks)


def test_ingested_documents_survive_a_rebuild_and_a_new_process(
    service: SearchService, embedder: CountingEmbedder, tmp_path: Path
) -> None:
    service.ingest([make_docx(tmp_path / "a.docx")], loader=load_document)
    stats = service.build_index()
    assert stats.user_documents == 1 and stats.user_chunks > 0 and stats.embedded == 0
    fresh = SearchService(
        service.settings,
        clause_source=lambda: BUILTIN,
        terms_source=lambda: [],
        kb_hash_source=lambda: "fixed",
        embedder=embedder,
    )
    assert fresh.search("余热回收", k=1).results[0].doc == "a.docx"


def test_ingested_documents_survive_an_index_format_upgrade(
    service: SearchService, embedder: CountingEmbedder, tmp_path: Path
) -> None:
    # A new release changes the tokenizer/chunker format: the saved index is rebuilt, not thrown away.
    service.ingest([make_docx(tmp_path / "a.docx")], loader=load_document)
    manifest_path = index_dir(service.settings.home) / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["format"] = INDEX_FORMAT - 1
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    embedded_before = embedder.passages
    upgraded = SearchService(
        service.settings,
        clause_source=lambda: BUILTIN,
        terms_source=lambda: ["绿色工厂", "余热回收"],
        kb_hash_source=lambda: "fixed",
        embedder=embedder,
    )
    assert upgraded.search("余热回收", k=1).results[0].doc == "a.docx"
    assert embedder.passages == embedded_before  # unchanged passages keep their stored vectors
    state = load_state(index_dir(service.settings.home))
    assert state is not None and state.manifest.format == INDEX_FORMAT
    assert [d.doc for d in state.manifest.documents.values()] == ["a.docx"]


def test_batch_reports_bad_files_and_ingests_the_rest(service: SearchService, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_docx(folder / "good.docx")
    (folder / "notes.md").write_text("# 说明\n\n## 1. 节水\n企业建设了中水回用系统。\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\x01")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "ignored.xyz").write_text("not collected", encoding="utf-8")
    report = service.ingest([folder, tmp_path / "missing.docx"], loader=load_document)
    status = {Path(item.path).name: item.status for item in report.files}
    assert status == {
        "missing.docx": "failed",
        "good.docx": "ingested",
        "notes.md": "ingested",
        "broken.pdf": "failed",
        "empty.txt": "failed",
    }
    failures = {Path(item.path).name: item for item in report.files if item.status == "failed"}
    assert all(item.reason for item in failures.values())
    assert failures["missing.docx"].code == "not_found"
    assert (report.ingested, report.failed, report.any_usable) == (2, 3, True)
    assert service.search("中水回用系统", k=1).results[0].doc == "notes.md"


def test_plain_text_without_a_loader(service: SearchService, tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes(
        "第一条 企业应当建立能源管理制度。\n第二条 企业应当开展清洁生产审核。\n".encode("gb18030")
    )
    (item,) = service.ingest([path]).files
    assert item.status == "ingested" and item.clauses == 2
    assert service.search("清洁生产审核", k=1).results[0].clause == "第二条"
    docx = make_docx(tmp_path / "x.docx")
    (failed,) = service.ingest([docx]).files  # PDF/DOCX need the document loader
    assert failed.status == "failed" and failed.code == "unsupported_format"


def test_ingest_blocks_api_and_errors(service: SearchService) -> None:
    blocks = [
        TextBlock(text="第三章 附则", kind="heading", level=1),
        TextBlock(text="第十条 本办法自发布之日起施行。"),
    ]
    item = service.ingest_blocks("办法.docx", blocks, source_path="upload://办法.docx")
    assert item.status == "ingested" and item.clauses == 1
    assert service.ingest_blocks("办法.docx", blocks, source_path="upload://办法.docx").status == "unchanged"
    empty = service.ingest_blocks("空.docx", [TextBlock(text="   ")], source_path="upload://空.docx")
    assert empty.status == "failed" and empty.code == "empty_document"
    with pytest.raises(InputError):
        service.ingest([])


def test_ingest_blocks_accepts_loader_blocks(service: SearchService) -> None:
    from assistant.documents import Block

    blocks = [
        Block(text="4.1 能源管理", kind="heading", level=2, page=1),
        Block(text="企业建立了能源管理中心，实时监测用能。", page=1),
        Block(text="设备", kind="table_row", table=0, cells=["设备", "台数"], page=1),
        Block(text="空压机", kind="table_row", table=0, cells=["空压机", "12"], page=1),
    ]
    item = service.ingest_blocks("上传.pdf", blocks, source_path="upload://上传.pdf")
    assert item.status == "ingested" and item.clauses == 1
    hit = service.search("能源管理中心 空压机台数", k=1).results[0]
    assert hit.clause == "4.1" and "| 空压机 | 12 |" in service.ensure_ready().chunks[-1].text


def test_table_of_contents_and_running_headers_are_not_indexed(service: SearchService) -> None:
    from assistant.documents import Block

    blocks = [
        Block(text="某某电机有限公司 绿色工厂自评价报告", kind="page_header"),
        Block(text="一、企业基本情况……………1", kind="toc_entry", page=1),
        Block(text="二、能源管理……………5", kind="toc_entry", page=1),
        Block(text="一、企业基本情况", kind="heading", level=1, page=2),
        Block(text="企业位于江苏省苏州市，主要生产高效节能电机。", page=2),
        Block(text="二、能源管理", kind="heading", level=1, page=5),
        Block(text="企业建立了能源管理中心，实时监测用能。", page=5),
    ]
    item = service.ingest_blocks("草稿.docx", blocks, source_path="upload://草稿.docx")
    assert item.status == "ingested" and item.clauses == 2
    texts = [chunk.text for chunk in service.ensure_ready().chunks if chunk.origin == "user"]
    assert not any("……" in text or "某某电机有限公司" in text for text in texts)
    hit = service.search("能源管理中心", k=1).results[0]
    assert hit.page == 5 and "能源管理中心" in hit.text
