"""Client settings (from the environment, with the sandbox's defaults).

The app secret and session key are kept out of repr() and never logged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

DEFAULT_GATEWAY_URL = "http://127.0.0.1:8700/router/rest"
SANDBOX_APP_KEY = "12345678"
SANDBOX_APP_SECRET = "vnagri-sandbox-secret"
SANDBOX_SESSION_KEY = "SANDBOX-SESSION-0001"

# Hosts of the real platform (protocol doc §1.1): calls to sandbox-only extensions are refused there.
REAL_PLATFORM_DOMAINS = ("taobao.com", "tbsandbox.com", "alibaba.com", "aliexpress.com")

TOP_SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
IOP_SIGN_METHODS = ("sha256",)


def _is_real_platform(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in REAL_PLATFORM_DOMAINS)


@dataclass(frozen=True)
class AlibabaSettings:
    gateway_url: str = DEFAULT_GATEWAY_URL
    app_key: str = SANDBOX_APP_KEY
    app_secret: str = field(default=SANDBOX_APP_SECRET, repr=False)
    session_key: str = field(default=SANDBOX_SESSION_KEY, repr=False)
    sign_method: str | None = None  # None: hmac-sha256 on TOP /router/rest, sha256 on IOP /sync
    connect_timeout: float = 3.05
    read_timeout: float = 30.0
    max_calls_per_second: float | None = 20.0  # client-side limit; None disables it
    rate_burst: int = 1
    max_attempts: int = 4  # total attempts for retryable errors
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    backoff_jitter: float = 0.5
    max_ban_wait: float = 10.0  # cap on honouring "This ban will last for N more seconds"
    simplify: bool = True
    sandbox: bool | None = None  # None: decided from the gateway host
    partner_id: str = "htx-market-alibaba-client"

    def __post_init__(self) -> None:
        if self.protocol == "top" and self.effective_sign_method not in TOP_SIGN_METHODS:
            raise ValueError(f"sign_method {self.sign_method!r} is not valid on the TOP gateway")
        if self.protocol == "iop" and self.effective_sign_method not in IOP_SIGN_METHODS:
            raise ValueError(f"sign_method {self.sign_method!r} is not valid on the IOP /sync gateway")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    @property
    def protocol(self) -> str:
        """'iop' for the Alibaba.com Open Platform /sync gateway, 'top' for router/rest."""
        return "iop" if urlsplit(self.gateway_url).path.rstrip("/").endswith("/sync") else "top"

    @property
    def effective_sign_method(self) -> str:
        return self.sign_method or ("sha256" if self.protocol == "iop" else "hmac-sha256")

    @property
    def is_sandbox(self) -> bool:
        if self.sandbox is not None:
            return self.sandbox
        return not _is_real_platform(urlsplit(self.gateway_url).hostname or "")

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def with_(self, **changes: Any) -> "AlibabaSettings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> "AlibabaSettings":
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        text = {"gateway_url": "ALIBABA_GATEWAY_URL", "app_key": "ALIBABA_APP_KEY",
                "app_secret": "ALIBABA_APP_SECRET", "session_key": "ALIBABA_SESSION_KEY",
                "sign_method": "ALIBABA_SIGN_METHOD"}
        for name, var in text.items():
            if env.get(var):
                values[name] = env[var]
        numbers = {"connect_timeout": "ALIBABA_CONNECT_TIMEOUT", "read_timeout": "ALIBABA_TIMEOUT",
                   "max_calls_per_second": "ALIBABA_QPS", "backoff_initial": "ALIBABA_BACKOFF_INITIAL",
                   "backoff_max": "ALIBABA_BACKOFF_MAX"}
        for name, var in numbers.items():
            if env.get(var):
                values[name] = float(env[var])
        if env.get("ALIBABA_QPS", "").strip() in ("0", "none", "off"):
            values["max_calls_per_second"] = None
        if env.get("ALIBABA_MAX_ATTEMPTS"):
            values["max_attempts"] = int(env["ALIBABA_MAX_ATTEMPTS"])
        if env.get("ALIBABA_SANDBOX"):
            values["sandbox"] = env["ALIBABA_SANDBOX"].strip().lower() in ("1", "true", "yes", "on")
        values.update(overrides)
        return cls(**values)
