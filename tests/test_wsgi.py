"""The WSGI entry point (gunicorn, runserver) settles the garbage collector after start-up."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wsgi_entry_freezes_start_up_objects_and_raises_the_first_threshold(tmp_path):
    script = ("import gc, storefront.wsgi as w; "
              "print(gc.get_freeze_count() > 100_000, gc.get_threshold()[0], callable(w.application))")
    env = {**os.environ, "HTX_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "storefront.settings"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "50000", "True"]
