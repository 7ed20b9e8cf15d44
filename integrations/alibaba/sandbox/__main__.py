"""python -m integrations.alibaba.sandbox --port 8700 --db PATH [knobs]"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from .config import SandboxConfig
from .server import create_server
from .app import make_app


def main(argv: list[str] | None = None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m integrations.alibaba.sandbox",
                                     description="Sandbox B2B catalog speaking the Alibaba.com product protocol.")
    parser.add_argument("--host", default=env.get("ALIBABA_SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env.get("ALIBABA_SANDBOX_PORT", "8700")))
    parser.add_argument("--db", default=env.get("ALIBABA_SANDBOX_DB", "var/alibaba-sandbox.sqlite3"),
                        help="SQLite file (created and seeded when missing)")
    parser.add_argument("--fail-rate", "--fault-rate", dest="fault_rate", type=float,
                        help="share of calls answered with an injected server error (0..1)")
    parser.add_argument("--fault-modes", help="comma list of isp,unavailable,http503,drop (default isp)")
    parser.add_argument("--rate-limit-share", type=float, help="share of calls answered with code 7 (0..1)")
    parser.add_argument("--qps", dest="rate_limit_qps", type=float, help="calls per second per app (default 20)")
    parser.add_argument("--latency-ms", type=int, help="added latency per protocol call")
    parser.add_argument("--review", dest="review_mode", choices=("auto", "manual"))
    parser.add_argument("--review-delay", dest="review_delay_seconds", type=float)
    parser.add_argument("--min-image-px", type=int)
    parser.add_argument("--seed", type=int, help="seed of the fault RNG")
    parser.add_argument("--log-level", default=env.get("ALIBABA_SANDBOX_LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db_dir = os.path.dirname(os.path.abspath(args.db))
    os.makedirs(db_dir, exist_ok=True)
    config = SandboxConfig.from_env(
        db_path=args.db, fault_rate=args.fault_rate, fault_modes=args.fault_modes,
        rate_limit_share=args.rate_limit_share, rate_limit_qps=args.rate_limit_qps, latency_ms=args.latency_ms,
        review_mode=args.review_mode, review_delay_seconds=args.review_delay_seconds,
        min_image_px=args.min_image_px, seed=args.seed)
    server = create_server(make_app(config), args.host, args.port)
    host, port = server.server_address[:2]
    logging.getLogger("integrations.alibaba.sandbox").info(
        "sandbox B2B catalog on http://%s:%s (gateways /router/rest and /sync, app_key %s, db %s)",
        host, port, config.app_key, args.db)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
