"""python manage.py seed_export_demo: export profiles for the sample products that carry export terms."""
from __future__ import annotations

import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from catalog_sync.demo import seed_export_demo


@contextmanager
def _progress(verbosity: int):
    """`advance(steps=1, total=None)` drawing a bar on standard error when it is a terminal and the
    command is not quiet (-v0); the export sync imports nothing of the shop's own helper for it."""
    if verbosity < 1 or not sys.stderr.isatty():
        yield lambda steps=1, total=None: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("Export demo", total=None)
        yield lambda steps=1, total=None: bar.update(task, advance=steps,
                                                     **({"total": total} if total is not None else {}))


class Command(BaseCommand):
    help = ("Select and enrich the demo products that have export terms (English name, HS code, MOQ, USD tiers…) "
            "and record a day's USD rate; safe to run again. Run after seed_demo.")

    def add_arguments(self, parser):
        parser.add_argument("--wait-for-platform", type=float, default=0.0, metavar="SECONDS",
                            help="wait this long for the B2B platform when its categories are not loaded yet")

    def handle(self, *args, wait_for_platform=0.0, verbosity=1, **options):
        try:
            with _progress(verbosity) as advance:
                result = seed_export_demo(wait_seconds=wait_for_platform, advance=advance)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        if not verbosity:  # -v0: silent
            return
        self.stdout.write(
            f"Export demo: {result.profiles_created} export profiles created, {result.categories_filled} B2B "
            f"categories filled in, USD rate of today {'recorded' if result.rate_created else 'already there'}.\n")
        if not result.categories_known:
            self.stdout.write("  B2B categories not loaded (platform unreachable): listings wait for a category; "
                              "run this command again once the platform answers.\n")
        if result.without_category:
            self.stdout.write(f"  No fitting B2B category for: {', '.join(result.without_category)}\n")
        if result.missing_products:
            self.stdout.write(f"  Not in the shop (run seed_demo first): {', '.join(result.missing_products)}\n")
