"""Small service building blocks: token bucket, SSE chunking, upload names, security header policy."""

from __future__ import annotations

import pytest

from ui.api.engines import upload_name
from ui.api.headers import headers_for
from ui.api.rate_limit import TokenBucketLimiter
from ui.api.streaming import reply_chunks


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_burst_then_waits_and_refills() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(6, clock=clock)  # one token every 10 s
    assert [limiter.acquire("a") for _ in range(6)] == [0.0] * 6
    assert limiter.acquire("a") == pytest.approx(10.0)
    assert limiter.acquire("b") == 0.0  # other clients are independent
    clock.now += 10.0
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0


def test_token_bucket_memory_is_bounded() -> None:
    limiter = TokenBucketLimiter(1, clock=FakeClock(), max_clients=3)
    for client in ("a", "b", "c", "d"):
        assert limiter.acquire(client) == 0.0
    assert limiter.acquire("a") == 0.0  # "a" was evicted, so it starts with a full bucket again
    assert limiter.acquire("d") > 0


def test_token_bucket_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError):
        TokenBucketLimiter(0)


@pytest.mark.parametrize(
    "text",
    ["", "短句。", "绿色工厂需要满足基本要求，近三年无较大及以上事故 [1]。\n其次，" * 5, "x" * 100],
)
def test_reply_chunks_concatenate_to_the_text(text: str) -> None:
    chunks = reply_chunks(text, max_chars=24)
    assert "".join(chunks) == text
    assert all(0 < len(chunk) <= 24 for chunk in chunks)


def test_reply_chunks_break_after_punctuation() -> None:
    assert reply_chunks("甲，乙。丙") == ["甲，", "乙。", "丙"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\报告.pdf", "报告.pdf"),
        (None, "upload"),
        ("", "upload"),
    ],
)
def test_upload_name_keeps_only_the_base_name(raw: str | None, expected: str) -> None:
    assert upload_name(raw) == expected


def test_header_policy_per_path() -> None:
    assert headers_for("/ui/")["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert "X-Frame-Options" not in headers_for("/widget.js")
    assert headers_for("/api/ask")["Cache-Control"] == "no-store"
    assert "connect-src 'self'" in headers_for("/widget/demo")["Content-Security-Policy"]
