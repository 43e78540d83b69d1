"""The specific reasons a document cannot be read, each as a bilingual DocumentError with a stable code."""

from __future__ import annotations

from knowledge_base.errors import DocumentError

SUPPORTED_FORMATS_ZH = "PDF（含文字层）、DOCX、Markdown（.md）、纯文本（.txt）"
SUPPORTED_FORMATS_EN = "PDF (with a text layer), DOCX, Markdown (.md), plain text (.txt)"


def password_required(filename: str) -> DocumentError:
    return DocumentError(
        f"{filename}：PDF 已加密，需要密码才能读取，请提供未加密的文件。",
        f"{filename}: the PDF is encrypted and needs a password; please provide an unencrypted copy.",
        code="password_required",
    )


def decryption_unavailable(filename: str, detail: str) -> DocumentError:
    return DocumentError(
        f"{filename}：PDF 使用的加密算法无法解密（{detail}），需要密码或未加密的文件。",
        f"{filename}: the PDF's encryption cannot be handled ({detail}); "
        "a password or an unencrypted copy is needed.",
        code="password_required",
    )


def ocr_required(filename: str) -> DocumentError:
    return DocumentError(
        f"{filename}：PDF 没有可提取的文字层（可能是扫描件或图片），需要OCR后再提交。",
        f"{filename}: the PDF has no extractable text layer (scanned or image-only); OCR is needed first.",
        code="ocr_required",
    )


def damaged(filename: str, detail: str) -> DocumentError:
    return DocumentError(
        f"{filename}：文件已损坏或结构无效，无法读取（{detail}）。",
        f"{filename}: the file is damaged or structurally invalid and cannot be read ({detail}).",
        code="damaged",
    )


def too_many_pages(filename: str, pages: int, limit: int) -> DocumentError:
    return DocumentError(
        f"{filename}：文件共 {pages} 页，超过上限 {limit} 页。",
        f"{filename}: the file has {pages} pages, more than the limit of {limit}.",
        code="too_many_pages",
    )


def too_large(filename: str, size: int, limit: int) -> DocumentError:
    return DocumentError(
        f"{filename}：文件大小 {size / 1048576:.1f} MB 超过上限 {limit / 1048576:.1f} MB。",
        f"{filename}: file size {size / 1048576:.1f} MB exceeds the limit of {limit / 1048576:.1f} MB.",
        code="too_large",
    )


def unsupported(filename: str, what: str) -> DocumentError:
    return DocumentError(
        f"{filename}：不支持的文件格式（{what}）。支持的格式：{SUPPORTED_FORMATS_ZH}。",
        f"{filename}: unsupported file format ({what}). Supported formats: {SUPPORTED_FORMATS_EN}.",
        code="unsupported_format",
    )


def decompression_bomb(filename: str, detail: str) -> DocumentError:
    return DocumentError(
        f"{filename}：DOCX 解压后体积异常（{detail}），疑似压缩炸弹，已拒绝解析。",
        f"{filename}: the DOCX decompresses to an abnormal size ({detail}); refused as a possible zip bomb.",
        code="decompression_bomb",
    )


def parse_timeout(filename: str, seconds: float) -> DocumentError:
    return DocumentError(
        f"{filename}：解析超时（超过 {seconds:g} 秒），文件可能结构异常。",
        f"{filename}: parsing timed out (over {seconds:g} s); the file may be malformed.",
        code="parse_timeout",
    )


def empty_document(filename: str) -> DocumentError:
    return DocumentError(
        f"{filename}：文件为空，没有可读取的文字。",
        f"{filename}: the file is empty; there is no text to read.",
        code="empty_document",
    )


def binary_content(filename: str) -> DocumentError:
    return DocumentError(
        f"{filename}：文件内容是二进制数据而不是文本，无法读取。支持的格式：{SUPPORTED_FORMATS_ZH}。",
        f"{filename}: the content is binary data, not text. Supported formats: {SUPPORTED_FORMATS_EN}.",
        code="unsupported_format",
    )


def parser_crashed(filename: str, detail: str) -> DocumentError:
    return DocumentError(
        f"{filename}：解析进程异常退出（{detail}），文件可能已损坏或过于复杂。",
        f"{filename}: the parser process exited abnormally ({detail}); "
        "the file may be damaged or too complex.",
        code="damaged",
    )
