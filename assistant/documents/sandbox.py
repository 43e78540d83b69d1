"""Run parsers in separate, killable worker processes so a pathological file cannot hang or crash us.

Workers are long-lived interpreters (``python -m assistant.documents.worker``) with pypdf and
python-docx already imported and an address-space limit, so a parse costs a pipe round trip, not a
process start. A worker that times out or dies is killed and replaced; idle workers are reused.
Plain subprocesses (not multiprocessing) keep the caller's ``__main__`` and threads out of the child.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import select
import subprocess
import sys
import threading
import time

from assistant.documents import errors
from assistant.documents.models import DocumentFormat, LoadedDocument
from assistant.documents.worker import HEADER_BYTES
from knowledge_base.errors import DocumentError

MAX_IDLE_WORKERS = 4


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        paths = [p for p in sys.path if p and os.path.isdir(p)]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.documents.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: tuple) -> None:
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.process.stdin is not None
        self.process.stdin.write(len(payload).to_bytes(HEADER_BYTES, "big") + payload)
        self.process.stdin.flush()

    def receive(self, deadline: float) -> tuple | None:
        """The reply, or None on timeout; EOFError if the worker died."""
        header = self._read(HEADER_BYTES, deadline)
        if header is None:
            return None
        body = self._read(int.from_bytes(header, "big"), deadline)
        return None if body is None else pickle.loads(body)

    def _read(self, size: int, deadline: float) -> bytes | None:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        remaining = size
        while remaining:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


_idle: list[_Worker] = []
_lock = threading.Lock()


def _checkout() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive:
                return worker
    return _Worker()


def _checkin(worker: _Worker) -> None:
    with _lock:
        if worker.alive and len(_idle) < MAX_IDLE_WORKERS:
            _idle.append(worker)
            return
    worker.kill()


@atexit.register
def shutdown_workers() -> None:
    with _lock:
        workers = list(_idle)
        _idle.clear()
    for worker in workers:
        worker.kill()


def parse_isolated(
    filename: str, data: bytes, fmt: DocumentFormat, max_pages: int, timeout_s: float
) -> LoadedDocument:
    """Parse in a worker process; DocumentError on timeout, crash or any parser-reported problem."""
    worker = _checkout()
    deadline = time.monotonic() + timeout_s
    try:
        worker.send((filename, data, fmt, max_pages))
        reply = worker.receive(deadline)
    except (EOFError, BrokenPipeError, OSError, pickle.UnpicklingError) as exc:
        code = worker.process.poll()
        worker.kill()
        raise errors.parser_crashed(filename, f"exit code {code}") from exc
    if reply is None:
        worker.kill()
        raise errors.parse_timeout(filename, timeout_s)
    _checkin(worker)
    status = reply[0]
    if status == "ok":
        return LoadedDocument.model_validate(reply[1])
    if status == "error":
        _, code, message_zh, message_en = reply
        raise DocumentError(message_zh, message_en, code=code)
    raise errors.parser_crashed(filename, reply[1])
