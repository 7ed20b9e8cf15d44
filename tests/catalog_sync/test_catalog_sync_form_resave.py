"""Saving the enrichment form as a browser posts it (CRLF line breaks, checkboxes in page order) changes
nothing that was not edited: no diff, no write to the B2B catalog."""
from __future__ import annotations

import pytest
from django.urls import reverse

from catalog_sync.forms import ExportProfileForm
from catalog_sync.models import ExportProfile
from catalog_sync.sync import NOOP, UPDATE, catalog_sync_run
from tests.catalog_sync.helpers import make_export

pytestmark = pytest.mark.django_db


def browser_post(profile, **changes) -> dict:
    """The form's fields as Chromium posts them: textareas with CRLF, multiple choices as lists."""
    data = {}
    for name, value in ExportProfileForm.initial_for(profile).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = "" if value is None else str(value).replace("\n", "\r\n")
    data.update(changes)
    return data


def test_resaving_the_form_unchanged_writes_nothing(client, trade_staff, product, source, catalog, categories):
    make_export(product, trade_staff, target_markets=["Japan", "Australia", "Germany"])
    catalog_sync_run(source=source, catalog=catalog, triggered_by="test")
    profile = ExportProfile.objects.get(product_id=product.pk)
    assert list(profile.target_markets) == ["Australia", "Germany", "Japan"]  # the platform's order
    client.force_login(trade_staff)
    posted = browser_post(profile, target_markets=["Japan", "Germany", "Australia"])
    assert "\r\n\r\n" in posted["description_en"]
    response = client.post(reverse("catalog_sync:profile", args=[product.pk]), posted)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert "\r" not in profile.description_en and list(profile.target_markets) == ["Australia", "Germany", "Japan"]
    [change] = catalog_sync_run(source=source, catalog=catalog, dry_run=True, triggered_by="test").changes
    assert change.action == NOOP and not change.diff
    assert catalog_sync_run(source=source, catalog=catalog, triggered_by="test").write_calls == 0


def test_changing_only_the_title_changes_only_the_title(client, trade_staff, product, source, catalog, categories):
    make_export(product, trade_staff)
    catalog_sync_run(source=source, catalog=catalog, triggered_by="test")
    profile = ExportProfile.objects.get(product_id=product.pk)
    client.force_login(trade_staff)
    client.post(reverse("catalog_sync:profile", args=[product.pk]),
                browser_post(profile, title_en="Vietnam ST25 Rice, New Crop 5 kg Bag"))
    [change] = catalog_sync_run(source=source, catalog=catalog, dry_run=True, triggered_by="test").changes
    assert change.action == UPDATE
    changed = {path for path, _old, _new in change.diff}
    assert changed and all("subject" in path or "title" in path for path in changed), changed


def test_grade_is_a_choice_of_the_platforms_values(client, trade_staff, product, source, categories):
    from django.core.exceptions import ValidationError

    from catalog_sync import services

    profile = make_export(product, trade_staff)
    client.force_login(trade_staff)
    url = reverse("catalog_sync:profile", args=[product.pk])
    page = client.get(url).content.decode()
    assert '<select name="grade"' in page
    for value in ("Premium", "Grade A", "Grade B", "Standard"):
        assert f'<option value="{value}"' in page
    allowed = "Premium, Grade A, Grade B, Standard"
    bad = client.post(url, browser_post(profile, grade="Super"))
    assert bad.status_code == 200 and f"Phân loại phải là một trong các giá trị sàn B2B chấp nhận: {allowed}." in (
        bad.content.decode())
    assert client.post(url, browser_post(profile, grade="Grade A")).status_code == 302
    assert ExportProfile.objects.get(pk=profile.pk).grade == "Grade A"
    with pytest.raises(ValidationError) as raised:  # the service says the same to any other caller
        services.export_profile_update(actor=trade_staff, source=source, profile=profile, data={"grade": "Super"})
    assert allowed in raised.value.message_dict["grade"][0]
