"""Accounts and tokens as Saleor issues them."""
import uuid

import jwt
import pytest
from django.conf import settings

from storefront.graphql.core.ids import global_id
from tests.graphql.queries import ACCOUNT_REGISTER, ME, TOKEN_CREATE, TOKEN_REFRESH, TOKEN_VERIFY


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.GRAPHQL_TOKEN_CREATE_RATE_LIMIT = 1000  # the limit has its own test, from its own address


def test_token_create_gives_saleor_tokens(gql, customer):
    result = gql.execute(TOKEN_CREATE, {"email": customer.email, "password": "Matkhau!2026"})["tokenCreate"]
    assert result["errors"] == [] and result["user"]["email"] == customer.email
    access = jwt.decode(result["token"], settings.SECRET_KEY, algorithms=["HS256"])
    assert access["type"] == "access" and access["email"] == customer.email
    assert access["user_id"] == global_id("User", customer.pk) and access["exp"] > access["iat"]
    refresh = jwt.decode(result["refreshToken"], settings.SECRET_KEY, algorithms=["HS256"])
    assert refresh["type"] == "refresh" and refresh["csrf_token"] == result["csrfToken"]
    me = gql.execute(ME, token=result["token"])["me"]
    assert me["email"] == customer.email and me["orders"]["totalCount"] == 0


def test_wrong_password_and_lockout(gql, customer):
    for _ in range(5):
        result = gql.execute(TOKEN_CREATE, {"email": customer.email, "password": "sai"})["tokenCreate"]
        assert result["token"] is None
        assert result["errors"][0]["code"] == "INVALID_CREDENTIALS"
    locked = gql.execute(TOKEN_CREATE, {"email": customer.email, "password": "Matkhau!2026"})["tokenCreate"]
    assert locked["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"


def test_token_create_rate_limited_per_ip_and_email(gql, settings):
    settings.GRAPHQL_TOKEN_CREATE_RATE_LIMIT = 3
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    run = uuid.uuid4().hex[:8]

    def attempt(email, ip):
        body = gql.post(TOKEN_CREATE, {"email": email, "password": "x"}, REMOTE_ADDR=ip)
        return body["data"]["tokenCreate"]["errors"][0]["code"]

    codes = [attempt(f"u{i}-{run}@example.com", address) for i in range(4)]
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["LOGIN_ATTEMPT_DELAYED"]
    same_email = [attempt(f"same-{run}@example.com", f"10.1.{i}.{uuid.uuid4().int % 250}") for i in range(4)]
    assert same_email[-1] == "LOGIN_ATTEMPT_DELAYED"


def test_refresh_and_verify(gql, customer):
    created = gql.execute(TOKEN_CREATE, {"email": customer.email, "password": "Matkhau!2026"})["tokenCreate"]
    refreshed = gql.execute(TOKEN_REFRESH, {"refreshToken": created["refreshToken"]})["tokenRefresh"]
    assert refreshed["errors"] == [] and refreshed["user"]["email"] == customer.email
    verified = gql.execute(TOKEN_VERIFY, {"token": refreshed["token"]})["tokenVerify"]
    assert verified["isValid"] is True and verified["payload"]["email"] == customer.email
    wrong_type = gql.execute(TOKEN_REFRESH, {"refreshToken": created["token"]})["tokenRefresh"]
    assert wrong_type["token"] is None and wrong_type["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    garbage = gql.execute(TOKEN_VERIFY, {"token": "abc.def.ghi"})["tokenVerify"]
    assert garbage["isValid"] is False and garbage["errors"][0]["code"] == "JWT_INVALID_TOKEN"


def test_password_change_revokes_tokens(gql, customer):
    token = gql.execute(TOKEN_CREATE, {"email": customer.email, "password": "Matkhau!2026"})["tokenCreate"]["token"]
    customer.set_password("Matkhau-moi!2027")
    customer.save()
    response = gql.post(ME, token=token, raw=True)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"


def test_expired_token_is_rejected(gql, customer):
    token = jwt.encode({"type": "access", "user_id": global_id("User", customer.pk), "iat": 1, "exp": 2,
                        "email": customer.email}, settings.SECRET_KEY, algorithm="HS256")
    response = gql.post(ME, token=token, raw=True)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "ExpiredSignatureError"


def test_me_is_null_for_anonymous(gql):
    assert gql.execute("{ me { id } }")["me"] is None


def test_account_register(gql):
    data = gql.execute(ACCOUNT_REGISTER, {"input": {"email": "moi@example.com", "password": "Matkhau!2026",
                                                    "firstName": "Bình", "privacyConsent": True,
                                                    "languageCode": "EN"}})["accountRegister"]
    assert data["errors"] == [] and data["user"]["email"] == "moi@example.com"
    again = gql.execute(ACCOUNT_REGISTER, {"input": {"email": "moi@example.com", "password": "Matkhau!2026",
                                                     "privacyConsent": True}})["accountRegister"]
    assert again["errors"][0]["code"] == "UNIQUE"
    # An unchanged Saleor client sends no consent field: it registers, and no consent is recorded for it.
    from storefront.account.models import ConsentRecord

    saleor_client = gql.execute(ACCOUNT_REGISTER, {"input": {"email": "b@example.com", "password": "Matkhau!2026"}})
    assert saleor_client["accountRegister"]["errors"] == []
    assert not ConsentRecord.objects.filter(email="b@example.com").exists()
    assert ConsentRecord.objects.filter(email="moi@example.com", purpose="data_processing", granted=True).exists()
    weak = gql.execute(ACCOUNT_REGISTER, {"input": {"email": "c@example.com", "password": "123",
                                                    "privacyConsent": True}})["accountRegister"]
    assert weak["errors"][0]["code"] in {"PASSWORD_TOO_SHORT", "PASSWORD_ENTIRELY_NUMERIC", "PASSWORD_TOO_COMMON"}


def test_address_validation_rules_vn(gql):
    query = """query($area: String) { addressValidationRules(countryCode: VN, countryArea: $area) {
      countryCode countryName requiredFields countryAreaType countryAreaChoices { raw verbose } cityChoices { raw } } }"""
    rules = gql.execute(query)["addressValidationRules"]
    assert rules["countryCode"] == "VN" and len(rules["countryAreaChoices"]) == 34
    assert {"raw": "Thành phố Cần Thơ", "verbose": "Thành phố Cần Thơ"} in rules["countryAreaChoices"]
    with_area = gql.execute(query, {"area": "can tho"})["addressValidationRules"]
    assert {"raw": "Phường Ninh Kiều"} in with_area["cityChoices"]
    other = gql.post("{ addressValidationRules(countryCode: US) { countryCode } }")
    assert other["data"]["addressValidationRules"] is None and other["errors"]
