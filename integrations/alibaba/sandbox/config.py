"""Sandbox settings and run-time knobs.

Constants here are deliberately duplicated from the client's config (the sandbox never imports the
client: they are two independent readings of one protocol).
"""

from __future__ import annotations

import math
import os
import re
import threading
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

DEFAULT_APP_KEY = "12345678"
DEFAULT_APP_SECRET = "vnagri-sandbox-secret"
DEFAULT_SESSION = "SANDBOX-SESSION-0001"
# Seeded extras (protocol doc §8.2): a deliberately expired session and a second seller's session.
EXPIRED_SESSION = "SANDBOX-SESSION-EXPIRED"
SECOND_SELLER_SESSION = "SANDBOX-SESSION-0002"

DEFAULT_PROHIBITED_WORDS = (
    "best in the world",
    "100% cure",
    "guaranteed profit",
    "replica",
    "fake",
)

FAULT_MODES = ("isp", "unavailable", "http503", "drop")


@dataclass
class Knobs:
    """Everything tests and demos may steer at run time (POST /sandbox/admin/knobs)."""

    fault_rate: float = 0.0  # share of protocol calls answered with an injected server fault
    fault_modes: list[str] = field(default_factory=lambda: ["isp"])  # picked at random per fault
    rate_limit_share: float = 0.0  # share of calls answered with the rate-limit error (code 7)
    rate_limit_qps: float = 20.0  # token bucket per app_key; 0 disables the quota
    rate_limit_burst: float | None = None  # bucket size; None = same as qps
    latency_ms: int = 0  # fixed added delay per protocol call
    latency_jitter_ms: int = 0  # plus a random 0..jitter
    review_mode: str = "auto"  # auto | manual
    review_delay_seconds: float = 0.0
    min_image_px: int = 640
    prohibited_words: list[str] = field(default_factory=lambda: list(DEFAULT_PROHIBITED_WORDS))
    reject_edits_while_pending: bool = True
    fail_next: int = 0  # the next N protocol calls fail with fail_next_mode (deterministic)
    fail_next_mode: str = "isp"  # isp | unavailable | http503 | ratelimit | drop
    lose_next_replies: int = 0  # the next N calls of lose_reply_methods execute, then the reply is lost
    lose_reply_methods: list[str] = field(default_factory=lambda: ["alibaba.icbu.product.add"])
    seed: int | None = None  # seeds the fault RNG for reproducible sequences

    def update(self, changes: dict[str, Any]) -> None:
        """Apply all of `changes` or, when one is invalid, none (ValueError with a message fit for the client)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(str(name) for name in changes if name not in known)
        if unknown:
            raise ValueError(f"unknown knob: {', '.join(unknown)}")
        coerced = {name: _coerce(name, value, getattr(self, name)) for name, value in changes.items()}
        candidate = replace(self, **coerced)
        candidate.validate()
        for name in changes:
            setattr(self, name, getattr(candidate, name))

    def validate(self) -> None:
        for share in ("fault_rate", "rate_limit_share"):
            if not 0.0 <= getattr(self, share) <= 1.0:
                raise ValueError(f"{share} must be between 0 and 1")
        if self.review_mode not in ("auto", "manual"):
            raise ValueError("review_mode must be auto or manual")
        bad = [m for m in self.fault_modes if m not in FAULT_MODES]
        if bad or not self.fault_modes:
            raise ValueError(f"fault_modes must be a non-empty subset of {FAULT_MODES}")
        if self.fail_next_mode not in FAULT_MODES + ("ratelimit",):
            raise ValueError("fail_next_mode must be one of isp, unavailable, http503, ratelimit, drop")
        for name in ("rate_limit_qps", "latency_ms", "latency_jitter_ms", "review_delay_seconds",
                     "min_image_px", "fail_next", "lose_next_replies"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name, most in (("latency_ms", 600_000), ("latency_jitter_ms", 600_000), ("review_delay_seconds", 86_400)):
            if getattr(self, name) > most:
                raise ValueError(f"{name} must be at most {most}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _coerce(name: str, value: Any, current: Any) -> Any:
    if name in ("fault_modes", "prohibited_words", "lose_reply_methods"):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{name} must be a list of strings")
        return value
    if name == "reject_edits_while_pending":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)
    if name in ("review_mode", "fail_next_mode"):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
        return value
    if name in ("seed", "rate_limit_burst") and value in (None, ""):
        return None
    if name in ("latency_ms", "latency_jitter_ms", "min_image_px", "fail_next", "lose_next_replies", "seed"):
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r"-?[0-9]{1,15}",
                                                                                               str(value).strip()):
            raise ValueError(f"{name} must be an integer")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{name} must be a number")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number")
    return number


@dataclass
class SandboxConfig:
    db_path: str = "sandbox.sqlite3"
    app_key: str = DEFAULT_APP_KEY
    app_secret: str = field(default=DEFAULT_APP_SECRET, repr=False)
    session_key: str = field(default=DEFAULT_SESSION, repr=False)
    timestamp_skew_seconds: int = 600
    max_image_bytes: int = 5 * 1024 * 1024
    max_body_bytes: int = 12 * 1024 * 1024
    knobs: Knobs = field(default_factory=Knobs)
    knobs_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> "SandboxConfig":
        env = os.environ if environ is None else environ
        cfg = cls(
            app_key=env.get("ALIBABA_APP_KEY") or DEFAULT_APP_KEY,
            app_secret=env.get("ALIBABA_APP_SECRET") or DEFAULT_APP_SECRET,
            session_key=env.get("ALIBABA_SESSION_KEY") or DEFAULT_SESSION,
        )
        if env.get("ALIBABA_SANDBOX_DB"):
            cfg.db_path = env["ALIBABA_SANDBOX_DB"]
        knob_env = {
            "fault_rate": "ALIBABA_SANDBOX_FAULT_RATE",
            "fault_modes": "ALIBABA_SANDBOX_FAULT_MODES",
            "rate_limit_share": "ALIBABA_SANDBOX_RATE_LIMIT_SHARE",
            "rate_limit_qps": "ALIBABA_SANDBOX_QPS",
            "latency_ms": "ALIBABA_SANDBOX_LATENCY_MS",
            "review_mode": "ALIBABA_SANDBOX_REVIEW",
            "review_delay_seconds": "ALIBABA_SANDBOX_REVIEW_DELAY",
            "min_image_px": "ALIBABA_SANDBOX_MIN_IMAGE_PX",
            "seed": "ALIBABA_SANDBOX_SEED",
        }
        cfg.knobs.update({k: env[v] for k, v in knob_env.items() if env.get(v)})
        for name, value in overrides.items():
            if value is None:
                continue
            if hasattr(cfg.knobs, name):
                cfg.knobs.update({name: value})
            else:
                setattr(cfg, name, value)
        return cfg
