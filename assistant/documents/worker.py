"""Parser worker process: ``python -m assistant.documents.worker`` serves parse requests over its pipes.

Protocol (both directions): 8-byte big-endian length + pickle payload.
Request ``(filename, data, fmt, max_pages)``; reply ``("ok", LoadedDocument dict)``,
``("error", code, message_zh, message_en)`` or ``("crash", detail)``. The worker is only ever fed by
our own parent process, which trusts its replies; the documents themselves are never unpickled.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import BinaryIO

MEMORY_LIMIT_BYTES = 3 * 1024 * 1024 * 1024
HEADER_BYTES = 8


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without rlimits
        pass


def _read_exact(stream: BinaryIO, size: int) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _handle(request: tuple) -> tuple:
    from assistant.documents.parse import parse_bytes
    from knowledge_base.errors import GreenmfgError

    filename, data, fmt, max_pages = request
    try:
        return ("ok", parse_bytes(filename, data, fmt, max_pages).model_dump())
    except GreenmfgError as exc:
        return ("error", exc.code, exc.message_zh, exc.message_en)
    except MemoryError:
        return ("crash", "内存不足 / out of memory")
    except RecursionError:
        return ("crash", "结构嵌套过深 / structure nested too deeply")
    except Exception as exc:
        return ("crash", f"{type(exc).__name__}: {str(exc)[:200]}")


def main() -> None:
    _limit_memory()
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the protocol
    import assistant.documents.parse  # noqa: F401 - warm the imports before the first request

    while True:
        header = _read_exact(requests, HEADER_BYTES)
        if header is None:
            return
        payload = _read_exact(requests, int.from_bytes(header, "big"))
        if payload is None:
            return
        reply = pickle.dumps(_handle(pickle.loads(payload)), protocol=pickle.HIGHEST_PROTOCOL)
        replies.write(len(reply).to_bytes(HEADER_BYTES, "big") + reply)
        replies.flush()


if __name__ == "__main__":
    main()
