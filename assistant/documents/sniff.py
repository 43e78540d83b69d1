"""Decide a document's real format from its first bytes (the extension is only a hint)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from assistant.documents import errors
from assistant.documents.models import DocumentFormat

EXTENSION_FORMATS: dict[str, DocumentFormat] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
}

# Known non-document signatures, named so the refusal says what the file really is.
_FOREIGN_MAGIC: list[tuple[bytes, str]] = [
    (b"MZ", "Windows 可执行文件 / executable"),
    (b"\x7fELF", "ELF 可执行文件 / executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 .doc/.xls 或加密的 Office 文件 / legacy or encrypted Office"),
    (b"\x89PNG", "PNG 图片 / image"),
    (b"\xff\xd8\xff", "JPEG 图片 / image"),
    (b"GIF8", "GIF 图片 / image"),
    (b"II*\x00", "TIFF 图片 / image"),
    (b"MM\x00*", "TIFF 图片 / image"),
    (b"Rar!", "RAR 压缩包 / archive"),
    (b"7z\xbc\xaf", "7z 压缩包 / archive"),
    (b"\x1f\x8b", "gzip 压缩包 / archive"),
    (b"{\\rtf", "RTF 文档 / RTF"),
]

PDF_MAGIC_WINDOW = 1024


def sniff_format(filename: str, head: bytes, data: bytes | None = None) -> DocumentFormat:
    """The real format of a file whose content starts with ``head``.

    ``data`` (the whole content) is needed only to tell a DOCX from another zip archive.
    Raises DocumentError for anything that is not one of the supported formats.
    """
    if b"%PDF-" in head[:PDF_MAGIC_WINDOW]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if data is not None and not _is_docx_zip(data):
            raise errors.unsupported(filename, "ZIP 压缩包而非 DOCX / a zip archive that is not a DOCX")
        return "docx"
    for magic, label in _FOREIGN_MAGIC:
        if head.startswith(magic):
            raise errors.unsupported(filename, label)
    suffix = PurePath(filename).suffix.lower()
    claimed = EXTENSION_FORMATS.get(suffix)
    if claimed == "md":
        return "md"
    if claimed is not None or suffix == "":
        # .txt, no extension, or a .pdf/.docx without its signature: text if it decodes, else refused later.
        return "txt"
    raise errors.unsupported(filename, f"扩展名 {suffix} / extension {suffix}")


def extension_format(filename: str) -> DocumentFormat | None:
    return EXTENSION_FORMATS.get(PurePath(filename).suffix.lower())


def _is_docx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return True  # a damaged zip that claims to be a DOCX: let the DOCX loader report it as damaged
    return "word/document.xml" in names or "[Content_Types].xml" in names
