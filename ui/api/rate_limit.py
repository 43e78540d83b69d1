"""Per-client token-bucket rate limiting (in memory, one bucket per client IP)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from ui.api.errors import ApiError

MAX_TRACKED_CLIENTS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """``per_minute`` requests per client, with bursts up to the same number.

    Memory is bounded: the least recently seen clients are forgotten first (a forgotten client simply
    starts again with a full bucket).
    """

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_TRACKED_CLIENTS,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be >= 1")
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, client: str) -> float:
        """Take one token for ``client``; return 0 when allowed, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(client, None)
            if bucket is None:
                bucket = _Bucket(tokens=self.capacity, updated=now)
            else:
                elapsed = max(0.0, now - bucket.updated)
                bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.refill_per_second)
                bucket.updated = now
            self._buckets[client] = bucket
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.refill_per_second


def client_key(request: Request) -> str:
    # uvicorn resolves X-Forwarded-For only for trusted proxies (--forwarded-allow-ips), so this is safe.
    return request.client.host if request.client else "unknown"


def enforce_rate_limit(request: Request) -> None:
    """FastAPI dependency: 429 with Retry-After once the client's bucket is empty."""
    limiter: TokenBucketLimiter = request.app.state.rate_limiter
    wait_s = limiter.acquire(client_key(request))
    if wait_s > 0:
        retry_after = max(1, math.ceil(wait_s))
        raise ApiError(
            429,
            "rate_limited",
            f"请求过于频繁，请 {retry_after} 秒后再试。",
            f"Too many requests; retry in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
