"""English buyer pages of the sandbox B2B catalog: browse, search, product detail, inquiry form."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import parse_qs, quote, urlencode

if TYPE_CHECKING:
    from .app import SandboxApp

PAGE_SIZE = 24
VISIBLE = "display='Y' AND approved_data IS NOT NULL AND status IN ('approved', 'modified')"
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")
COUNTRIES = ("United States", "Germany", "France", "Netherlands", "United Kingdom", "Japan", "South Korea",
             "China", "Singapore", "Australia", "Canada", "United Arab Emirates", "Saudi Arabia", "India",
             "Philippines", "Malaysia", "Indonesia", "Thailand", "Other")

CSS = """
*{box-sizing:border-box}body{margin:0;font-family:Helvetica,Arial,sans-serif;color:#222;background:#f5f6f8}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
header{background:#12324a;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header a.brand{color:#fff;font-weight:bold;font-size:20px}header form{flex:1;display:flex;max-width:560px}
header input{flex:1;padding:8px;border:0;border-radius:4px 0 0 4px}
header button{padding:8px 16px;border:0;background:#f7a400;color:#222;border-radius:0 4px 4px 0;cursor:pointer}
nav.cats{background:#fff;border-bottom:1px solid #ddd;padding:8px 24px;font-size:14px}
nav.cats a{margin-right:16px}main{max-width:1180px;margin:0 auto;padding:20px 24px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px}
.card{background:#fff;border:1px solid #e2e2e2;border-radius:6px;overflow:hidden}
.card img,.noimg{width:100%;height:180px;object-fit:cover;background:#e9ecef;display:block}
.card .body{padding:10px}.card h3{font-size:15px;margin:0 0 6px}.price{color:#c45500;font-weight:bold}
.muted{color:#666;font-size:13px}.detail{display:grid;grid-template-columns:minmax(280px,420px) 1fr;gap:24px}
.panel{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:16px;margin-bottom:16px}
.gallery img{width:100%;border-radius:4px;margin-bottom:8px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;font-size:14px;vertical-align:top}
th{color:#555;font-weight:normal;width:40%}.tiers td,.tiers th{text-align:center;width:auto}
form.inquiry label{display:block;margin:8px 0 2px;font-size:14px}
form.inquiry input,form.inquiry select,form.inquiry textarea{width:100%;padding:7px;border:1px solid #bbb;
border-radius:4px;font:inherit}form.inquiry .row{display:grid;grid-template-columns:1fr 1fr;gap:12px}
form.inquiry button{margin-top:12px;padding:10px 24px;background:#f7a400;border:0;border-radius:4px;
font-weight:bold;cursor:pointer}.errors{background:#fdecea;border:1px solid #f5c2c0;padding:8px 12px;
border-radius:4px;color:#8a1f11}.ok{background:#e7f6ea;border:1px solid #b7e1c0;padding:8px 12px;border-radius:4px}
.badge{display:inline-block;background:#e8f1fb;color:#0b5cad;border-radius:10px;padding:2px 8px;margin:2px;
font-size:12px}.pager a{margin-right:8px}footer{color:#777;font-size:12px;text-align:center;padding:24px}
@media(max-width:760px){.detail{grid-template-columns:1fr}}
"""


def _html(start_response: Callable, body: str, status: str = "200 OK") -> list[bytes]:
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


def layout(app: "SandboxApp", title: str, content: str, query: str = "") -> str:
    roots = app.store.categories()
    leaves = [c for c in roots if c["leaf"]]
    nav = "".join(f'<a href="/category/{c["id"]}">{escape(c["name"])}</a>' for c in leaves)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} | Vietnam Agri B2B (sandbox)</title><style>{CSS}</style></head><body>"
        f'<header><a class="brand" href="/">Vietnam Agri B2B</a>'
        f'<form action="/search" method="get" role="search"><input type="search" name="q" value="{escape(query)}" '
        f'placeholder="Search products, e.g. jasmine rice" aria-label="Search products">'
        f'<button type="submit">Search</button></form><span class="muted" style="color:#cfe">Sandbox catalog'
        f"</span></header><nav class=\"cats\">{nav}</nav><main>{content}</main>"
        f"<footer>Sandbox B2B catalog for HTX Market demos and tests. Not Alibaba.com.</footer></body></html>"
    )


def error_page(start_response: Callable, status: str, title: str, message: str) -> list[bytes]:
    body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body><main><div class=\"panel\"><h1>{escape(title)}</h1>"
            f'<p>{escape(message)}</p><p><a href="/">Back to the catalog</a></p></div></main></body></html>')
    return _html(start_response, body, status)


# -- formatting ----------------------------------------------------------------------------------
def money(value: str | Decimal) -> str:
    return f"US${Decimal(str(value)):,.2f}"


def price_line(data: dict[str, Any]) -> str:
    st = data.get("sourcing_trade") or {}
    unit = st.get("fob_unit_type") or st.get("min_order_unit_type") or ""
    tiers = data.get("bulk_discount_prices") or []
    if tiers:
        prices = [Decimal(t["price"]) for t in tiers]
        low, high = min(prices), max(prices)
    elif st.get("fob_min_price"):
        low, high = Decimal(st["fob_min_price"]), Decimal(st["fob_max_price"])
    elif data.get("wholesale_trade"):
        wt = data["wholesale_trade"]
        return f"{money(wt['price'])} / {escape(wt.get('unit_type', 'unit'))}"
    else:
        return "Price on request"
    text = money(low) if low == high else f"{money(low)} - {money(high)}"
    return f"{text} / {escape(unit)}" if unit else text


def moq_line(data: dict[str, Any]) -> str:
    st = data.get("sourcing_trade") or {}
    if st.get("min_order_quantity"):
        return f"{escape(st['min_order_quantity'])} {escape(st.get('min_order_unit_type', ''))}"
    wt = data.get("wholesale_trade") or {}
    if wt.get("min_order_quantity"):
        return f"{wt['min_order_quantity']} {escape(wt.get('unit_type', ''))}"
    return ""


def image_path(url: str) -> str:
    match = re.search(r"(/photobank/\d+/[^?#\s]*)", url)
    return match.group(1) if match else ""


def attribute(data: dict[str, Any], name: str) -> str:
    for attr in data.get("attributes") or []:
        if str(attr.get("attribute_name", "")).lower() == name.lower():
            return str(attr.get("value_name") or "")
    return ""


def product_url(row: Any) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", row["subject"]).strip("-")[:80] or "product"
    return f"/product-detail/{slug}_{row['id']}.html"


def card(app: "SandboxApp", row: Any) -> str:
    data = json.loads(row["approved_data"])
    images = (data.get("main_image") or {}).get("images") or []
    img = (f'<img src="{escape(image_path(images[0]))}" alt="{escape(data["subject"])}" loading="lazy">'
           if images else '<div class="noimg"></div>')
    seller = app.store.seller(row["seller_id"])
    return (f'<div class="card product-card"><a href="{product_url(row)}">{img}</a><div class="body">'
            f'<h3><a href="{product_url(row)}">{escape(data["subject"])}</a></h3>'
            f'<div class="price">{price_line(data)}</div>'
            f'<div class="muted">Min. order: {moq_line(data)}</div>'
            f'<div class="muted">{escape(seller.get("display_name", ""))}</div></div></div>')


def grid(app: "SandboxApp", rows: list[Any]) -> str:
    if not rows:
        return '<p class="muted empty">No products found.</p>'
    return '<div class="grid">' + "".join(card(app, r) for r in rows) + "</div>"


def pager(base: str, params: dict[str, str], page: int, total: int) -> str:
    pages = max(1, -(-total // PAGE_SIZE))
    if pages == 1:
        return ""
    links = []
    for p in range(1, pages + 1):
        if p == page:
            links.append(f"<strong>{p}</strong>")
        else:
            links.append(f'<a href="{base}?{urlencode({**params, "page": p})}">{p}</a>')
    return '<p class="pager">' + " ".join(links) + "</p>"


def _page_number(query: dict[str, list[str]]) -> int:
    text = (query.get("page") or ["1"])[0]
    return int(text) if text.isdigit() and text.isascii() and 0 < int(text) < 100000 else 1


# -- pages ---------------------------------------------------------------------------------------
def home(app: "SandboxApp", start_response: Callable) -> list[bytes]:
    cats = app.store.categories()
    blocks = []
    for root in (c for c in cats if c["parent_id"] == 0):
        subs = []
        for mid in (c for c in cats if c["parent_id"] == root["id"]):
            leaves = ", ".join(f'<a href="/category/{c["id"]}">{escape(c["name"])}</a>'
                               for c in cats if c["parent_id"] == mid["id"])
            subs.append(f'<li><a href="/category/{mid["id"]}">{escape(mid["name"])}</a>: {leaves}</li>')
        blocks.append(f'<div class="panel"><h2><a href="/category/{root["id"]}">{escape(root["name"])}</a></h2>'
                      f'<ul>{"".join(subs)}</ul></div>')
    rows = app.store.all(f"SELECT * FROM products WHERE {VISIBLE} ORDER BY gmt_modified DESC LIMIT {PAGE_SIZE}")
    content = ('<h1>Vietnamese farm produce from cooperatives</h1>'
               '<div class="grid" style="grid-template-columns:1fr 1fr">' + "".join(blocks) + "</div>"
               "<h2>Latest products</h2>" + grid(app, rows))
    return _html(start_response, layout(app, "Home", content))


def _descendant_leaves(app: "SandboxApp", cat_id: int) -> list[int]:
    out, stack = [], [cat_id]
    while stack:
        current = stack.pop()
        children = app.store.child_categories(current)
        if not children:
            out.append(current)
        stack.extend(c["id"] for c in children)
    return out


def category(app: "SandboxApp", start_response: Callable, cat_id: int, query: dict) -> list[bytes]:
    row = app.store.category(cat_id)
    if row is None:
        return error_page(start_response, "404 Not Found", "Category not found", "No such category.")
    leaves = _descendant_leaves(app, cat_id)
    marks = ",".join("?" * len(leaves))
    page = _page_number(query)
    total = app.store.one(f"SELECT COUNT(*) FROM products WHERE {VISIBLE} AND approved_category_id IN ({marks})",
                          tuple(leaves))[0]
    rows = app.store.all(f"SELECT * FROM products WHERE {VISIBLE} AND approved_category_id IN ({marks})"
                         f" ORDER BY gmt_modified DESC LIMIT {PAGE_SIZE} OFFSET ?",
                         (*leaves, (page - 1) * PAGE_SIZE))
    crumbs, parent = [], row["parent_id"]
    while parent:
        prow = app.store.category(parent)
        crumbs.insert(0, f'<a href="/category/{prow["id"]}">{escape(prow["name"])}</a>')
        parent = prow["parent_id"]
    subs = "".join(f'<a class="badge" href="/category/{c["id"]}">{escape(c["name"])}</a>'
                   for c in app.store.child_categories(cat_id))
    content = (f'<p class="muted"><a href="/">Home</a> › {" › ".join(crumbs + [escape(row["name"])])}</p>'
               f'<h1>{escape(row["name"])}</h1><p>{subs}</p><p class="muted">{total} products</p>'
               + grid(app, rows) + pager(f"/category/{cat_id}", {}, page, total))
    return _html(start_response, layout(app, row["name"], content))


def search(app: "SandboxApp", start_response: Callable, query: dict) -> list[bytes]:
    q = (query.get("q") or [""])[0].strip()[:200]
    terms = [t for t in re.split(r"\s+", q.lower()) if t][:8]
    page = _page_number(query)
    where, args = [VISIBLE], []
    for term in terms:
        where.append("approved_search_text LIKE ? ESCAPE '\\'")
        args.append("%" + re.sub(r"([%_\\])", r"\\\1", term) + "%")
    sql_where = " AND ".join(where)
    total = app.store.one(f"SELECT COUNT(*) FROM products WHERE {sql_where}", tuple(args))[0] if terms else 0
    rows = app.store.all(f"SELECT * FROM products WHERE {sql_where} ORDER BY gmt_modified DESC"
                         f" LIMIT {PAGE_SIZE} OFFSET ?", (*args, (page - 1) * PAGE_SIZE)) if terms else []
    heading = f"Results for “{escape(q)}”" if q else "Search"
    content = (f"<h1>{heading}</h1><p class=\"muted\">{total} products</p>" + grid(app, rows)
               + pager("/search", {"q": q}, page, total))
    return _html(start_response, layout(app, "Search", content, q))


def _strip_tags(text: str) -> str:
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h\d>", "\n", text)
    return re.sub(r"<[^>]*>", "", text)


def product_page(app: "SandboxApp", start_response: Callable, row: Any, *, form: dict[str, str] | None = None,
                 errors: list[str] | None = None, sent: bool = False, status: str = "200 OK") -> list[bytes]:
    data = json.loads(row["approved_data"])
    seller = app.store.seller(row["seller_id"])
    st = data.get("sourcing_trade") or {}
    images = (data.get("main_image") or {}).get("images") or []
    gallery = "".join(f'<img src="{escape(image_path(u))}" alt="{escape(data["subject"])} photo {i + 1}">'
                      for i, u in enumerate(images))
    tiers = data.get("bulk_discount_prices") or []
    unit = st.get("fob_unit_type") or st.get("min_order_unit_type") or "unit"
    tier_html = ""
    if tiers:
        heads, cells = [], []
        for i, tier in enumerate(tiers):
            upper = tiers[i + 1]["start_quantity"] - 1 if i + 1 < len(tiers) else None
            rng = f"{tier['start_quantity']} - {upper}" if upper else f"≥ {tier['start_quantity']}"
            heads.append(f"<th>{rng} {escape(unit)}</th>")
            cells.append(f'<td class="price">{money(tier["price"])}</td>')
        tier_html = (f'<table class="tiers" aria-label="Price by quantity"><tr>{"".join(heads)}</tr>'
                     f'<tr>{"".join(cells)}</tr></table>')
    facts = [("Price", price_line(data)), ("Minimum order", moq_line(data))]
    if st.get("supply_quantity"):
        facts.append(("Supply ability", f"{escape(st['supply_quantity'])} {escape(st.get('supply_unit_type', ''))}"
                                        f" per {escape(st.get('supply_period_type', 'Month'))}"))
    if st.get("packaging_desc"):
        facts.append(("Packaging", escape(st["packaging_desc"])))
    if st.get("delivery_port"):
        facts.append(("Port", escape(st["delivery_port"])))
    periods = st.get("deliver_periods") or (data.get("wholesale_trade") or {}).get("deliver_periods") or []
    if periods:
        facts.append(("Lead time", "; ".join(f"up to {p['quantity']} {escape(unit)}: {p['process_period']} days"
                                             for p in periods)))
    elif st.get("delivery_time"):
        facts.append(("Lead time", escape(st["delivery_time"])))
    if st.get("payment_methods"):
        facts.append(("Payment terms", escape(", ".join(st["payment_methods"]))))
    certs = attribute(data, "Certification")
    if certs:
        facts.append(("Certifications", "".join(f'<span class="badge">{escape(c.strip())}</span>'
                                                for c in certs.split(","))))
    fact_rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
    attr_rows = "".join(f'<tr><th>{escape(str(a.get("attribute_name", "")))}</th>'
                        f'<td>{escape(str(a.get("value_name", a.get("value_id", ""))))}</td></tr>'
                        for a in data.get("attributes") or [])
    description = "".join(f"<p>{escape(p.strip())}</p>"
                          for p in _strip_tags(data.get("description") or "").split("\n") if p.strip())
    profile = "".join(f"<tr><th>{label}</th><td>{escape(str(seller.get(key, '')))}</td></tr>" for label, key in (
        ("Company", "company_name"), ("Business type", "business_type"), ("Location", "province"),
        ("Established", "established"), ("Members", "members"), ("Main products", "main_products"),
        ("Certifications", "certifications"), ("Response time", "response_time")))
    form = form or {}
    errs = ("<div class=\"errors\" role=\"alert\"><ul>" + "".join(f"<li>{escape(e)}</li>" for e in errors)
            + "</ul></div>") if errors else ""
    done = ('<div class="ok" role="status" id="inquiry-sent">Thank you! Your inquiry was sent to the supplier. '
            "They will reply by email.</div>") if sent else ""
    countries = "".join(f'<option{" selected" if form.get("country") == c else ""}>{escape(c)}</option>'
                        for c in COUNTRIES)
    units = [unit] + [u for u in ("Kilogram", "Metric Ton", "Bag", "Carton", "Twenty-Foot Container") if u != unit]
    unit_opts = "".join(f'<option{" selected" if form.get("quantity_unit") == u else ""}>{escape(u)}</option>'
                        for u in units)

    def val(name: str) -> str:
        return escape(form.get(name, ""))

    inquiry = f"""
<div class="panel" id="inquiry"><h2>Send inquiry</h2>{done}{errs}
<form class="inquiry" method="post" action="{product_url(row)}#inquiry">
<div class="row"><div><label for="buyer_name">Your name</label>
<input id="buyer_name" name="buyer_name" required maxlength="100" value="{val('buyer_name')}"></div>
<div><label for="company_name">Company</label>
<input id="company_name" name="company_name" maxlength="200" value="{val('company_name')}"></div></div>
<div class="row"><div><label for="country">Country</label><select id="country" name="country" required>
<option value="">Select a country</option>{countries}</select></div>
<div><label for="email">Email</label>
<input id="email" name="email" type="email" required maxlength="200" value="{val('email')}"></div></div>
<div class="row"><div><label for="quantity">Quantity</label>
<input id="quantity" name="quantity" required inputmode="decimal" value="{val('quantity')}"></div>
<div><label for="quantity_unit">Unit</label><select id="quantity_unit" name="quantity_unit">{unit_opts}</select>
</div></div>
<label for="message">Message</label><textarea id="message" name="message" rows="5" required minlength="10"
maxlength="8000" placeholder="Tell the supplier what you need: specification, destination port, packaging...">
{val('message')}</textarea>
<button type="submit">Send inquiry</button></form></div>"""
    leaf = app.store.category(data["category_id"])
    crumb = (f'<p class="muted"><a href="/">Home</a> › <a href="/category/{leaf["id"]}">{escape(leaf["name"])}</a>'
             "</p>") if leaf else ""
    content = f"""{crumb}<div class="detail"><div class="gallery">{gallery}</div><div>
<h1>{escape(data['subject'])}</h1>{tier_html}<div class="panel"><table class="facts">{fact_rows}</table></div>
<div class="panel supplier"><h2>Supplier: {escape(seller.get('display_name', ''))}</h2>
<p>{escape(seller.get('about', ''))}</p><table>{profile}</table></div></div></div>
<div class="panel"><h2>Product details</h2><table class="attributes">{attr_rows}</table>{description}</div>
{inquiry}"""
    return _html(start_response, layout(app, data["subject"], content), status)


def _read_form(environ: dict[str, Any]) -> dict[str, str]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if 0 < length <= 64 * 1024 else b""
    parsed = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0].strip() for k, v in parsed.items()}


def submit_inquiry(app: "SandboxApp", environ: dict, start_response: Callable, row: Any) -> list[bytes]:
    form = _read_form(environ)
    errors = []
    if not form.get("buyer_name") or len(form["buyer_name"]) > 100:
        errors.append("Please enter your name (up to 100 characters).")
    if len(form.get("company_name", "")) > 200:
        errors.append("The company name is too long.")
    if form.get("country") not in COUNTRIES:
        errors.append("Please choose your country.")
    if not EMAIL_RE.match(form.get("email", "")):
        errors.append("Please enter a valid email address.")
    qty = form.get("quantity", "")
    if not re.fullmatch(r"\d{1,9}(\.\d{1,3})?", qty) or Decimal(qty) <= 0:
        errors.append("Please enter the quantity as a positive number.")
    message = form.get("message", "")
    if not 10 <= len(message) <= 8000:
        errors.append("Please write a message of 10 to 8000 characters.")
    if errors:
        return product_page(app, start_response, row, form=form, errors=errors, status="400 Bad Request")
    data = json.loads(row["approved_data"])
    now = time.time()
    unit = form.get("quantity_unit") or "Piece"
    with app.store.write() as conn:
        conn.execute(
            "INSERT INTO inquiries(seller_id, product_id, subject, description, quantity, quantity_unit, buyer_name,"
            " company_name, country_simple, email, status, replies, gmt_create, gmt_modified)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', '[]', ?, ?)",
            (row["seller_id"], row["product_id"], f"Inquiry about {data['subject']}"[:200], message, qty,
             unit[:40], form["buyer_name"], form.get("company_name", ""), form["country"], form["email"], now, now))
    start_response("303 See Other", [("Location", product_url(row) + "?inquiry=sent#inquiry"),
                                     ("Content-Length", "0")])
    return [b""]


def photobank(app: "SandboxApp", start_response: Callable, file_id: int) -> list[bytes]:
    row = app.store.image(file_id)
    data = app.store.image_bytes(file_id) if row else None
    if row is None or data is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]
    start_response("200 OK", [("Content-Type", row["content_type"]), ("Content-Length", str(len(data))),
                              ("Cache-Control", "public, max-age=86400")])
    return [data]


def annex(app: "SandboxApp", start_response: Callable, file_id: int) -> list[bytes]:
    row = app.store.annex(file_id)
    data = app.store.annex_bytes(file_id) if row else None
    if row is None or data is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]
    # Served as a download in a sandboxed origin: an uploaded document never runs in the catalog's pages.
    start_response("200 OK", [("Content-Type", row["content_type"]), ("Content-Length", str(len(data))),
                              ("X-Content-Type-Options", "nosniff"), ("Content-Security-Policy", "sandbox"),
                              ("Cache-Control", "public, max-age=86400")])
    return [data]


def dispatch(app: "SandboxApp", environ: dict, start_response: Callable, path: str) -> Iterable[bytes]:
    verb = environ.get("REQUEST_METHOD", "GET")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if verb not in ("GET", "HEAD", "POST"):
        return error_page(start_response, "405 Method Not Allowed", "Not allowed", "Use GET or POST.")
    from .methods import run_due_reviews

    run_due_reviews(app.store, app.config)
    if path == "/" and verb != "POST":
        return home(app, start_response)
    if path == "/search":
        return search(app, start_response, query)
    match = re.fullmatch(r"/category/(\d{1,12})/?", path)
    if match:
        return category(app, start_response, int(match.group(1)), query)
    match = re.fullmatch(r"/photobank/(\d{1,12})/[^/]*", path)
    if match:
        return photobank(app, start_response, int(match.group(1)))
    match = re.fullmatch(r"/annex/(\d{1,12})/[^/]*", path)
    if match:
        return annex(app, start_response, int(match.group(1)))
    match = re.fullmatch(r"/product-detail/[^/]*_(\d{1,16})\.html", path)
    if match:
        row = app.store.one(f"SELECT * FROM products WHERE id=? AND {VISIBLE}", (int(match.group(1)),))
        if row is None:
            return error_page(start_response, "404 Not Found", "Product not available",
                              "This product is not (or no longer) listed.")
        if verb == "POST":
            return submit_inquiry(app, environ, start_response, row)
        return product_page(app, start_response, row, sent=(query.get("inquiry") or [""])[0] == "sent")
    return error_page(start_response, "404 Not Found", "Page not found", f"Nothing at {quote(path)[:200]}.")


__all__ = ["dispatch", "error_page"]
