"""Loads the 34 provinces and 3,321 communes of 2025 from the JSON shipped in core/data/."""
import json
from pathlib import Path

from anyascii import anyascii
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
KINDS = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}


def clean_name(name: str) -> str:
    """The source data writes ten 2025 commune names with a double space ("Phường  An Nhơn")."""
    return " ".join(name.split())


def load(apps, schema_editor):
    Province = apps.get_model("core", "Province")
    Commune = apps.get_model("core", "Commune")
    provinces = json.loads((DATA / "vn_provinces_2025.json").read_text(encoding="utf-8"))["provinces"]
    Province.objects.bulk_create(
        [
            Province(
                code=p["code"],
                name=p["name_vi"],
                full_name=p["full_name_vi"],
                name_ascii=p["name_ascii"],
                name_en=p["name_en"],
                kind=p["type"],
                region=p["region"],
            )
            for p in provinces
        ],
        ignore_conflicts=True,
    )
    communes = json.loads((DATA / "vn_communes_2025.json").read_text(encoding="utf-8"))["provinces"]
    Commune.objects.bulk_create(
        [
            Commune(
                code=c["code"],
                province_id=p["code"],
                name=clean_name(c["name"]),
                name_ascii=anyascii(clean_name(c["name"])),
                kind=KINDS[c["type"]],
            )
            for p in communes
            for c in p["communes"]
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
