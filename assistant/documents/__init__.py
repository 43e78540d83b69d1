"""Document loaders: PDF, DOCX, Markdown and plain text into ordered, typed blocks (time-boxed, sandboxed)."""

from assistant.documents.loader import load_document, load_document_bytes
from assistant.documents.models import Block, LoadedDocument

__all__ = ["Block", "LoadedDocument", "load_document", "load_document_bytes"]
