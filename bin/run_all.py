"""`make run`: the shop, a Celery worker, the scheduler and the sandbox B2B catalog, together.

Embedded defaults (SQLite, file-system broker) unless the environment says otherwise. Ctrl-C stops
everything; if one process dies the others are stopped too, so nothing is left half-running.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
SANDBOX_PORT = os.environ.get("SANDBOX_PORT", "8700")
VAR = Path(os.environ.get("HTX_VAR_DIR", ROOT / "var"))


def main() -> int:
    env = dict(os.environ)
    env.setdefault("ALIBABA_GATEWAY_URL", f"http://127.0.0.1:{SANDBOX_PORT}/router/rest")
    commands = {
        "web": [PY, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [PY, "-m", "celery", "-A", "storefront", "worker", "-l", "warning", "--concurrency", "2"],
        "beat": [PY, "-m", "celery", "-A", "storefront", "beat", "-l", "warning",
                 "-s", str(VAR / "celerybeat-schedule")],
        "sandbox": [PY, "-m", "integrations.alibaba.sandbox", "--host", "127.0.0.1", "--port", SANDBOX_PORT,
                    "--db", str(VAR / "sandbox.sqlite3")],
    }
    print(f"Shop: http://{HOST}:{PORT}/", flush=True)
    print(f"  GraphQL API:        http://{HOST}:{PORT}/graphql/")
    print(f"  Cooperative pages:  http://{HOST}:{PORT}/dashboard/")
    print(f"  Trade console:      http://{HOST}:{PORT}/trade/")
    print(f"  Supply & reports:   http://{HOST}:{PORT}/supply/")
    print(f"  Admin:              http://{HOST}:{PORT}/admin/")
    print(f"  Sandbox B2B catalog: http://127.0.0.1:{SANDBOX_PORT}/ (buyer pages)")
    print("  Celery worker and beat: running (broker: %s)" % env.get("CELERY_BROKER_URL", "filesystem, under var/"))
    sys.stdout.flush()
    # Idempotent: on a second start it changes nothing and just lists the demo logins.
    subprocess.run([PY, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)
    print("Press Ctrl-C to stop.", flush=True)

    procs = {name: subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True) for name, cmd in commands.items()}
    # Export demo next: it loads the B2B categories from the sandbox just started, so it waits for it.
    subprocess.run([PY, "manage.py", "seed_export_demo", "--wait-for-platform", "30"], cwd=ROOT, env=env)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; stopping the others.", file=sys.stderr)
                exit_code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.time() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(deadline - time.time(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
