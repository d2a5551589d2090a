"""How webhooks are delivered: the app's ``WEBHOOKS_*`` settings (``FACTLOG_WEBHOOKS_*`` variables)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WebhookSettings:
    allow_private_networks: bool = False  # RFC 1918, unique-local IPv6, shared address space
    allow_loopback: bool = False  # 127.0.0.0/8, ::1 (tests, a receiver on the same machine)
    timeout_seconds: float = 5.0  # connecting, and each read of the answer
    max_attempts: int = 8  # per delivery; then it is given up on and the next one goes out
    disable_after: int = 10  # consecutive failed attempts (over deliveries) that disable the subscription
    retry_base_seconds: float = 10.0  # the first retry's delay; it doubles with each failure
    retry_max_seconds: float = 3600.0
    batch_size: int = 500  # events read from the log per step

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookSettings:
        defaults = cls()
        return cls(
            allow_private_networks=bool(config.get("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", False)),
            allow_loopback=bool(config.get("WEBHOOKS_ALLOW_LOOPBACK", False)),
            timeout_seconds=float(config.get("WEBHOOKS_TIMEOUT_SECONDS", defaults.timeout_seconds)),
            max_attempts=max(1, int(config.get("WEBHOOKS_MAX_ATTEMPTS", defaults.max_attempts))),
            disable_after=max(1, int(config.get("WEBHOOKS_DISABLE_AFTER", defaults.disable_after))),
            retry_base_seconds=float(config.get("WEBHOOKS_RETRY_BASE_SECONDS", defaults.retry_base_seconds)),
            retry_max_seconds=float(config.get("WEBHOOKS_RETRY_MAX_SECONDS", defaults.retry_max_seconds)),
            batch_size=int(config.get("WEBHOOKS_BATCH_SIZE", defaults.batch_size)),
        )
