"""A shopper that uses the shop's HTML pages the way a browser does: reads the forms a page really
offers, keeps cookies, sends Referer and Origin with posts (Django's CSRF check over HTTPS wants
them). Shared by the smoke run and the load run (a Locust HttpSession is a requests.Session).

Only the stdlib and requests: no Django import, so it measures the shop from outside.
"""
from __future__ import annotations

import random
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser

# Field values by name; for a <select>, the visible text of the option to pick (accent-insensitive).
ADDRESS = {
    "email": "khach.smoke@example.com", "first_name": "An", "last_name": "Nguyễn Văn",
    "street_address_1": "12 Đường 30/4", "phone": "0912345678",
    "province": "Cần Thơ", "country_area": "Cần Thơ", "commune": "Ninh Kiều", "city": "Ninh Kiều",
    "country": "VN",
}


class FlowError(AssertionError):
    """The shop did not offer the next step a shopper needs."""


class SoldOut(FlowError):
    """The shop refused the order for lack of stock: a correct answer under load, not an error."""


@dataclass
class Form:
    action: str
    method: str
    fields: dict  # name -> list of (value, kind, checked or selected, attributes)
    selects: dict = None  # name -> the <select>'s own attributes

    def __post_init__(self):
        self.selects = self.selects or {}

    def defaults(self) -> dict:
        data: dict = {}
        for name, entries in self.fields.items():
            for value, kind, on, _ in entries:
                if kind in ("checkbox", "radio"):
                    if on:
                        data.setdefault(name, value)
                elif kind == "option":
                    if on or name not in data:
                        data[name] = value
                elif kind not in ("submit", "button", "image", "file"):
                    data.setdefault(name, value)
        return data

    def choices(self, name: str) -> list[str]:
        return [value for value, kind, _, _ in self.fields.get(name, []) if kind in ("radio", "option") and value]

    def labelled_choices(self, name: str) -> list[tuple[str, str]]:
        return [(value, attrs.get("_label", "").strip()) for value, kind, _, attrs in self.fields.get(name, [])
                if kind in ("radio", "option") and value]

    def pick(self, name: str, wanted: str) -> str | None:
        """The value of the option whose text (or value) contains `wanted`, accents ignored."""
        for value, label in self.labelled_choices(name):
            if fold(wanted) in fold(label) or fold(wanted) == fold(value):
                return value
        return None


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._option: dict | None = None
        # Option lists answered alone (what htmx swaps into a <select>) belong to no form.
        self.loose_options: list[tuple[str, str]] = []

    def handle_data(self, data):
        if self._option is not None:
            self._option["_label"] = self._option.get("_label", "") + data

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), {})
            self.forms.append(self._form)
        if tag == "option" and self._select is None:
            self._option = a
            self.loose_options.append(a)
            return
        if self._form is None:
            return
        if tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._form.fields.setdefault(a["name"], []).append((value, kind, "checked" in a, a))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields.setdefault(self._select, [])
            self._form.selects[self._select] = a
        elif tag == "option" and self._select:
            self._option = a
            self._form.fields[self._select].append((a.get("value", ""), "option", "selected" in a, a))
        elif tag == "textarea" and a.get("name"):
            self._form.fields.setdefault(a["name"], []).append(("", "textarea", False, a))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def page_errors(html: str) -> str:
    """The text of what the page flags as an error (role="alert" or an error class)."""
    found = re.findall(r'<[a-z]+[^>]*(?:role="alert"|class="[^"]*\berror[^"]*")[^>]*>(.*?)</(?:div|p|ul|li|span)>',
                       html, flags=re.S)
    texts = [re.sub(r"<[^>]+>", " ", t) for t in found]
    return "; ".join(" ".join(t.split()) for t in texts if t.strip())[:500] or "(no error shown)"


def request_label(path: str) -> str:
    """One name per kind of page, so a load report groups /san-pham/<any slug>/ together."""
    path = urllib.parse.urlsplit(path).path
    path = re.sub(r"/san-pham/[^/]+/", "/san-pham/[slug]/", path)
    return re.sub(r"/don-hang/[0-9a-f-]{36}/", "/don-hang/[token]/", path)


class Shopper:
    def __init__(self, session, base_url: str, rng: random.Random | None = None, labelled: bool = False):
        self.sess = session
        self.base_url = base_url.rstrip("/")
        self.rng = rng or random.Random()
        # Locust's session takes a `name` for its statistics; a plain requests.Session does not.
        self.labelled = labelled

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base_url + "/", path)

    def get(self, path: str, **kwargs):
        kwargs.setdefault("timeout", 30)
        if self.labelled:
            kwargs.setdefault("name", request_label(path))
        resp = self.sess.get(self.url(path), **kwargs)
        if resp.status_code != 200:
            raise FlowError(f"GET {path} answered {resp.status_code}")
        return resp

    def submit(self, page_url: str, form: Form, data: dict, **kwargs):
        target = urllib.parse.urljoin(page_url, form.action or page_url)
        headers = {"Referer": page_url, "Origin": self.base_url}
        kwargs.setdefault("timeout", 30)
        if self.labelled:
            kwargs.setdefault("name", request_label(target))
        if form.method == "post":
            return self.sess.post(target, data=data, headers=headers, **kwargs)
        return self.sess.get(target, params=data, headers=headers, **kwargs)

    # --- steps ----------------------------------------------------------------------------------
    def product_links(self) -> list[str]:
        links = sorted({link for link in parse(self.get("/").text).links if "/san-pham/" in link})
        if not links:
            links = sorted({link for link in parse(self.get("/tim-kiem/", params={"q": "gạo"}).text).links
                            if "/san-pham/" in link})
        if not links:
            raise FlowError("no product link on the home page or in search results")
        return links

    def browse(self) -> str:
        link = self.rng.choice(self.product_links())
        self.get(link)
        return link

    def add_to_cart(self, links: list[str], quantity: int = 1) -> str:
        tried = []
        sold_out = 0  # products the shop refused for lack of stock: the right answer once stock is gone
        for link in links:
            page = self.get(link)
            forms = [f for f in parse(page.text).forms if f.action.rstrip("/").endswith("gio-hang/them")]
            if not forms:
                tried.append(f"{link}: no add-to-cart form")
                continue
            data = forms[0].defaults()
            for name in forms[0].fields:
                if name == "quantity":
                    data[name] = str(quantity)
            added = self.submit(page.url, forms[0], data)
            if added.status_code != 200:
                tried.append(f"{link}: add to cart answered {added.status_code}")
                continue
            cart = self.get("/gio-hang/")
            if "/thanh-toan/" in cart.text:
                return link
            errors = page_errors(added.text)
            sold_out += _is_stock_refusal(errors)
            tried.append(f"{link}: the cart offers no checkout after adding ({errors})")
        if tried and sold_out == len(tried):
            raise SoldOut("every product tried is sold out: " + "; ".join(tried[:5]))
        raise FlowError("could not put a product in the cart: " + "; ".join(tried[:5]))

    def check_out(self, email: str | None = None) -> str:
        """Address, delivery and payment (cash on delivery when offered); returns the order token."""
        page = self.get("/thanh-toan/")
        form = next((f for f in parse(page.text).forms
                     if any(name.split("-")[-1] == "street_address_1" for name in f.fields)), None)
        if form is None:
            raise FlowError("the checkout page has no address form")
        data = self.fill(page.url, form, dict(ADDRESS, email=email or ADDRESS["email"]))
        resp = self.submit(page.url, form, data)
        if resp.status_code != 200 or "/thanh-toan/giao-hang/" not in resp.url:
            raise FlowError(f"address step answered {resp.status_code} at {resp.url}: {page_errors(resp.text)}")

        form = next((f for f in parse(resp.text).forms if f.method == "post"), None)
        if form is None:
            raise FlowError("the delivery page has no form")
        data = self.fill(resp.url, form, {})
        for name in form.fields:
            options = form.choices(name)
            if options and not data.get(name):
                data[name] = next((o for o in options if o.endswith(".cod")), options[0])
        placed = self.submit(resp.url, form, data)
        match = re.search(r"/don-hang/([0-9a-f-]{36})/", placed.url)
        if placed.status_code == 200 and match:
            return match.group(1)
        errors = page_errors(placed.text)
        if _is_stock_refusal(errors):
            raise SoldOut(errors)
        raise FlowError(f"placing the order answered {placed.status_code} at {placed.url}: {errors}")

    def fill(self, page_url: str, form: Form, values: dict) -> dict:
        """The form's defaults with `values` filled in by field name (prefixes ignored), options
        picked by their visible text, required-looking consent boxes ticked; a <select> that loads
        its dependent list with htmx (hx-get, hx-target) gets that list fetched as a browser would."""
        data = form.defaults()
        for name in list(form.fields):
            base = name.split("-")[-1]
            if base in values:
                if name in form.selects:
                    value = form.pick(name, values[base])
                    if value is None:
                        raise FlowError(f"no option {values[base]!r} in {name}: {form.labelled_choices(name)[:5]}")
                    data[name] = value
                    self._load_dependent(page_url, form, name, value)
                else:
                    data[name] = values[base]
            elif "consent" in name and "marketing" not in name:
                data[name] = form.fields[name][0][0] or "on"
        for name in form.selects:  # lists that only now have their options
            base = name.split("-")[-1]
            if base in values and not data.get(name):
                value = form.pick(name, values[base])
                if value is None:
                    raise FlowError(f"no option {values[base]!r} in {name}: {form.labelled_choices(name)[:5]}")
                data[name] = value
        return data

    def _load_dependent(self, page_url: str, form: Form, name: str, value: str) -> None:
        attrs = form.selects[name]
        url, target = attrs.get("hx-get"), attrs.get("hx-target", "")
        if not url or not target.startswith("#id_"):
            return
        target_name = target.removeprefix("#id_")
        if target_name not in form.selects:
            return
        resp = self.sess.get(urllib.parse.urljoin(page_url, url), params={name: value},
                             headers={"HX-Request": "true", "Referer": page_url}, timeout=30,
                             **({"name": request_label(url)} if self.labelled else {}))
        if resp.status_code != 200:
            raise FlowError(f"loading the choices for {target_name} answered {resp.status_code}")
        options = parse(f"<div>{resp.text}</div>").loose_options
        form.fields[target_name] = [(o.get("value", ""), "option", "selected" in o, o) for o in options]

    def buy_one(self, email: str | None = None) -> str:
        links = self.product_links()
        self.rng.shuffle(links)
        self.add_to_cart(links)
        token = self.check_out(email)
        self.get(f"/don-hang/{token}/")
        return token


def _is_stock_refusal(errors: str) -> bool:
    return any(word in fold(errors) for word in ("het hang", "khong du hang", "insufficient", "out of stock", "chi con"))
