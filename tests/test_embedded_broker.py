"""The embedded default broker: a real worker process takes a task from files under var/."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_a_real_worker_consumes_from_the_file_system_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update(HTX_VAR_DIR=str(tmp_path), CELERY_TASK_ALWAYS_EAGER="false")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    log_path = tmp_path / "worker.log"
    log_file = log_path.open("w")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "storefront", "worker", "-l", "info",
                               "--concurrency", "1", "--without-heartbeat", "--without-mingle"],
                              cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        subprocess.run([sys.executable, "manage.py", "shell", "-c",
                        "from storefront.order.tasks import expire_unpaid_orders_task as t; t.delay()"],
                       cwd=ROOT, env=env, check=True)
        deadline = time.monotonic() + 60
        log = ""
        while time.monotonic() < deadline and "succeeded" not in log:
            time.sleep(0.5)
            log = log_path.read_text()
        assert "succeeded" in log, log[-2000:]
        assert "No hostname was supplied" not in log
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log_file.close()
