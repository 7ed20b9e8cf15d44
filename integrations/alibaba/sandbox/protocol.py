"""The sandbox's own reading of the wire protocol: signing, parameters, error shapes, envelopes.

Written independently of the client (protocol doc §1, §2, §5, §8.3).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

GMT8 = timezone(timedelta(hours=8))
TOP_SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
IOP_SIGN_METHODS = ("sha256",)


# -- signing ---------------------------------------------------------------------------------------
def canonical_string(params: dict[str, str], api_path: str = "") -> str:
    names = sorted((n for n, v in params.items() if n != "sign" and v is not None and v != ""),
                   key=lambda n: n.encode("utf-8"))
    body = "".join(n + params[n] for n in names)
    return api_path + body if "/" in api_path else body


def compute_sign(params: dict[str, str], secret: str, sign_method: str, api_path: str = "") -> str:
    data = canonical_string(params, api_path).encode("utf-8")
    key = secret.encode("utf-8")
    if sign_method == "md5":
        digest = hashlib.md5(key + data + key).hexdigest()
    elif sign_method == "hmac":
        digest = hmac.new(key, data, hashlib.md5).hexdigest()
    elif sign_method in ("hmac-sha256", "sha256"):
        digest = hmac.new(key, data, hashlib.sha256).hexdigest()
    else:
        raise ValueError(f"unsupported sign_method {sign_method!r}")
    return digest.upper()


# -- time ------------------------------------------------------------------------------------------
def fmt_time(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, GMT8).strftime("%Y-%m-%d %H:%M:%S")


def parse_time(text: str) -> float | None:
    """`yyyy-MM-dd HH:mm:ss` in GMT+8 → epoch seconds; None when unparseable."""
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=GMT8).timestamp()
    except (ValueError, TypeError):
        return None


def parse_timestamp(text: str, *, allow_formatted: bool) -> float | None:
    text = text.strip()
    if text.isdigit() and text.isascii() and len(text) <= 16:
        return int(text) / 1000.0
    return parse_time(text) if allow_formatted else None


def request_id() -> str:
    return "sbx-" + secrets.token_hex(6)


# -- errors ----------------------------------------------------------------------------------------
TOP_MESSAGES = {
    3: "Upload Fail", 7: "App Call Limited", 9: "Http Action Not Allowed", 10: "Service Currently Unavailable",
    15: "Remote service error", 21: "Missing Method", 22: "Invalid Method", 23: "Invalid Format",
    24: "Missing signature", 25: "Invalid signature", 26: "Missing session", 27: "Invalid session",
    28: "Missing App Key", 29: "Invalid App Key", 30: "Missing timestamp", 31: "Invalid timestamp",
    32: "Missing version", 33: "Invalid version", 34: "Unsupported version",
    40: "Missing required arguments", 41: "Invalid arguments", 42: "Forbidden Request", 43: "Parameter Error",
}

# TOP code -> (IOP code, IOP type)
IOP_CODES = {
    7: ("ApiCallLimit", "ISP"), 9: ("InvalidParameter", "ISV"), 10: ("15", "ISP"), 15: ("15", "ISV"),
    21: ("MissingParameter", "ISV"), 22: ("InvalidApiPath", "ISV"), 23: ("InvalidParameter", "ISV"),
    24: ("IncompleteSignature", "ISV"), 25: ("IncompleteSignature", "ISV"),
    26: ("IllegalAccessToken", "ISV"), 27: ("IllegalAccessToken", "ISV"),
    28: ("MissingParameter", "ISV"), 29: ("InvalidAppKey", "ISV"),
    30: ("MissingParameter", "ISV"), 31: ("InvalidTimestamp", "ISV"),
    40: ("MissingParameter", "ISV"), 41: ("InvalidParameter", "ISV"), 43: ("InvalidParameter", "ISV"),
}


@dataclass
class ApiError(Exception):
    code: int
    sub_code: str = ""
    sub_msg: str = ""
    msg: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Exception.__init__(self, f"{self.code} {self.sub_code} {self.sub_msg}")


def missing(name: str) -> ApiError:
    return ApiError(40, "isv.missing-parameter:" + name, f"Missing required arguments:{name}",
                    f"Missing required arguments:{name}")


def invalid(name: str, why: str = "") -> ApiError:
    return ApiError(41, "isv.invalid-parameter:" + name,
                    f"Invalid arguments:{name}" + (f" ({why})" if why else ""), f"Invalid arguments:{name}")


def business(code: str, message: str, **extra: Any) -> ApiError:
    return ApiError(15, "isv." + code, message, extra=extra)


def server_fault() -> ApiError:
    return ApiError(15, "isp.remote-service-error", "The remote service failed; please retry later.")


def error_body(err: ApiError, gateway: str, rid: str) -> dict[str, Any]:
    msg = err.msg or TOP_MESSAGES.get(err.code, "Error")
    if gateway == "top":
        body: dict[str, Any] = {"code": err.code, "msg": msg}
    else:
        iop_code, iop_type = IOP_CODES.get(err.code, (str(err.code), "ISV"))
        if err.code == 15 and err.sub_code.startswith("isp."):
            iop_type = "ISP"
        body = {"type": iop_type, "code": iop_code, "msg": msg}
    if err.sub_code:
        body["sub_code"] = err.sub_code
    if err.sub_msg:
        body["sub_msg"] = err.sub_msg
    body.update(err.extra)
    body["request_id"] = rid
    return {"error_response": body}


# -- request parameters ----------------------------------------------------------------------------
@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


class BadBody(Exception):
    pass


def read_params(environ: dict[str, Any], max_body: int) -> tuple[dict[str, str], dict[str, Upload]]:
    """Query string + body (form, multipart, or a flat JSON object); the body wins on conflict."""
    params: dict[str, str] = {}
    for k, v in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True):
        params[k] = v
    files: dict[str, Upload] = {}
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadBody("bad Content-Length")
    if length < 0:
        raise BadBody("bad Content-Length")
    if length > max_body:
        raise BadBody("SIZE_TOO_LARGE")
    body = environ["wsgi.input"].read(length) if length else b""
    ctype = environ.get("CONTENT_TYPE", "") or ""
    lower = ctype.lower()
    if not body:
        return params, files
    if lower.startswith("application/x-www-form-urlencoded") or not lower:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadBody("body is not UTF-8")
        for k, v in parse_qsl(text, keep_blank_values=True):
            params[k] = v
    elif lower.startswith("multipart/form-data"):
        for name, filename, part_ctype, payload in _multipart(ctype, body):
            if filename is not None:
                files[name] = Upload(filename, part_ctype, payload)
            else:
                try:
                    params[name] = payload.decode("utf-8")
                except UnicodeDecodeError:
                    raise BadBody(f"part {name} is not UTF-8 text")
    elif lower.startswith("application/json"):
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise BadBody("body is not valid JSON")
        if not isinstance(data, dict):
            raise BadBody("JSON body must be an object")
        for k, v in data.items():
            if isinstance(v, str):
                params[k] = v
            elif isinstance(v, bool):
                params[k] = "true" if v else "false"
            elif v is None:
                continue
            elif isinstance(v, (int, float)):
                params[k] = str(v)
            else:
                params[k] = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    else:
        raise BadBody(f"unsupported Content-Type {ctype.split(';')[0]}")
    return params, files


def _header_params(value: str) -> Message:
    msg = Message()
    msg["Content-Disposition"] = value
    return msg


def _multipart(ctype: str, body: bytes) -> list[tuple[str, str | None, str, bytes]]:
    holder = Message()
    holder["Content-Type"] = ctype
    boundary = holder.get_param("boundary")
    if not boundary or not isinstance(boundary, str):
        raise BadBody("multipart body without boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise BadBody("malformed multipart body")
    out = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise BadBody("malformed multipart part")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        disposition, part_ctype = "", "application/octet-stream"
        for line in head.decode("latin-1").split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = value.strip()
            elif key.strip().lower() == "content-type":
                part_ctype = value.strip().split(";")[0]
        meta = _header_params(disposition)
        name = meta.get_param("name", header="content-disposition")
        filename = meta.get_param("filename", header="content-disposition")
        if not name or not isinstance(name, str):
            raise BadBody("multipart part without a name")
        if isinstance(filename, tuple):
            filename = filename[2]
        # latin-1 header bytes back to UTF-8 text
        name = name.encode("latin-1").decode("utf-8", "replace")
        if filename is not None:
            filename = filename.encode("latin-1", "replace").decode("utf-8", "replace")
        out.append((name, filename, part_ctype, content))
    return out


# -- response envelopes (§1.5) -------------------------------------------------------------------
# list field name -> element wrapper name used when simplify=false.
LIST_WRAPPERS = {
    "products": "alibaba_product_brief_response", "keywords": "string", "child_attrs": "string",
    "images": "string", "payment_methods": "string", "units": "string", "attributes": "product_attribute",
    "attribute_values": "attribute_value", "deliver_periods": "deliver_period",
    "bulk_discount_prices": "bulk_discount_price", "skus": "sku_definition", "sku_attributes": "sku_attribute",
    "values": "sku_attribute_value", "inventory_dto_list": "product_inventory_dto", "child_ids": "number",
    "parent_ids": "number", "list": "photobank_image_do", "audit_fail_reasons": "audit_fail_reason",
    "inquiries": "inquiry", "replies": "reply", "children_id_list": "number",
}


def wrap_lists(value: Any, name: str = "", context: str = "") -> Any:
    if isinstance(value, dict):
        return {k: wrap_lists(v, k, context) for k, v in value.items()}
    if isinstance(value, list):
        items = [wrap_lists(v, "", context) for v in value]
        wrapper = LIST_WRAPPERS.get(name)
        if name == "attributes" and context == "category":
            wrapper = "attribute"
        return {wrapper: items} if wrapper else items
    return value


def success_body(method: str, result: dict[str, Any], simplify: bool, rid: str, context: str = "") -> dict:
    if simplify:
        return {**result, "request_id": rid}
    return {method.replace(".", "_") + "_response": {**wrap_lists(result, "", context), "request_id": rid}}
