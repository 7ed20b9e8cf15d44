"""The sandbox's admin endpoint answers bad input with 400 and its own words: no parser or Python error text, and
a rejected change leaves every knob as it was."""
from __future__ import annotations

import pytest
import requests
from alibaba_helpers import SECRET

PYTHON_WORDS = ("Traceback", "invalid literal", "could not convert", "Expecting value", "line 1 column", "char 0",
                "object has no attribute", "NoneType", "codec can't decode")


def _post(sandbox, route, data, content_type="application/json", **headers):
    return requests.post(f"{sandbox.base_url}/sandbox/admin/{route}", data=data, timeout=5,
                         headers={"X-Sandbox-Admin-Token": SECRET, "Content-Type": content_type, **headers})


@pytest.mark.parametrize("body", [
    b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe", b"[" * 100_000, b'{"latency_ms": "abc"}',
    b'{"latency_ms": "\xc2\xb2"}', b'{"latency_ms": 1.5}', b'{"latency_ms": [1]}', b'{"fault_rate": "x"}',
    b'{"fault_rate": "nan"}', b'{"fault_rate": {}}', b'{"review_mode": 7}', b'{"fault_modes": 3}',
    b'{"latency_ms": 99999999999}', b'{"nope": 1}', b'{"seed": "x"}',
])
def test_bad_knobs_are_400_in_plain_words(sandbox, body):
    before = requests.get(f"{sandbox.base_url}/sandbox/admin/knobs", headers={"X-Sandbox-Admin-Token": SECRET},
                          timeout=5).json()
    response = _post(sandbox, "knobs", body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert not any(words in error for words in PYTHON_WORDS), error
    after = requests.get(f"{sandbox.base_url}/sandbox/admin/knobs", headers={"X-Sandbox-Admin-Token": SECRET},
                         timeout=5).json()
    assert after == before


def test_a_rejected_change_applies_none_of_it(sandbox):
    response = _post(sandbox, "knobs", b'{"latency_ms": 5, "fault_rate": 2}')
    assert response.status_code == 400 and response.json()["error"] == "fault_rate must be between 0 and 1"
    knobs = requests.get(f"{sandbox.base_url}/sandbox/admin/knobs", headers={"X-Sandbox-Admin-Token": SECRET},
                         timeout=5).json()
    assert knobs["latency_ms"] == 0 and knobs["fault_rate"] == 0.0


@pytest.mark.parametrize("body", [
    b'{"decision": "approve", "product_ids": "abc"}', b'{"decision": "approve", "product_ids": [1]}',
    b'{"decision": "reject", "product_id": "1", "reasons": 5}', b'{"decision": 3}',
    b'{"decision": "approve", "all_pending": "yes"}',
])
def test_bad_review_requests_are_400(sandbox, body):
    response = _post(sandbox, "review", body)
    assert response.status_code == 400, response.text
    assert not any(words in response.text for words in PYTHON_WORDS)


def test_a_bad_content_length_is_400(sandbox):
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(sandbox.base_url)
    for length in ("abc", "-1", str(2 << 20)):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        connection.putrequest("POST", "/sandbox/admin/knobs")
        connection.putheader("X-Sandbox-Admin-Token", SECRET)
        connection.putheader("Content-Length", length)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        assert response.status == 400, (length, body)
        assert not any(words in body for words in PYTHON_WORDS)
