"""Bounded load test of the service on loopback: N concurrent clients against /api/ask and /api/chat.

    python -m evals.load_test                     # starts `greenmfg serve` itself (temp home copy)
    python -m evals.load_test --base-url http://127.0.0.1:8000 --server-pid 1234
    python -m evals.load_test --clients 20 --requests 200 --unique --json

--unique makes every question distinct (a numbered suffix), so no request is served from a search cache.

Prints, per endpoint: requests, errors, req/s, p50/p95/max latency, and the server's peak RSS (VmHWM).
The rate limit is raised for the run through GREENMFG_RATE_LIMIT_PER_MINUTE when it starts the server.
Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = (
    "我们去年出过一次环保事故还能报绿色工厂吗",
    "绿色工厂的基本要求有哪些",
    "绿色园区评价要看哪些指标",
    "绿色供应链管理企业评价要求有哪些",
    "绿色设计产品评价依据哪些标准",
    "第三方评价机构应具备什么条件",
    "绿色制造体系建设的目标是什么",
    "申报绿色工厂需要准备哪些材料",
)
CHAT_MESSAGES = (
    "我们是化工企业，想申报绿色工厂",
    "近三年没有发生过较大及以上事故",
    "我们依法设立，排放达标",
    "绿色工厂的评价指标有哪些",
)


@dataclass
class EndpointStats:
    endpoint: str
    requests: int = 0
    errors: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    wall_s: float = 0.0

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies_ms)

        def pct(p: float) -> float:
            if not ordered:
                return float("nan")
            return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

        return {
            "endpoint": self.endpoint,
            "requests": self.requests,
            "errors": self.errors,
            "status_counts": self.status_counts,
            "req_per_s": round(self.requests / self.wall_s, 2) if self.wall_s else 0.0,
            "p50_ms": round(pct(0.50), 1),
            "p95_ms": round(pct(0.95), 1),
            "max_ms": round(ordered[-1], 1) if ordered else float("nan"),
            "mean_ms": round(statistics.fmean(ordered), 1) if ordered else float("nan"),
        }


def peak_rss_mb(pid: int | None) -> float | None:
    """The process's peak resident set (VmHWM) plus that of its children (uvicorn workers)."""
    if pid is None:
        return None
    total_kb = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if not status.exists():
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1) if total_kb else None


async def _run_endpoint(
    base_url: str, endpoint: str, clients: int, total: int, timeout_s: float, unique: bool = False
) -> EndpointStats:
    stats = EndpointStats(endpoint=endpoint)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(total):
        queue.put_nowait(index)

    async def client_loop(client_id: int, http: httpx.AsyncClient) -> None:
        session_id: str | None = None
        while True:
            try:
                index = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            suffix = f"（{index}）" if unique else ""
            if endpoint == "/api/ask":
                body: dict[str, object] = {"question": QUESTIONS[index % len(QUESTIONS)] + suffix}
            else:
                message = CHAT_MESSAGES[index % len(CHAT_MESSAGES)] + suffix
                body = {"message": message, "context": "factory"}
                if session_id:
                    body["session_id"] = session_id
            started = time.perf_counter()
            try:
                response = await http.post(endpoint, json=body)
                status = str(response.status_code)
                if response.status_code == 200 and endpoint == "/api/chat":
                    session_id = response.json().get("session_id", session_id)
                ok = response.status_code == 200
            except httpx.HTTPError as exc:
                status, ok = type(exc).__name__, False
            stats.latencies_ms.append((time.perf_counter() - started) * 1000)
            stats.requests += 1
            stats.errors += 0 if ok else 1
            stats.status_counts[status] = stats.status_counts.get(status, 0) + 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(i, http) for i in range(clients)))
        stats.wall_s = time.perf_counter() - started
    return stats


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerNotReady(RuntimeError):
    """The server exited (``returncode`` set) or did not answer /readyz in time (``returncode`` None)."""

    def __init__(self, returncode: int | None) -> None:
        super().__init__("server exited" if returncode is not None else "server not ready in time")
        self.returncode = returncode


def wait_until_ready(base_url: str, process: subprocess.Popen, timeout_s: float) -> None:
    """Poll ``{base_url}/readyz`` once a second until it answers 200; raise ServerNotReady otherwise."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise ServerNotReady(process.returncode)
        try:
            if httpx.get(f"{base_url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise ServerNotReady(None)
        time.sleep(1)


@contextmanager
def started_server(home: Path | None, ready_timeout_s: float) -> Iterator[tuple[str, int]]:
    """Run `greenmfg serve` on a free loopback port with a private copy of ``home`` (if given)."""
    with tempfile.TemporaryDirectory(prefix="greenmfg-load-") as scratch:
        private_home = Path(scratch) / "home"
        if home and home.exists():
            shutil.copytree(home, private_home, ignore=shutil.ignore_patterns("sessions*"))
        port = free_port()
        env = {
            **os.environ,
            "GREENMFG_HOME": str(private_home),
            "GREENMFG_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        log = (Path(scratch) / "serve.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli.main", "serve", "--port", str(port), "--log-level", "warning"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_until_ready(base_url, process, ready_timeout_s)
            except ServerNotReady as exc:
                if exc.returncode is not None:
                    raise RuntimeError(f"server exited with {exc.returncode}") from None
                raise RuntimeError(f"server not ready after {ready_timeout_s} s") from None
            yield base_url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def run(
    base_url: str, pid: int | None, clients: int, total: int, endpoints: list[str], unique: bool = False
) -> dict[str, object]:
    rss_before = peak_rss_mb(pid)
    results = []
    for endpoint in endpoints:
        # one warm-up request so the first measured request does not pay one-off costs
        httpx.post(f"{base_url}{endpoint}", json=_warmup_body(endpoint), timeout=120)
        stats = asyncio.run(_run_endpoint(base_url, endpoint, clients, total, timeout_s=300, unique=unique))
        results.append(stats.summary())
    return {
        "base_url": base_url,
        "clients": clients,
        "requests_per_endpoint": total,
        "unique_questions": unique,
        "cpu_count": os.cpu_count(),
        "server_peak_rss_mb_before": rss_before,
        "server_peak_rss_mb": peak_rss_mb(pid),
        "results": results,
    }


def _warmup_body(endpoint: str) -> dict[str, object]:
    return {"question": QUESTIONS[0]} if endpoint == "/api/ask" else {"message": CHAT_MESSAGES[0]}


def print_report(report: dict[str, object]) -> None:
    print(
        f"load test: {report['clients']} concurrent clients, {report['requests_per_endpoint']} requests "
        f"per endpoint, unique questions: {report['unique_questions']}, {report['cpu_count']} CPUs, "
        f"server {report['base_url']}"
    )
    header = (
        f"{'endpoint':<12}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    )
    print(header)
    for row in report["results"]:  # type: ignore[union-attr]
        print(
            f"{row['endpoint']:<12}{row['requests']:>9}{row['errors']:>8}{row['req_per_s']:>9}"
            f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}  statuses={row['status_counts']}"
        )
    print(
        f"server peak RSS: {report['server_peak_rss_mb']} MB "
        f"(before the run: {report['server_peak_rss_mb_before']} MB)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="use a running server instead of starting one")
    parser.add_argument("--server-pid", type=int, help="pid of that server, for its peak RSS")
    parser.add_argument(
        "--home", type=Path, help="GREENMFG_HOME to copy for the started server (prebuilt index)"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--endpoints", default="/api/ask,/api/chat")
    parser.add_argument("--ready-timeout", type=float, default=900.0)
    parser.add_argument("--unique", action="store_true", help="make every question distinct (no cache hits)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    args = parser.parse_args(argv)
    endpoints = [endpoint.strip() for endpoint in args.endpoints.split(",") if endpoint.strip()]

    if args.base_url:
        report = run(
            args.base_url.rstrip("/"), args.server_pid, args.clients, args.requests, endpoints, args.unique
        )
    else:
        home = args.home or Path(os.environ.get("GREENMFG_HOME", Path.home() / ".greenmfg"))
        with started_server(home, args.ready_timeout) as (base_url, pid):
            report = run(base_url, pid, args.clients, args.requests, endpoints, args.unique)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
