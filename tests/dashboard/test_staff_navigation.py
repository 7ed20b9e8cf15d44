"""Staff find their own pages: the landing page after login, the program's start page (README's link), the
staff header on supply and trade pages, and no invitation to register a cooperative for trade staff."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Matkhau!2026"


def sign_in(client, email):
    return client.post(reverse("web:login"), {"email": email, "password": PASSWORD}, follow=True)


@pytest.mark.parametrize("who, landing", [("program", "/dashboard/program/"), ("coop", "overview"),
                                          ("trade", "/trade/"), ("customer", "/")])
def test_staff_land_on_their_own_pages_after_login(client, who, landing, program_staff, coop_staff, trade_staff,
                                                   customer, coop, channel):
    user = {"program": program_staff, "coop": coop_staff, "trade": trade_staff, "customer": customer}[who]
    response = sign_in(client, user.email)
    if landing == "overview":
        landing = reverse("dashboard:overview", args=[coop.pk])
    assert response.redirect_chain and response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_login_still_follows_next(client, program_staff):
    response = client.post(reverse("web:login") + "?next=/gio-hang/", {"email": program_staff.email,
                                                                       "password": PASSWORD, "next": "/gio-hang/"})
    assert response.url == "/gio-hang/"


def test_readme_program_link_is_the_program_start_page_with_supply_and_trade(client, program_staff):
    client.force_login(program_staff)
    response = client.get("/dashboard/program/")
    assert response.status_code == 200
    page = response.content.decode()
    for url in (reverse("supply:index"), reverse("catalog_sync:dashboard"), reverse("dashboard:program_cooperatives"),
                reverse("dashboard:program_orders"), reverse("dashboard:program_settlement")):
        assert f'href="{url}' in page, url
    assert reverse("dashboard:register") not in page
    assert client.get(reverse("dashboard:home")).url == reverse("dashboard:program_home")


def test_trade_staff_are_not_invited_to_register_a_cooperative(client, trade_staff):
    client.force_login(trade_staff)
    assert client.get(reverse("dashboard:home")).url == reverse("catalog_sync:dashboard")
    assert f'href="{reverse("dashboard:home")}"' in client.get(reverse("web:terms")).content.decode()  # "Quản lý"
    trade = client.get(reverse("catalog_sync:dashboard")).content.decode()
    assert reverse("dashboard:register") not in trade
    newcomer = make_user("newcomer@example.com")
    client.force_login(newcomer)
    assert reverse("dashboard:register") in client.get(reverse("dashboard:home")).content.decode()


@pytest.mark.parametrize("name", ["supply:index", "supply:report_sales", "supply:report_needs", "supply:needs",
                                  "catalog_sync:dashboard", "catalog_sync:candidates"])
def test_supply_and_trade_pages_use_the_staff_header(client, program_staff, name):
    client.force_login(program_staff)
    page = client.get(reverse(name)).content.decode()
    assert 'id="site-search"' not in page and 'class="mini-cart' not in page, name
    assert "Đăng xuất" in page


def test_the_filter_query_never_lands_in_a_search_box(client, program_staff):
    client.force_login(program_staff)
    url = reverse("supply:report_sales")
    page = client.get(url, {"date_from": "2026-11-16", "date_to": "2026-11-22", "province": ""}).content.decode()
    assert 'value="date_from=' not in page
    assert 'href="?date_from=2026-11-16&amp;date_to=2026-11-22&amp;province=&amp;format=xlsx"' in page
