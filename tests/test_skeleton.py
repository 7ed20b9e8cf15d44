import pytest

from storefront.core.geo import find_commune, find_province
from storefront.core.money import format_vnd, percent_of
from storefront.core.text import fold, vn_slugify


def test_fold_handles_d_with_stroke():
    assert fold("Đường thốt nốt ĐẮK LẮK") == "duong thot not dak lak"
    assert vn_slugify("Đắk Lắk") == "dak-lak"


def test_format_vnd_groups_with_dots():
    assert format_vnd(1_200_000) == "1.200.000 ₫"
    with pytest.raises(TypeError):
        format_vnd(1.5)


def test_percent_rounds_half_up():
    assert percent_of(10_010, "5") == 501  # 500.5 -> 501


@pytest.mark.django_db
def test_divisions_loaded_and_findable():
    from storefront.core.models import Commune, Province

    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    can_tho = find_province("can tho")
    assert can_tho.code == "92" and find_province("92") == can_tho
    assert find_province("Atlantis") is None
    assert find_commune(can_tho, "ke sach").name == "Xã Kế Sách"


def test_the_readme_links_to_pages_that_exist(client, program_staff, db):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    client.force_login(program_staff)
    for path in sorted(set(re.findall(r"`(/(?:dashboard|trade|supply)/[a-z0-9/-]*)`", readme))):
        assert client.get(path, follow=True).status_code == 200, path
