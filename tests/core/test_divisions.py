"""The 2025 communes as loaded: no name keeps the source data's double spaces."""
from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from storefront.core.models import Commune

pytestmark = pytest.mark.django_db

DOUBLE_SPACED_IN_SOURCE = ("Phường An Nhơn", "Phường Buôn Ma Thuột", "Xã Bắc Đông Quan", "Xã Xuân Giang",
                           "Phường Tân An", "Phường Tân Lập", "Phường Thành Nhất", "Phường Rạch Dừa", "Xã Phú Hữu",
                           "Xã Đại Hải")


def test_commune_names_have_single_spaces():
    assert not Commune.objects.filter(name__contains="  ").exists()
    assert not Commune.objects.filter(name_ascii__contains="  ").exists()
    for name in DOUBLE_SPACED_IN_SOURCE:
        assert Commune.objects.filter(name=name).exists(), name
    assert set(Commune.objects.filter(name="Phường An Nhơn").values_list("name_ascii", flat=True)) == {
        "Phuong An Nhon"}


def test_the_data_migration_repairs_a_database_loaded_before_the_fix():
    commune = Commune.objects.filter(name="Phường An Nhơn").first()
    Commune.objects.filter(pk=commune.pk).update(name="Phường  An Nhơn", name_ascii="Phuong  An Nhon")
    import_module("storefront.core.migrations.0003_i15_commune_name_spaces").collapse_spaces(apps, None)
    commune.refresh_from_db()
    assert (commune.name, commune.name_ascii) == ("Phường An Nhơn", "Phuong An Nhon")
