"""A token bucket per client address: each request takes a token; tokens come back at `rate`
per second up to `burst`. The table of addresses is bounded: when it is full, the clients
whose buckets have refilled (idle ones) are forgotten first."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    def __init__(self, rate: float, burst: float, max_clients: int = 1024, clock=time.monotonic):
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, when)
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Whether `client` may make a request now (and if so, it has used a token)."""
        with self.lock:
            now = self.clock()
            tokens, when = self.buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            if client not in self.buckets and len(self.buckets) >= self.max_clients:
                self._forget_idle(now)
                if len(self.buckets) >= self.max_clients:
                    return False  # every known client is busy: a new one waits its turn
            self.buckets[client] = (tokens, now)
            return allowed

    def _forget_idle(self, now: float) -> None:
        full = [c for c, (t, w) in self.buckets.items() if t + (now - w) * self.rate >= self.burst]
        for client in full:
            del self.buckets[client]
