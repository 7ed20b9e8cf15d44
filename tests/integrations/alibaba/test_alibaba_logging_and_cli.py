"""No secret in any log line; the README's run command starts a working sandbox process."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from urllib.parse import parse_qs

import requests
from alibaba_helpers import ROOT, SECRET, SESSION, rice_draft

from integrations.alibaba import AlibabaClient, AlibabaSettings, ConnectionFailed, InvalidSignature


def test_no_secret_in_logs(caplog, client_factory, admin, uploaded):
    caplog.set_level(logging.DEBUG)
    client = client_factory(max_attempts=3)
    signs: list[str] = []

    def remember_sign(response, *args, **kwargs):
        body = response.request.body
        if isinstance(body, str):
            signs.extend(parse_qs(body).get("sign", []))

    client.transport.http.hooks["response"].append(remember_sign)
    admin.knobs(fail_next=2, fail_next_mode="isp")
    client.get_category(0)  # retried twice: warnings are logged
    admin.knobs(lose_next_replies=1)
    try:
        client.add_product(rice_draft((uploaded,)))
    except ConnectionFailed:
        pass
    bad = client_factory(app_secret="another-secret-value")
    try:
        bad.get_category(0)
    except InvalidSignature:
        pass
    assert signs and "retrying" in caplog.text
    for secret in [SECRET, SESSION, "another-secret-value", *signs]:
        assert secret not in caplog.text
    assert SECRET not in repr(client.settings) and SESSION not in repr(client)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_command_starts_the_sandbox(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "integrations.alibaba.sandbox", "--port", str(port), "--db",
         str(tmp_path / "sandbox.sqlite3"), "--review", "manual", "--log-level", "WARNING"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json() == {"ok": True}:
                    break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        for gateway in ("router/rest", "sync"):
            client = AlibabaClient(AlibabaSettings(gateway_url=f"http://127.0.0.1:{port}/{gateway}"))
            assert client.get_category(0).child_ids
            client.close()
        knobs = requests.get(f"http://127.0.0.1:{port}/sandbox/admin/knobs",
                             headers={"X-Sandbox-Admin-Token": SECRET}, timeout=2).json()
        assert knobs["review_mode"] == "manual" and knobs["rate_limit_qps"] == 20
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0].decode()
    assert SECRET not in output and SESSION not in output
