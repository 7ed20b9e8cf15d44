"""Error classes, retry rules, timeouts, lost replies and the client-side rate limiter, against the live sandbox."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from alibaba_helpers import rice_draft, unique_ref

from integrations.alibaba import (AlibabaClient, AlibabaSettings, BadParameter, BusinessRuleError, ConnectionFailed,
                                  InvalidAppKey, InvalidSession, InvalidSignature, InvalidTimestamp, PermanentError,
                                  PermissionDenied, ProtocolError, RateLimited, ServerError, SessionExpired, Timeout)
from integrations.alibaba.errors import error_from_response
from integrations.alibaba.transport import RateLimiter

CATEGORY_GET = "alibaba.icbu.category.get"


def _wait_for_calls(admin, method: str, expected: int, timeout: float = 3.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        seen = admin.calls(method)
        if seen >= expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


@pytest.mark.parametrize("gateway", ["top", "iop"])
@pytest.mark.parametrize("overrides,exc_type", [
    (dict(app_secret="wrong-secret"), InvalidSignature),
    (dict(session_key="SANDBOX-SESSION-EXPIRED"), SessionExpired),
    (dict(session_key="NOT-A-SESSION"), InvalidSession),
    (dict(app_key="99999999"), InvalidAppKey),
])
def test_permanent_auth_errors_are_not_retried(client_factory, admin, gateway, overrides, exc_type):
    client = client_factory(gateway, **overrides)
    with pytest.raises(exc_type) as exc:
        client.get_category(0)
    assert not exc.value.retryable and exc.value.request_id.startswith("sbx-")
    assert admin.calls(CATEGORY_GET) == 1


def test_expired_session_is_told_apart_from_a_bad_one(client_factory):
    with pytest.raises(SessionExpired) as exc:
        client_factory(session_key="SANDBOX-SESSION-EXPIRED").get_category(0)
    assert exc.value.sub_code == "session-expired"
    with pytest.raises(InvalidSession) as exc2:
        client_factory(session_key="NOT-A-SESSION").get_category(0)
    assert not isinstance(exc2.value, SessionExpired)


def test_bad_parameters_and_business_rules_are_permanent(client, admin, uploaded):
    with pytest.raises(BadParameter) as exc:
        client.call("alibaba.icbu.product.get", {"language": "ENGLISH"})
    assert exc.value.parameter == "product_id" and exc.value.code == 40
    with pytest.raises(BadParameter) as exc:
        client.call("alibaba.icbu.product.list", {"language": "ENGLISH", "page_size": "31"})
    assert exc.value.code == 41
    with pytest.raises(BusinessRuleError) as exc:
        client.add_product(rice_draft((uploaded,), subject="R" * 129))
    assert exc.value.rule == "CHK_BASIC_MAX_LENGTH" and not exc.value.retryable
    assert admin.calls("alibaba.icbu.product.add") == 1


@pytest.mark.parametrize("mode,http_status", [("isp", 200), ("unavailable", 200), ("http503", 503)])
def test_server_errors_are_retried_then_succeed(client_factory, admin, mode, http_status):
    client = client_factory(max_attempts=4)
    admin.knobs(fail_next=2, fail_next_mode=mode)
    assert client.get_category(0).child_ids
    assert admin.calls(CATEGORY_GET) == 3  # two failures, then success


def test_server_error_gives_up_after_max_attempts(client_factory, admin):
    client = client_factory(max_attempts=3)
    admin.knobs(fail_next=10, fail_next_mode="isp")
    with pytest.raises(ServerError) as exc:
        client.get_category(0)
    assert exc.value.retryable and exc.value.sub_code == "isp.remote-service-error"
    assert admin.calls(CATEGORY_GET) == 3


def test_rate_limited_is_retried_and_reports_the_ban(client_factory, admin):
    admin.knobs(fail_next=1, fail_next_mode="ratelimit")
    assert client_factory(max_attempts=2).get_category(0).child_ids
    assert admin.calls(CATEGORY_GET) == 2
    admin.knobs(fail_next=5, fail_next_mode="ratelimit")
    with pytest.raises(RateLimited) as exc:
        client_factory("iop", max_attempts=2).get_category(0)
    assert exc.value.retryable and exc.value.retry_after == 1 and exc.value.code == "ApiCallLimit"


def test_read_timeout_is_retried_for_reads(client_factory, admin):
    admin.knobs(latency_ms=400)
    client = client_factory(read_timeout=0.1, max_attempts=2)
    started = time.monotonic()
    with pytest.raises(Timeout) as exc:
        client.get_category(0)
    assert exc.value.retryable and exc.value.outcome_unknown
    assert time.monotonic() - started < 2
    assert _wait_for_calls(admin, CATEGORY_GET, 2) == 2


def test_add_is_not_retried_when_the_outcome_is_unknown(client_factory, admin, uploaded):
    """A timed-out add may have been executed: the client must not publish it twice."""
    client = client_factory(read_timeout=0.15, max_attempts=4)
    ref = unique_ref("TIMEOUT")
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    admin.knobs(latency_ms=400)
    with pytest.raises(Timeout) as exc:
        client.add_product(rice_draft((uploaded,), ref=ref))
    assert exc.value.outcome_unknown
    admin.knobs(latency_ms=0)
    assert _wait_for_calls(admin, "alibaba.icbu.product.add", 1) == 1
    time.sleep(0.5)  # the server finishes the slow call
    assert len(client.find_products_by_reference(ref, modified_from=before)) == 1


def test_lost_reply_is_recovered_by_reference(client, admin, uploaded):
    ref = unique_ref("LOST")
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    admin.knobs(lose_next_replies=1)
    with pytest.raises(ConnectionFailed) as exc:
        client.add_product(rice_draft((uploaded,), ref=ref))
    assert exc.value.retryable and exc.value.outcome_unknown
    assert admin.calls("alibaba.icbu.product.add") == 1  # not re-sent
    found = client.find_products_by_reference(ref, modified_from=before)
    assert len(found) == 1 and found[0].status == "approved"


def test_add_is_retried_on_a_platform_server_error(client, admin, uploaded):
    ref = unique_ref("RETRY")
    admin.knobs(fail_next=1, fail_next_mode="isp")
    product_id = client.add_product(rice_draft((uploaded,), ref=ref))
    assert admin.calls("alibaba.icbu.product.add") == 2
    assert [p.product_id for p in client.find_products_by_reference(ref)] == [product_id]


def test_connection_refused_is_retryable_and_certain(sandbox):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = AlibabaClient(AlibabaSettings(gateway_url=f"http://127.0.0.1:{port}/router/rest", max_attempts=2,
                                           backoff_initial=0.01, backoff_max=0.02, max_calls_per_second=None))
    with pytest.raises(ConnectionFailed) as exc:
        client.get_category(0)
    assert exc.value.retryable and not exc.value.outcome_unknown


def test_client_rate_limiter_keeps_calls_under_the_quota(client_factory, admin):
    admin.knobs(rate_limit_qps=10)
    limited = client_factory(max_calls_per_second=10, max_attempts=1)
    started = time.monotonic()
    for _ in range(25):
        limited.get_category(0)  # max_attempts=1: any quota error would raise here
    elapsed = time.monotonic() - started
    assert elapsed >= 2.3  # 25 calls at 10/s
    assert admin.stats()["outcomes"][CATEGORY_GET] == {"ok": 25}


def test_without_the_client_limiter_the_quota_answers_rate_limited(client_factory, admin):
    admin.knobs(rate_limit_qps=10)
    unlimited = client_factory(max_calls_per_second=None, max_attempts=1)
    with pytest.raises(RateLimited) as exc:
        for _ in range(40):
            unlimited.get_category(0)
    assert exc.value.sub_code == "accesscontrol.limited-by-app-access-count"
    assert "This ban will last for 1 more seconds" in exc.value.sub_msg


def test_rate_limiter_spacing_with_a_fake_clock():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4, burst=2, clock=lambda: now[0], sleep=sleep)
    waits = [limiter.acquire() for _ in range(6)]
    assert waits[:2] == [0.0, 0.0]
    assert all(w == pytest.approx(0.25) for w in waits[2:])
    assert RateLimiter(None).acquire() == 0.0


@pytest.mark.parametrize("body,exc_type,retryable", [
    ({"code": 7, "msg": "App Call Limited", "sub_code": "accesscontrol.limited-by-app-access-count",
      "sub_msg": "This ban will last for 2 more seconds"}, RateLimited, True),
    ({"code": "ApiCallLimit", "type": "ISP"}, RateLimited, True),
    ({"code": 10, "msg": "Service Currently Unavailable"}, ServerError, True),
    ({"code": 15, "sub_code": "isp.remote-service-error"}, ServerError, True),
    ({"code": "15", "type": "ISP", "sub_code": "isp.remote-service-error"}, ServerError, True),
    ({"code": "UnknownRuntimeException", "type": "SYSTEM"}, ServerError, True),
    ({"code": 25, "msg": "Invalid signature"}, InvalidSignature, False),
    ({"code": "IncompleteSignature", "type": "ISV"}, InvalidSignature, False),
    ({"code": 27, "sub_code": "session-expired"}, SessionExpired, False),
    ({"code": "IllegalAccessToken", "type": "ISV", "sub_code": "session-expired"}, SessionExpired, False),
    ({"code": 27, "sub_code": "invalid-sessionkey"}, InvalidSession, False),
    ({"code": 29}, InvalidAppKey, False),
    ({"code": 31}, InvalidTimestamp, False),
    ({"code": 40, "msg": "Missing required arguments:subject"}, BadParameter, False),
    ({"code": "InvalidParameter", "type": "ISV"}, BadParameter, False),
    ({"code": 15, "sub_code": "isv.CHK_CAT_NOT_LEAF"}, BusinessRuleError, False),
    ({"code": 11}, PermissionDenied, False),
    ({"code": 22}, ProtocolError, False),
    ({"code": 999}, PermanentError, False),
])
def test_error_mapping_table(body, exc_type, retryable):
    err = error_from_response(body, method="m")
    assert type(err) is exc_type and err.retryable is retryable
    if isinstance(err, RateLimited) and body.get("sub_msg"):
        assert err.retry_after == 2
